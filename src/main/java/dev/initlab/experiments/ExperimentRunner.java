package dev.initlab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import org.springframework.stereotype.Component;

import dev.initlab.generation.Blueprint;
import dev.initlab.generation.LinearStack;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Planner;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Linear;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.InvalidRequestException.FieldError;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.propagation.SignalPropagation;
import dev.initlab.rng.Generator;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;
import dev.initlab.training.Activation;
import dev.initlab.training.Dataset;
import dev.initlab.training.DecisionBoundary;
import dev.initlab.training.HistoryEntry;
import dev.initlab.training.TrainedNetwork;
import dev.initlab.training.Trainer;
import dev.initlab.training.Training;

/**
 * Checks an experiment request, prepares its data and each policy's initial parameters
 * (from the same generation code as {@code /initializations}, with
 * {@code seeding: sequential}), and trains them one after another.
 */
@Component
public class ExperimentRunner {

	private final Planner planner;

	private final ExperimentLimits limits;

	public ExperimentRunner(Planner planner, ExperimentLimits limits) {
		this.planner = planner;
		this.limits = limits;
	}

	/** A checked experiment, ready to train. */
	public record Prepared(long seed, Dataset train, Dataset test, int[] sizes, Activation hidden, boolean softmax,
			Training training, List<PolicyRun> policies) {
	}

	/**
	 * One policy's initial state.
	 *
	 * @param label the policy's label
	 * @param weights initial weights per linear layer, input to output (after LSUV)
	 * @param biases initial biases per linear layer
	 * @param generator the policy's generator
	 * @param seed the policy's seed
	 * @param lsuvIterations with LSUV, the rescalings each linear layer took (null for
	 * layers LSUV left alone); null without LSUV
	 */
	public record PolicyRun(String label, double[][] weights, double[][] biases, Generator generator, long seed,
			List<Integer> lsuvIterations) {
	}

	/** One policy's result. */
	public record PolicyResult(String label, List<HistoryEntry> history, String verdict) {
	}

	/**
	 * Validates everything and draws data and initial parameters; throws
	 * {@link InvalidRequestException} or {@link LimitExceededException} before any
	 * training.
	 */
	public Prepared prepare(ExperimentRequest r) {
		List<FieldError> errors = new ArrayList<>();
		long seed = (r.seed() != null) ? r.seed() : SeedMaterial.drawSeed();
		Generator generator = InvalidRequestException.lookup("rng", "rng", r.rng(), Generator.DEFAULT,
				Generator::byName, Generator.names(), errors);
		ExperimentRequest.ModelSpec model = (r.model() != null) ? r.model()
				: new ExperimentRequest.ModelSpec(null, null, null);
		TrainingSpec ts = (r.training() != null) ? r.training() : TrainingSpec.DEFAULTS;
		List<Integer> hiddenLayers = (model.hiddenLayers() != null) ? model.hiddenLayers() : List.of(4);
		Activation hidden = InvalidRequestException.lookup("model.activation", "activation", model.activation(),
				Activation.TANH, Activation::byName, Activation.names(), errors);
		ExperimentRequest.Output output = InvalidRequestException.lookup("model.output", "output", model.output(),
				ExperimentRequest.Output.SIGMOID, ExperimentRequest.Output::byName, ExperimentRequest.Output.names(),
				errors);
		if (hiddenLayers.isEmpty()) {
			errors.add(new FieldError("model.hidden_layers",
					"needs at least one hidden layer (the symmetry lesson " + "is about hidden units)"));
		}
		if (hiddenLayers.size() > this.limits.maxDepth()) {
			throw new LimitExceededException("hidden layers", hiddenLayers.size(), this.limits.maxDepth(),
					ExperimentLimits.PREFIX + "max-depth", null);
		}
		for (int i = 0; i < hiddenLayers.size(); i++) {
			Integer units = hiddenLayers.get(i);
			if (units == null || units < 1) {
				errors.add(new FieldError("model.hidden_layers[" + i + "]", "must be >= 1"));
			}
			else if (units > this.limits.maxWidth()) {
				throw new LimitExceededException("units in hidden layer " + i, units, this.limits.maxWidth(),
						ExperimentLimits.PREFIX + "max-width", null);
			}
		}
		Training training = ts.resolve("training", this.limits, errors);
		if (r.policies().size() > this.limits.maxPolicies()) {
			throw new LimitExceededException("policies", r.policies().size(), this.limits.maxPolicies(),
					ExperimentLimits.PREFIX + "max-policies", null);
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		DatasetSpec.Split data = ((r.dataset() != null) ? r.dataset() : DatasetSpec.DEFAULTS).resolve(seed, generator,
				this.limits);
		Dataset train = data.train();
		Dataset test = data.test();
		boolean softmax = output == ExperimentRequest.Output.SOFTMAX;
		if (!softmax && train.classes() > 2) {
			throw new InvalidRequestException("model.output",
					"a sigmoid output separates 2 classes and the dataset has " + train.classes() + "; use softmax");
		}
		int[] sizes = new int[hiddenLayers.size() + 2];
		sizes[0] = train.features();
		for (int i = 0; i < hiddenLayers.size(); i++) {
			sizes[i + 1] = hiddenLayers.get(i);
		}
		sizes[sizes.length - 1] = softmax ? Math.max(2, train.classes()) : 1;
		ExperimentLimits.checkWork(r.policies().size(), training.iterations(), train.size(), sizes,
				this.limits.maxWork(), ExperimentLimits.PREFIX + "max-work", null);
		List<PolicyRun> runs = new ArrayList<>();
		for (int p = 0; p < r.policies().size(); p++) {
			runs.add(initialState(r.policies().get(p), p, seed, generator, sizes, hidden, softmax, train));
		}
		return new Prepared(seed, train, test, sizes, hidden, softmax, training, runs);
	}

	/**
	 * Trains each policy in order; {@code onRecord} receives (policy index, entry) as
	 * they come.
	 * @throws Trainer.Cancelled when {@code cancelled} turns true
	 */
	public List<PolicyResult> run(Prepared prepared, BiConsumer<Integer, HistoryEntry> onRecord,
			BooleanSupplier cancelled) {
		return run(prepared, onRecord, (index, network) -> {
		}, cancelled);
	}

	/**
	 * As {@link #run(Prepared, BiConsumer, BooleanSupplier)}; {@code onTrained} receives
	 * (policy index, network) when a policy's training ends, finished or cancelled.
	 */
	public List<PolicyResult> run(Prepared prepared, BiConsumer<Integer, HistoryEntry> onRecord,
			BiConsumer<Integer, TrainedNetwork> onTrained, BooleanSupplier cancelled) {
		List<PolicyResult> results = new ArrayList<>();
		for (int p = 0; p < prepared.policies().size(); p++) {
			PolicyRun run = prepared.policies().get(p);
			int index = p;
			RandomStream shuffle = run.generator()
				.create(SeedMaterial.forTensorBlock(run.seed(), "experiment/minibatch-order", 0));
			Trainer.Run trained;
			try {
				trained = Trainer.run(run.weights(), run.biases(), prepared.sizes(), prepared.hidden(),
						prepared.softmax(), prepared.train(), prepared.test(), prepared.training(), shuffle, cancelled,
						(entry) -> onRecord.accept(index, entry));
			}
			catch (Trainer.Cancelled ex) {
				onTrained.accept(index, ex.network());
				throw ex;
			}
			onTrained.accept(index, trained.network());
			List<HistoryEntry> history = trained.history();
			results.add(new PolicyResult(run.label(), history,
					Verdicts.of(history, prepared.sizes()[1], prepared.hidden())));
		}
		return results;
	}

	/**
	 * One policy's decision boundary, ready to answer.
	 *
	 * @param label the policy's label
	 * @param resolution grid points per axis
	 * @param grid the network's predictions over the input plane
	 * @param updates the updates the network had when training ended or stopped
	 * @param trainAccuracy the network's accuracy on the training set
	 * @param points the training set
	 * @param drawn the indices of the training points an SVG draws: every k-th sample, at
	 * most {@code initlab.experiments.max-boundary-points}
	 */
	public record Boundary(String label, int resolution, DecisionBoundary grid, int updates, double trainAccuracy,
			Dataset points, int[] drawn) {
	}

	/**
	 * A policy's decision boundary ({@code GET /experiments/{id}/boundary}): checks the
	 * query (400s: {@code policy}, {@code resolution} and the work it asks for), then the
	 * input plane (409: not two features), then asks {@code trained} for the policy's
	 * network (which may refuse: the job has not ended), and computes the grid.
	 * @param policy the policy's label; may be absent when there is one policy (of equal
	 * labels, the first)
	 * @param resolution grid points per axis, default 100
	 * @param trained the network of the policy at an index
	 */
	public Boundary boundary(Prepared prepared, String policy, Integer resolution,
			IntFunction<TrainedNetwork> trained) {
		List<String> labels = prepared.policies().stream().map(PolicyRun::label).toList();
		int index = (policy == null && labels.size() == 1) ? 0 : labels.indexOf(policy);
		if (index < 0) {
			throw new InvalidRequestException("policy",
					((policy == null) ? "required: the experiment has " + labels.size() + " policies"
							: "unknown policy '" + policy + "'") + "; allowed: " + String.join(", ", labels));
		}
		int n = (resolution != null) ? resolution : 100;
		String property = ExperimentLimits.PREFIX + "max-boundary-resolution";
		if (n > this.limits.maxBoundaryResolution()) {
			throw new LimitExceededException("grid points per axis (resolution)", n,
					this.limits.maxBoundaryResolution(), property, null);
		}
		if (n < 2) {
			throw new InvalidRequestException("resolution", "must be between 2 and "
					+ this.limits.maxBoundaryResolution() + " (configuration property " + property + "); got " + n);
		}
		long parameters = 0;
		for (int l = 1; l < prepared.sizes().length; l++) {
			parameters += (long) prepared.sizes()[l] * (prepared.sizes()[l - 1] + 1);
		}
		if ((double) n * n * parameters > this.limits.syncMaxWork()) {
			throw new LimitExceededException("units of work (resolution² × parameters)",
					(long) ((double) n * n * parameters), this.limits.syncMaxWork(),
					ExperimentLimits.PREFIX + "sync-max-work", "Ask for a lower resolution.");
		}
		Dataset train = prepared.train();
		if (train.features() != 2) {
			throw new NoInputPlaneException("The decision boundary is drawn over a plane of two input features; "
					+ "this experiment's data have " + train.features() + ".");
		}
		if (DecisionBoundary.plane(train) == null) {
			throw new NoInputPlaneException(
					"The data's bounding box is too wide to sample: a side's length is not " + "a finite double.");
		}
		TrainedNetwork network = trained.apply(index);
		int stride = Math.max(1,
				(train.size() + this.limits.maxBoundaryPoints() - 1) / Math.max(1, this.limits.maxBoundaryPoints()));
		int[] drawn = new int[(train.size() + stride - 1) / stride];
		for (int i = 0; i < drawn.length; i++) {
			drawn[i] = i * stride;
		}
		return new Boundary(labels.get(index), n, DecisionBoundary.of(network, train, n), network.updates(),
				network.accuracy(train), train, drawn);
	}

	/**
	 * A policy's initial network, as its training starts (for a policy a cancelled job
	 * never reached).
	 */
	public static TrainedNetwork initialNetwork(Prepared prepared, int policy) {
		PolicyRun run = prepared.policies().get(policy);
		return TrainedNetwork.of(prepared.sizes(), prepared.hidden(), prepared.softmax(), run.weights(), run.biases(),
				0);
	}

	/**
	 * A policy's initial parameters: planned as {@code /initializations} would with
	 * {@code seeding: sequential} (the overrides as the layers' own init), then, where a
	 * layer's weight scheme is lsuv, rescaled by LSUV on the training inputs — every such
	 * layer, the output layer included, as Mishkin and Matas do (an override keeps a
	 * layer out of it).
	 */
	private PolicyRun initialState(ExperimentRequest.PolicySpec policy, int index, long requestSeed,
			Generator requestGenerator, int[] sizes, Activation hidden, boolean softmax, Dataset train) {
		String path = "policies[" + index + "]";
		int n = sizes.length - 1;
		StackPolicy stack = StackPolicy.of(policy, n,
				"the network has " + n + " linear layers: " + (n - 1) + " hidden, then the output layer", path,
				this.limits.maxLsuvIterations(), ExperimentLimits.PREFIX + "max-lsuv-iterations");
		long seed = (policy.seed() != null) ? policy.seed() : requestSeed;
		List<LayerSpec> layers = new ArrayList<>();
		for (int l = 1; l < sizes.length; l++) {
			boolean last = l == sizes.length - 1;
			String activation = last ? (softmax ? "linear" : "sigmoid") : hidden.wireName();
			layers.add(new Linear("layer" + l, "linear", sizes[l - 1], sizes[l], true, activation,
					stack.layerInits().get(l - 1)));
		}
		List<FieldError> found = new ArrayList<>();
		// an unknown rng plans with the default generator, as a request's does
		Generator generator = (policy.rng() == null) ? requestGenerator : InvalidRequestException.lookup("rng", "rng",
				policy.rng(), Generator.DEFAULT, Generator::byName, Generator.names(), found);
		Plan plan;
		try {
			plan = this.planner.plan(Blueprint.sequentialData(seed, generator, stack.init(), layers, policy.recipe()),
					OutputFormat.JSON, null, found);
		}
		catch (InvalidRequestException ex) {
			// the layers come from model, their overrides and init from the policy
			throw stack.prefixed(ex, path, "model");
		}
		LinearStack initial = LinearStack.of(plan);
		double[][] w = initial.weights();
		double[][] b = initial.biases();
		List<Integer> lsuvIterations = null;
		if (stack.usesLsuv()) {
			// W a + b is linear in (W, b): on the fixed training batch one rescaling
			// per layer is exact, so this costs about two forward passes, less than
			// the one training iteration the work bound already counts
			lsuvIterations = SignalPropagation.lsuv(Arrays.asList(w), Arrays.asList(b), train.columns(),
					nonlinearity(hidden), stack.lsuv());
		}
		return new PolicyRun(policy.label(), w, b, plan.generator(), seed, lsuvIterations);
	}

	/** The training engine's activation, as signal propagation takes it. */
	static SignalPropagation.Nonlinearity nonlinearity(Activation activation) {
		return new SignalPropagation.Nonlinearity(activation.wireName(), activation::apply,
				activation::multiplyByDerivative, activation.saturates());
	}

}
