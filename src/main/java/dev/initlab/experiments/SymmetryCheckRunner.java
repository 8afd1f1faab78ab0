package dev.initlab.experiments;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.initlab.generation.LinearStack;
import dev.initlab.generation.Plan;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.layers.Linear;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.InvalidRequestException.FieldError;
import dev.initlab.rng.Generator;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;
import dev.initlab.training.Activation;
import dev.initlab.training.Dataset;
import dev.initlab.training.HistoryEntry;
import dev.initlab.training.Report;
import dev.initlab.training.Trainer;
import dev.initlab.training.Training;

/**
 * Runs the {@code symmetry_check} of {@code POST /api/v1/initializations}: trains briefly
 * from exactly the tensors of the response and reports symmetry.
 */
@Component
public class SymmetryCheckRunner {

	private final ExperimentLimits limits;

	public SymmetryCheckRunner(ExperimentLimits limits) {
		this.limits = limits;
	}

	/**
	 * Trains from exactly the plan's tensors (a stack of linear layers; the hidden
	 * activation is the layers' {@code activation}, default tanh; one output unit means
	 * sigmoid, more mean softmax) and reports.
	 * @param check the dataset and training of the check
	 * @param layers the request's layers, which the plan holds
	 * @param plan the plan of the response
	 * @throws InvalidRequestException when the layers are not a trainable stack or a
	 * field of the check is invalid
	 */
	public Report run(SymmetryCheck check, List<LayerSpec> layers, Plan plan) {
		if (plan.layout() != Layout.PYTORCH) {
			throw new InvalidRequestException("symmetry_check", "a symmetry check needs layout pytorch");
		}
		int[] sizes = new int[layers.size() + 1];
		String activation = null;
		for (int i = 0; i < layers.size(); i++) {
			if (!(layers.get(i) instanceof Linear linear)) {
				throw new InvalidRequestException("layers[" + i + "].type",
						"a symmetry check trains a stack of linear layers; this layer is " + layers.get(i).type());
			}
			if (linear.bias() != null && !linear.bias()) {
				throw new InvalidRequestException("layers[" + i + "].bias", "a symmetry check needs biases");
			}
			if (i > 0 && linear.inFeatures().intValue() != sizes[i]) {
				throw new InvalidRequestException("layers[" + i + "].in_features",
						"must equal the previous layer's " + "out_features (" + sizes[i] + ") to form a stack");
			}
			sizes[i] = linear.inFeatures();
			sizes[i + 1] = linear.outFeatures();
			if (i < layers.size() - 1 && linear.activation() != null) {
				if (activation != null && !activation.equals(linear.activation())) {
					throw new InvalidRequestException("layers[" + i + "].activation",
							"the hidden layers of a symmetry check share one activation; got " + activation + " and "
									+ linear.activation());
				}
				activation = linear.activation();
			}
		}
		if (layers.size() < 2) {
			throw new InvalidRequestException("layers",
					"a symmetry check needs a hidden layer: at least 2 linear layers");
		}
		String name = (activation != null) ? activation : "tanh";
		Activation hidden = Activation.byName(name)
			.orElseThrow(() -> new InvalidRequestException("layers[0].activation",
					"a symmetry check trains with " + String.join(", ", Activation.names()) + "; got " + name));
		boolean softmax = sizes[sizes.length - 1] > 1;
		List<FieldError> errors = new ArrayList<>();
		Training training = ((check.training() != null) ? check.training() : TrainingSpec.DEFAULTS)
			.resolve("symmetry_check.training", this.limits, errors);
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		Generator generator = plan.generator();
		DatasetSpec.Split split = ((check.dataset() != null) ? check.dataset() : DatasetSpec.DEFAULTS)
			.resolve(plan.seed(), generator, this.limits);
		Dataset train = split.train();
		if (train.features() != sizes[0]) {
			throw new InvalidRequestException("layers[0].in_features",
					"the dataset has " + train.features() + " features and the first layer takes " + sizes[0]);
		}
		if (!softmax && train.classes() > 2) {
			throw new InvalidRequestException("layers[" + (layers.size() - 1) + "].out_features",
					"one output unit (sigmoid) separates 2 classes and the dataset has " + train.classes());
		}
		ExperimentLimits.checkWork(1, training.iterations(), train.size(), sizes, this.limits.syncMaxWork(),
				ExperimentLimits.PREFIX + "sync-max-work", "Run it as an experiment (POST /api/v1/experiments).");
		LinearStack initial = LinearStack.of(plan);
		double[][] w = initial.weights();
		double[][] b = initial.biases();
		RandomStream shuffle = generator
			.create(SeedMaterial.forTensorBlock(plan.seed(), "experiment/minibatch-order", 0));
		List<HistoryEntry> history = Trainer.train(w, b, sizes, hidden, softmax, train, split.test(), training, shuffle,
				() -> false, (entry) -> {
				});
		return Report.of(history, Verdicts.of(history, sizes[1], hidden));
	}

}
