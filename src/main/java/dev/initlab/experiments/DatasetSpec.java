package dev.initlab.experiments;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.Limit;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.rng.Generator;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;
import dev.initlab.training.Dataset;
import dev.initlab.training.DatasetKind;
import dev.initlab.training.Datasets;

/**
 * The data of an experiment or a symmetry check.
 *
 * @param name the dataset (see {@link DatasetKind}; default {@code planar_flower})
 * @param nSamples samples (defaults per dataset)
 * @param noise noise std (defaults per dataset)
 * @param factor circles: inner radius / outer radius (0.8)
 * @param centers blobs: number of clusters (3)
 * @param testFraction share held out as a test set (default 0)
 * @param test a test set drawn separately
 * @param seed the dataset's seed (default the request's)
 * @param rng the dataset's generator (default the request's)
 * @param x inline: samples × features
 * @param y inline: labels
 */
public record DatasetSpec(@Schema(example = "planar_flower") String name,
		@Limit(property = "initlab.experiments.max-samples", what = "samples") Integer nSamples, Double noise,
		Double factor, Integer centers, Double testFraction, @Valid TestSpec test, Long seed, String rng,
		List<List<Double>> x, List<Integer> y) {

	/** Every field at its default: the planar flower. */
	static final DatasetSpec DEFAULTS = new DatasetSpec(null, null, null, null, null, null, null, null, null, null,
			null);

	/**
	 * The training and test sets (test null without a split).
	 *
	 * @param train the training set
	 * @param test the test set, or null
	 */
	record Split(Dataset train, Dataset test) {
	}

	/**
	 * Draws the data this spec describes, checked against the limits.
	 * @param requestSeed the seed when the spec has none
	 * @param requestGenerator the generator when the spec has none
	 * @param limits the experiment limits
	 * @throws InvalidRequestException naming the field at fault
	 * @throws LimitExceededException when a limit is exceeded
	 */
	Split resolve(long requestSeed, Generator requestGenerator, ExperimentLimits limits) {
		DatasetKind kind = InvalidRequestException.lookup("dataset.name", "dataset", this.name,
				DatasetKind.PLANAR_FLOWER, DatasetKind::byName, DatasetKind.names());
		Generator generator = InvalidRequestException.lookup("dataset.rng", "rng", this.rng, requestGenerator,
				Generator::byName, Generator.names());
		long seed = (this.seed != null) ? this.seed : requestSeed;
		checkSeed(generator, seed, "dataset.seed");
		Dataset all = draw(kind, this.nSamples, generator.sequential(seed), limits);
		int testSamples = 0;
		if (this.test != null) {
			testSamples = this.test.nSamples();
		}
		if (all.size() + testSamples > limits.maxSamples()) {
			throw new LimitExceededException("samples", all.size() + testSamples, limits.maxSamples(),
					ExperimentLimits.PREFIX + "max-samples", null);
		}
		if (this.test != null) {
			if (this.testFraction != null && this.testFraction > 0) {
				throw new InvalidRequestException("dataset.test", "give either test or test_fraction, not both");
			}
			if (testSamples < 1) {
				throw new InvalidRequestException("dataset.test.n_samples", "must be >= 1");
			}
			long testSeed = (this.test.seed() != null) ? this.test.seed() : seed + 1;
			checkSeed(generator, testSeed, "dataset.test.seed");
			return new Split(all, draw(kind, testSamples, generator.sequential(testSeed), limits));
		}
		double fraction = (this.testFraction != null) ? this.testFraction : 0.0;
		if (!(fraction >= 0 && fraction < 1)) {
			throw new InvalidRequestException("dataset.test_fraction", "must be in [0, 1)");
		}
		if (fraction == 0) {
			return new Split(all, null);
		}
		Dataset[] split = Datasets.split(all, fraction,
				generator.create(SeedMaterial.forTensorBlock(seed, "experiment/test-split", 0)));
		if (split[0].size() == 0 || split[1].size() == 0) {
			throw new InvalidRequestException("dataset.test_fraction", "leaves an empty training or test set");
		}
		return new Split(split[0], split[1]);
	}

	private Dataset draw(DatasetKind kind, Integer requested, RandomStream s, ExperimentLimits limits) {
		if (kind == DatasetKind.INLINE) {
			return inline(limits);
		}
		int n = sized(kind, requested, limits);
		return switch (kind) {
			case PLANAR_FLOWER -> Datasets.planarFlower(n, noise(kind), s);
			case XOR -> Datasets.xor(n, noise(kind), s);
			case CIRCLES -> {
				double factor = (this.factor != null) ? this.factor : 0.8;
				if (!(factor > 0 && factor < 1)) {
					throw new InvalidRequestException("dataset.factor", "must be in (0, 1)");
				}
				yield Datasets.circles(n, noise(kind), factor, s);
			}
			case MOONS -> Datasets.moons(n, noise(kind), s);
			case SPIRALS -> Datasets.spirals(n, noise(kind), s);
			case BLOBS -> {
				int centers = (this.centers != null) ? this.centers : 3;
				if (centers < 2 || centers > 32) {
					throw new InvalidRequestException("dataset.centers", "must be in [2, 32]");
				}
				yield Datasets.blobs(n, centers, noise(kind), s);
			}
			case INLINE -> throw new IllegalStateException("drawn above");
		};
	}

	private double noise(DatasetKind kind) {
		double noise = (this.noise != null) ? this.noise : kind.defaultNoise();
		if (!(noise >= 0) || !Double.isFinite(noise)) {
			throw new InvalidRequestException("dataset.noise", "must be a finite number >= 0");
		}
		return noise;
	}

	private static int sized(DatasetKind kind, Integer requested, ExperimentLimits limits) {
		int n = (requested != null) ? requested : kind.defaultSamples();
		if (n < kind.minSamples()) {
			throw new InvalidRequestException("dataset.n_samples", "must be >= " + kind.minSamples());
		}
		if (n > limits.maxSamples()) {
			throw new LimitExceededException("samples", n, limits.maxSamples(), ExperimentLimits.PREFIX + "max-samples",
					null);
		}
		return n;
	}

	private Dataset inline(ExperimentLimits limits) {
		if (this.x == null || this.y == null || this.x.isEmpty()) {
			throw new InvalidRequestException("dataset.x", "an inline dataset needs x (samples × features) and y");
		}
		if (this.x.size() != this.y.size()) {
			throw new InvalidRequestException("dataset.y",
					"y has " + this.y.size() + " labels for " + this.x.size() + " samples");
		}
		if (this.x.size() > limits.maxSamples()) {
			throw new LimitExceededException("samples", this.x.size(), limits.maxSamples(),
					ExperimentLimits.PREFIX + "max-samples", null);
		}
		int features = (this.x.get(0) != null) ? this.x.get(0).size() : 0;
		if (features < 1 || features > 1024) {
			throw new InvalidRequestException("dataset.x[0]", "samples need 1 to 1024 features");
		}
		double[][] x = new double[this.x.size()][];
		int[] y = new int[this.y.size()];
		int classes = 0;
		for (int i = 0; i < x.length; i++) {
			List<Double> row = this.x.get(i);
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
			Integer label = this.y.get(i);
			if (label == null || label < 0 || label > 255) {
				throw new InvalidRequestException("dataset.y[" + i + "]", "labels are classes 0..255");
			}
			y[i] = label;
			classes = Math.max(classes, label + 1);
		}
		return new Dataset(x, y, Math.max(2, classes));
	}

	private static void checkSeed(Generator generator, long seed, String field) {
		String problem = generator.seedProblem(seed);
		if (problem != null) {
			throw new InvalidRequestException(field, problem + "; got " + seed);
		}
	}

}
