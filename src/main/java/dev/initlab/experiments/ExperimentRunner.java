package dev.initlab.experiments;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import org.springframework.stereotype.Component;

import dev.initlab.generation.Blueprint;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Planner;
import dev.initlab.generation.TensorSource;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
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
import dev.initlab.training.Datasets;
import dev.initlab.training.HistoryEntry;
import dev.initlab.training.Report;
import dev.initlab.training.Trainer;
import dev.initlab.training.Training;

/**
 * Checks an experiment request, prepares its data and each policy's initial parameters
 * (from the same generation code as {@code /initializations}, with
 * {@code seeding: sequential}), and trains them one after another.
 */
@Component
public class ExperimentRunner {

	static final List<String> DATASETS = List.of("planar_flower", "xor", "circles", "moons", "spirals", "blobs",
			"inline");

	private static final SecureRandom SEEDS = new SecureRandom();

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
		long seed = (r.seed() != null) ? r.seed() : SEEDS.nextLong() >>> 32;
		Generator generator = generator(r.rng(), "rng", Generator.DEFAULT, errors);
		ExperimentRequest.ModelSpec model = (r.model() != null) ? r.model()
				: new ExperimentRequest.ModelSpec(null, null, null);
		TrainingSpec ts = (r.training() != null) ? r.training()
				: new TrainingSpec(null, null, null, null, null, null, null, null);
		List<Integer> hiddenLayers = (model.hiddenLayers() != null) ? model.hiddenLayers() : List.of(4);
		Activation hidden = Activation.byName((model.activation() != null) ? model.activation() : "tanh").orElse(null);
		if (hidden == null) {
			errors.add(new FieldError("model.activation", "unknown activation '" + model.activation() + "'; allowed: "
					+ String.join(", ", Activation.names())));
		}
		String output = (model.output() != null) ? model.output() : "sigmoid";
		if (!List.of("sigmoid", "softmax").contains(output)) {
			errors.add(new FieldError("model.output", "unknown output '" + output + "'; allowed: sigmoid, softmax"));
		}
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
		Training training = training(ts, "training", errors);
		if (r.policies().size() > this.limits.maxPolicies()) {
			throw new LimitExceededException("policies", r.policies().size(), this.limits.maxPolicies(),
					ExperimentLimits.PREFIX + "max-policies", null);
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		Dataset[] data = datasets(r.dataset(), seed, generator);
		Dataset train = data[0];
		Dataset test = data[1];
		boolean softmax = output.equals("softmax");
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
		checkWork(r.policies().size(), training.iterations(), train.size(), sizes, this.limits.maxWork(),
				ExperimentLimits.PREFIX + "max-work", null);
		List<PolicyRun> runs = new ArrayList<>();
		for (int p = 0; p < r.policies().size(); p++) {
			runs.add(initialState(r.policies().get(p), p, seed, r.rng(), sizes, hidden, softmax, train));
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
		List<PolicyResult> results = new ArrayList<>();
		for (int p = 0; p < prepared.policies().size(); p++) {
			PolicyRun run = prepared.policies().get(p);
			int index = p;
			RandomStream shuffle = run.generator()
				.create(SeedMaterial.forTensorBlock(run.seed(), "experiment/minibatch-order", 0));
			List<HistoryEntry> history = Trainer.train(run.weights(), run.biases(), prepared.sizes(), prepared.hidden(),
					prepared.softmax(), prepared.train(), prepared.test(), prepared.training(), shuffle, cancelled,
					(entry) -> onRecord.accept(index, entry));
			results.add(new PolicyResult(run.label(), history,
					Verdicts.of(history, prepared.sizes()[1], prepared.hidden())));
		}
		return results;
	}

	/**
	 * The {@code symmetry_check} of {@code /initializations}: trains from exactly the
	 * plan's tensors (a stack of linear layers; the hidden activation is the layers'
	 * {@code activation}, default tanh; one output unit means sigmoid, more mean softmax)
	 * and reports.
	 */
	public Report symmetryCheck(SymmetryCheck check, List<LayerSpec> layers, Plan plan) {
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
		Training training = training(
				(check.training() != null) ? check.training()
						: new TrainingSpec(null, null, null, null, null, null, null, null),
				"symmetry_check.training", errors);
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		Generator generator = plan.generator();
		Dataset[] data = datasets(check.dataset(), plan.seed(), generator);
		if (data[0].features() != sizes[0]) {
			throw new InvalidRequestException("layers[0].in_features",
					"the dataset has " + data[0].features() + " features and the first layer takes " + sizes[0]);
		}
		if (!softmax && data[0].classes() > 2) {
			throw new InvalidRequestException("layers[" + (layers.size() - 1) + "].out_features",
					"one output unit (sigmoid) separates 2 classes and the dataset has " + data[0].classes());
		}
		checkWork(1, training.iterations(), data[0].size(), sizes, this.limits.syncMaxWork(),
				ExperimentLimits.PREFIX + "sync-max-work", "Run it as an experiment (POST /api/v1/experiments).");
		TensorSource source = new TensorSource(plan);
		double[][] w = new double[layers.size()][];
		double[][] b = new double[layers.size()][];
		for (int l = 0; l < layers.size(); l++) {
			w[l] = source.materialize(2 * l);
			b[l] = source.materialize(2 * l + 1);
		}
		RandomStream shuffle = generator
			.create(SeedMaterial.forTensorBlock(plan.seed(), "experiment/minibatch-order", 0));
		List<HistoryEntry> history = Trainer.train(w, b, sizes, hidden, softmax, data[0], data[1], training, shuffle,
				() -> false, (entry) -> {
				});
		return Report.of(history, Verdicts.of(history, sizes[1], hidden));
	}

	/**
	 * The training schedule, checked against the limits; field errors go to
	 * {@code errors}.
	 */
	private Training training(TrainingSpec ts, String path, List<FieldError> errors) {
		String optimizer = (ts.optimizer() != null) ? ts.optimizer() : "gd";
		if (!List.of("gd", "momentum", "adam").contains(optimizer)) {
			errors.add(new FieldError(path + ".optimizer",
					"unknown optimizer '" + optimizer + "'; allowed: gd, momentum, adam"));
		}
		int iterations = (ts.iterations() != null) ? ts.iterations() : 1000;
		if (iterations < 1) {
			errors.add(new FieldError(path + ".iterations", "must be >= 1"));
		}
		if (iterations > this.limits.maxIterations()) {
			throw new LimitExceededException("iterations", iterations, this.limits.maxIterations(),
					ExperimentLimits.PREFIX + "max-iterations", null);
		}
		int recordEvery = (ts.recordEvery() != null) ? ts.recordEvery() : Math.max(1, iterations / 10);
		if (recordEvery < 1) {
			errors.add(new FieldError(path + ".record_every", "must be >= 1"));
			recordEvery = 1;
		}
		else if (iterations / recordEvery > this.limits.maxRecords()) {
			throw new LimitExceededException("recorded entries per policy (iterations / record_every)",
					iterations / recordEvery, this.limits.maxRecords(), ExperimentLimits.PREFIX + "max-records",
					"Raise training.record_every.");
		}
		double lr = (ts.learningRate() != null) ? ts.learningRate() : 1.2;
		if (!(lr > 0) || !Double.isFinite(lr)) {
			errors.add(new FieldError(path + ".learning_rate", "must be a positive number"));
		}
		if (ts.batchSize() != null && ts.batchSize() < 1) {
			errors.add(new FieldError(path + ".batch_size", "must be >= 1 (omit it for full batch)"));
		}
		return new Training(optimizer, lr, Math.max(1, iterations), recordEvery,
				(ts.batchSize() != null) ? ts.batchSize() : 0, (ts.beta() != null) ? ts.beta() : 0.9,
				(ts.beta2() != null) ? ts.beta2() : 0.999, (ts.epsilon() != null) ? ts.epsilon() : 1e-8);
	}

	/** Bounds policies × iterations × samples × parameters by {@code limit}. */
	private static void checkWork(int policies, int iterations, int samples, int[] sizes, long limit, String property,
			String advice) {
		long parameters = 0;
		for (int l = 1; l < sizes.length; l++) {
			parameters += (long) sizes[l] * (sizes[l - 1] + 1);
		}
		double work = (double) policies * iterations * samples * parameters;
		if (work > limit) {
			throw new LimitExceededException("units of work (policies × iterations × samples × parameters)",
					(long) Math.min(work, Long.MAX_VALUE), limit, property, advice);
		}
	}

	/**
	 * A policy's initial parameters: planned as {@code /initializations} would with
	 * {@code seeding: sequential} (the overrides as the layers' own init), then, where a
	 * layer's weight scheme is lsuv, rescaled by LSUV on the training inputs — every such
	 * layer, the output layer included, as Mishkin and Matas do (an override keeps a
	 * layer out of it).
	 */
	private PolicyRun initialState(ExperimentRequest.PolicySpec policy, int index, long requestSeed, String requestRng,
			int[] sizes, Activation hidden, boolean softmax, Dataset train) {
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
		Generator generator = InvalidRequestException.lookup("rng", "rng",
				(policy.rng() != null) ? policy.rng() : requestRng, Generator.DEFAULT, Generator::byName,
				Generator.names(), found);
		Plan plan;
		try {
			plan = this.planner.plan(Blueprint.sequentialData(seed, generator, stack.init(), layers), OutputFormat.JSON,
					null, found);
		}
		catch (InvalidRequestException ex) {
			// the layers come from model, their overrides and init from the policy
			throw stack.prefixed(ex, path, "model");
		}
		TensorSource source = new TensorSource(plan);
		double[][] w = new double[n][];
		double[][] b = new double[n][];
		for (int l = 0; l < n; l++) {
			w[l] = source.materialize(2 * l);
			b[l] = source.materialize(2 * l + 1);
		}
		List<Integer> lsuvIterations = null;
		if (stack.usesLsuv()) {
			// W a + b is linear in (W, b): on the fixed training batch one rescaling
			// per layer is exact, so this costs about two forward passes, less than
			// the one training iteration the work bound already counts
			lsuvIterations = SignalPropagation.lsuv(Arrays.asList(w), Arrays.asList(b), features(train),
					nonlinearity(hidden), stack.lsuv());
		}
		return new PolicyRun(policy.label(), w, b, plan.generator(), seed, lsuvIterations);
	}

	/** The samples as {@code [features][samples]}. */
	private static double[][] features(Dataset data) {
		double[][] x = new double[data.features()][data.size()];
		for (int s = 0; s < data.size(); s++) {
			double[] row = data.x()[s];
			for (int f = 0; f < row.length; f++) {
				x[f][s] = row[f];
			}
		}
		return x;
	}

	/** The training engine's activation, as signal propagation takes it. */
	static SignalPropagation.Nonlinearity nonlinearity(Activation activation) {
		return new SignalPropagation.Nonlinearity(activation.wireName(), activation::apply,
				activation::multiplyByDerivative, activation.saturates());
	}

	private Dataset[] datasets(DatasetSpec spec, long requestSeed, Generator requestGenerator) {
		DatasetSpec d = (spec != null) ? spec
				: new DatasetSpec("planar_flower", null, null, null, null, null, null, null, null, null, null);
		String name = (d.name() != null) ? d.name() : "planar_flower";
		if (!DATASETS.contains(name)) {
			throw new InvalidRequestException("dataset.name",
					"unknown dataset '" + name + "'; allowed: " + String.join(", ", DATASETS));
		}
		List<FieldError> errors = new ArrayList<>();
		Generator generator = (d.rng() != null) ? generator(d.rng(), "dataset.rng", requestGenerator, errors)
				: requestGenerator;
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		long seed = (d.seed() != null) ? d.seed() : requestSeed;
		checkSeed(generator, seed, "dataset.seed");
		Dataset all = draw(name, d, d.nSamples(), generator.sequential(seed));
		int testSamples = 0;
		if (d.test() != null) {
			testSamples = d.test().nSamples();
		}
		if (all.size() + testSamples > this.limits.maxSamples()) {
			throw new LimitExceededException("samples", all.size() + testSamples, this.limits.maxSamples(),
					ExperimentLimits.PREFIX + "max-samples", null);
		}
		if (d.test() != null) {
			if (d.testFraction() != null && d.testFraction() > 0) {
				throw new InvalidRequestException("dataset.test", "give either test or test_fraction, not both");
			}
			if (testSamples < 1) {
				throw new InvalidRequestException("dataset.test.n_samples", "must be >= 1");
			}
			long testSeed = (d.test().seed() != null) ? d.test().seed() : seed + 1;
			checkSeed(generator, testSeed, "dataset.test.seed");
			return new Dataset[] { all, draw(name, d, testSamples, generator.sequential(testSeed)) };
		}
		double fraction = (d.testFraction() != null) ? d.testFraction() : 0.0;
		if (!(fraction >= 0 && fraction < 1)) {
			throw new InvalidRequestException("dataset.test_fraction", "must be in [0, 1)");
		}
		if (fraction == 0) {
			return new Dataset[] { all, null };
		}
		Dataset[] split = Datasets.split(all, fraction,
				generator.create(SeedMaterial.forTensorBlock(seed, "experiment/test-split", 0)));
		if (split[0].size() == 0 || split[1].size() == 0) {
			throw new InvalidRequestException("dataset.test_fraction", "leaves an empty training or test set");
		}
		return split;
	}

	private Dataset draw(String name, DatasetSpec d, Integer requested, RandomStream s) {
		int n;
		switch (name) {
			case "planar_flower" -> {
				n = sized(requested, 400, 2);
				return Datasets.planarFlower(n, noise(d, 0.2), s);
			}
			case "xor" -> {
				n = sized(requested, 4, 4);
				return Datasets.xor(n, noise(d, 0.1), s);
			}
			case "circles" -> {
				n = sized(requested, 300, 2);
				double factor = (d.factor() != null) ? d.factor() : 0.8;
				if (!(factor > 0 && factor < 1)) {
					throw new InvalidRequestException("dataset.factor", "must be in (0, 1)");
				}
				return Datasets.circles(n, noise(d, 0.05), factor, s);
			}
			case "moons" -> {
				n = sized(requested, 300, 2);
				return Datasets.moons(n, noise(d, 0.1), s);
			}
			case "spirals" -> {
				n = sized(requested, 400, 2);
				return Datasets.spirals(n, noise(d, 0.05), s);
			}
			case "blobs" -> {
				n = sized(requested, 300, 2);
				int centers = (d.centers() != null) ? d.centers() : 3;
				if (centers < 2 || centers > 32) {
					throw new InvalidRequestException("dataset.centers", "must be in [2, 32]");
				}
				return Datasets.blobs(n, centers, noise(d, 1.0), s);
			}
			default -> {
				return inline(d);
			}
		}
	}

	private int sized(Integer requested, int fallback, int min) {
		int n = (requested != null) ? requested : fallback;
		if (n < min) {
			throw new InvalidRequestException("dataset.n_samples", "must be >= " + min);
		}
		if (n > this.limits.maxSamples()) {
			throw new LimitExceededException("samples", n, this.limits.maxSamples(),
					ExperimentLimits.PREFIX + "max-samples", null);
		}
		return n;
	}

	private static double noise(DatasetSpec d, double fallback) {
		double noise = (d.noise() != null) ? d.noise() : fallback;
		if (!(noise >= 0) || !Double.isFinite(noise)) {
			throw new InvalidRequestException("dataset.noise", "must be a finite number >= 0");
		}
		return noise;
	}

	private Dataset inline(DatasetSpec d) {
		if (d.x() == null || d.y() == null || d.x().isEmpty()) {
			throw new InvalidRequestException("dataset.x", "an inline dataset needs x (samples × features) and y");
		}
		if (d.x().size() != d.y().size()) {
			throw new InvalidRequestException("dataset.y",
					"y has " + d.y().size() + " labels for " + d.x().size() + " samples");
		}
		if (d.x().size() > this.limits.maxSamples()) {
			throw new LimitExceededException("samples", d.x().size(), this.limits.maxSamples(),
					ExperimentLimits.PREFIX + "max-samples", null);
		}
		int features = (d.x().get(0) != null) ? d.x().get(0).size() : 0;
		if (features < 1 || features > 1024) {
			throw new InvalidRequestException("dataset.x[0]", "samples need 1 to 1024 features");
		}
		double[][] x = new double[d.x().size()][];
		int[] y = new int[d.y().size()];
		int classes = 0;
		for (int i = 0; i < x.length; i++) {
			List<Double> row = d.x().get(i);
			if (row == null || row.size() != features) {
				throw new InvalidRequestException("dataset.x[" + i + "]",
						"every sample needs " + features + " features");
			}
			x[i] = new double[features];
			for (int f = 0; f < features; f++) {
				Double v = row.get(f);
				if (v == null || !Double.isFinite(v)) {
					throw new InvalidRequestException("dataset.x[" + i + "][" + f + "]", "must be a finite number");
				}
				x[i][f] = v;
			}
			Integer label = d.y().get(i);
			if (label == null || label < 0 || label > 255) {
				throw new InvalidRequestException("dataset.y[" + i + "]", "labels are classes 0..255");
			}
			y[i] = label;
			classes = Math.max(classes, label + 1);
		}
		return new Dataset(x, y, Math.max(2, classes));
	}

	private static Generator generator(String name, String field, Generator fallback, List<FieldError> errors) {
		if (name == null) {
			return fallback;
		}
		return Generator.byName(name).orElseGet(() -> {
			errors.add(new FieldError(field,
					"unknown rng '" + name + "'; allowed: " + String.join(", ", Generator.names())));
			return fallback;
		});
	}

	private static void checkSeed(Generator generator, long seed, String field) {
		String problem = generator.seedProblem(seed);
		if (problem != null) {
			throw new InvalidRequestException(field, problem + "; got " + seed);
		}
	}

}
