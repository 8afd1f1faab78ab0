package dev.initlab.training;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.initlab.rng.Generator;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The {@code symmetry} metrics of docs/API.md section 3: tiny hand-computed cases for
 * each rule, then the invariants a student should see in training (zeros and constant
 * inits never break symmetry, random inits keep every unit distinct, XOR needs broken
 * symmetry).
 */
class SymmetryMetricsTests {

	private static final double LN2 = Math.log(2);

	private static final double[][] ANY_ACTIVATIONS = { { 1, 2, 3 }, { 3, 1, 2 }, { 2, 3, 1 } };

	/**
	 * Metrics of a layer given as rows [w..., b]; the activations are three unrelated
	 * non-constant rows unless given.
	 */
	private static Symmetry metrics(double[][] rowsWithBias) {
		return metrics(rowsWithBias, null);
	}

	private static Symmetry metrics(double[][] rowsWithBias, double[][] activations) {
		int units = rowsWithBias.length;
		int inputs = rowsWithBias[0].length - 1;
		double[] w = new double[units * inputs];
		double[] b = new double[units];
		for (int i = 0; i < units; i++) {
			System.arraycopy(rowsWithBias[i], 0, w, i * inputs, inputs);
			b[i] = rowsWithBias[i][inputs];
		}
		double[][] a = activations;
		if (a == null) {
			a = new double[units][];
			for (int i = 0; i < units; i++) {
				a[i] = ANY_ACTIVATIONS[i % 3];
			}
		}
		return SymmetryMetrics.of(w, b, units, inputs, a);
	}

	private static double[][] weightsOnly(double[][] rows) {
		double[][] out = new double[rows.length][];
		for (int i = 0; i < rows.length; i++) {
			out[i] = java.util.Arrays.copyOf(rows[i], rows[i].length + 1);
		}
		return out;
	}

	@Nested
	class DistinctUnits {

		@Test
		void rowsWithinOneMillionthOfTheLargerMaxAbsAreOneUnit() {
			// |diff| 2^-20 = 9.5e-7 <= 1e-6 * (1 + 2^-20): same
			assertThat(metrics(new double[][] { { 1.0, 0.5, 0 }, { 1.0 + 0x1p-20, 0.5, 0 } }).distinctUnits())
				.isEqualTo(1);
			// |diff| 2^-19 = 1.9e-6 > 1e-6 * (1 + 2^-19): different
			assertThat(metrics(new double[][] { { 1.0, 0.5, 0 }, { 1.0 + 0x1p-19, 0.5, 0 } }).distinctUnits())
				.isEqualTo(2);
			// relative, not absolute: the same 2^-19 gap on rows of size 4 is within 4e-6
			assertThat(metrics(new double[][] { { 4.0, 0.5, 0 }, { 4.0 + 0x1p-19, 0.5, 0 } }).distinctUnits())
				.isEqualTo(1);
		}

		@Test
		void theBiasIsPartOfTheRow() {
			// equal weights, different biases: two units
			assertThat(metrics(new double[][] { { 1, 1, 0 }, { 1, 1, 1 } }).distinctUnits()).isEqualTo(2);
			// the bias also sets the scale: a 1e-5 gap is within 1e-6 * 100 but not 1e-6
			// * 1
			assertThat(metrics(new double[][] { { 1, 0, 100 }, { 1, 1e-5, 100 } }).distinctUnits()).isEqualTo(1);
			assertThat(metrics(new double[][] { { 1, 0, 0 }, { 1, 1e-5, 0 } }).distinctUnits()).isEqualTo(2);
		}

		@Test
		void zeroRowsAreOneUnitAndDifferFromAnyNonZeroRow() {
			assertThat(metrics(new double[][] { { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 0 } }).distinctUnits()).isEqualTo(1);
			// a zero row and a tiny row: gap 1e-300 > 1e-6 * 1e-300
			assertThat(metrics(new double[][] { { 0, 0, 0 }, { 1e-300, 0, 0 } }).distinctUnits()).isEqualTo(2);
			// -0.0 equals 0.0
			assertThat(metrics(new double[][] { { -0.0, 0, 0 }, { 0, -0.0, 0 } }).distinctUnits()).isEqualTo(1);
		}

		@Test
		void unitsAreConnectedComponentsOfTheRelation() {
			// a ~ b and b ~ c (gaps 6e-7) but not a ~ c (1.2e-6): one cluster
			double[][] chain = { { 1.0, 0 }, { 1.0 + 6e-7, 0 }, { 1.0 + 1.2e-6, 0 } };
			assertThat(SymmetryMetrics.same(chain[0], chain[1])).isTrue();
			assertThat(SymmetryMetrics.same(chain[1], chain[2])).isTrue();
			assertThat(SymmetryMetrics.same(chain[0], chain[2])).isFalse();
			assertThat(metrics(chain).distinctUnits()).isEqualTo(1);
			// two pairs and a singleton, in mixed order: 3
			assertThat(metrics(new double[][] { { 1, 2, 3 }, { 5, 5, 5 }, { 1, 2, 3 }, { 0, 0, 0 }, { 5, 5, 5 } })
				.distinctUnits()).isEqualTo(3);
		}

	}

	@Nested
	class Cosines {

		@Test
		void signedCosineOverPairsOfWeightRows() {
			// rows (1, 0), (0, 1), (1, 1): cosines 0, 1/sqrt2, 1/sqrt2
			Symmetry s = metrics(weightsOnly(new double[][] { { 1, 0 }, { 0, 1 }, { 1, 1 } }));
			assertThat(s.maxCosine()).isCloseTo(Math.sqrt(0.5), within(1e-15));
			assertThat(s.meanCosine()).isCloseTo(2 * Math.sqrt(0.5) / 3, within(1e-15));
			// opposite rows: -1, signed
			Symmetry opposite = metrics(weightsOnly(new double[][] { { 3, -4 }, { -6, 8 } }));
			assertThat(opposite.maxCosine()).isCloseTo(-1.0, within(1e-15));
			assertThat(opposite.meanCosine()).isCloseTo(-1.0, within(1e-15));
		}

		@Test
		void theBiasIsExcluded() {
			// parallel weights, different biases: cosine 1 although the units differ
			Symmetry s = metrics(new double[][] { { 1, 2, 5 }, { 2, 4, -7 } });
			assertThat(s.maxCosine()).isCloseTo(1.0, within(1e-15));
			assertThat(s.distinctUnits()).isEqualTo(2);
		}

		@Test
		void zeroRowsScoreOneTogetherAndZeroWithANonZeroRow() {
			Symmetry bothZero = metrics(new double[][] { { 0, 0, 1 }, { 0, 0, 2 } });
			assertThat(bothZero.maxCosine()).isEqualTo(1.0);
			assertThat(bothZero.meanCosine()).isEqualTo(1.0);
			Symmetry oneZero = metrics(new double[][] { { 0, 0, 0 }, { 1, 2, 0 } });
			assertThat(oneZero.maxCosine()).isEqualTo(0.0);
			// (0, 0), (0, 0), (3, 4): pairs 1, 0, 0
			Symmetry mixed = metrics(weightsOnly(new double[][] { { 0, 0 }, { 0, 0 }, { 3, 4 } }));
			assertThat(mixed.maxCosine()).isEqualTo(1.0);
			assertThat(mixed.meanCosine()).isCloseTo(1.0 / 3, within(1e-15));
		}

		@Test
		void oneUnitHasNoPairs() {
			Symmetry s = metrics(new double[][] { { 1, 2, 3 } });
			assertThat(s.distinctUnits()).isEqualTo(1);
			assertThat(s.maxCosine()).isNull();
			assertThat(s.meanCosine()).isNull();
			assertThat(s.activationCorrelation()).isNull();
			assertThat(s.rank()).isEqualTo(1);
		}

	}

	@Nested
	class Rank {

		// expected values are numpy.linalg.matrix_rank's

		@Test
		void rankDeficientThreeByThree() {
			// singular values 16.8, 1.07, 4.4e-16; tolerance 3 * eps * 16.8 = 1.1e-14
			assertThat(SymmetryMetrics.rank(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 3, 3)).isEqualTo(2);
			assertThat(SymmetryMetrics.rank(new double[] { 1, 2, 3, 2, 4, 6, 1, 0, 1 }, 3, 3)).isEqualTo(2);
			assertThat(SymmetryMetrics.rank(new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, 3, 3)).isEqualTo(3);
		}

		@Test
		void zeroMatrixHasRankZeroAndParallelRowsRankOne() {
			assertThat(SymmetryMetrics.rank(new double[6], 3, 2)).isZero();
			assertThat(SymmetryMetrics.rank(new double[] { 1, 2, 2, 4, -3, -6, 0.5, 1 }, 4, 2)).isEqualTo(1);
		}

		@Test
		void toleranceIsMaxDimensionTimesEpsTimesLargestSingularValue() {
			// diag(1, 1e-17): 1e-17 < 2 eps; diag(1, 1e-15): 1e-15 > 2 eps
			assertThat(SymmetryMetrics.rank(new double[] { 1, 0, 0, 1e-17 }, 2, 2)).isEqualTo(1);
			assertThat(SymmetryMetrics.rank(new double[] { 1, 0, 0, 1e-15 }, 2, 2)).isEqualTo(2);
			// 4 x 2 with singular values 1 and 6e-16: above min(m, n) eps = 4.4e-16 but
			// below max(m, n) eps = 8.9e-16, so rank 1 as NumPy
			assertThat(SymmetryMetrics.rank(new double[] { 1, 0, 0, 6e-16, 0, 0, 0, 0 }, 4, 2)).isEqualTo(1);
			// scale-free
			assertThat(SymmetryMetrics.rank(new double[] { 1e-200, 0, 0, 1e-215 }, 2, 2)).isEqualTo(2);
		}

	}

	@Nested
	class ActivationCorrelation {

		private final double[][] threeUnits = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };

		@Test
		void meanPearsonCorrelationOverPairs() {
			// (1, 2, 3) ~ (2, 4, 6): 1; with (3, 2, 1): -1, -1; mean -1/3
			Symmetry s = metrics(this.threeUnits, new double[][] { { 1, 2, 3 }, { 2, 4, 6 }, { 3, 2, 1 } });
			assertThat(s.activationCorrelation()).isCloseTo(-1.0 / 3, within(1e-15));
			// (1, 2, 3, 4) and (1, 3, 2, 4): 4 / 5
			Symmetry two = metrics(new double[][] { { 1, 0, 0 }, { 0, 1, 0 } },
					new double[][] { { 1, 2, 3, 4 }, { 1, 3, 2, 4 } });
			assertThat(two.activationCorrelation()).isCloseTo(0.8, within(1e-15));
		}

		@Test
		void aConstantUnitScoresOneOnlyWithAnEqualRow() {
			assertThat(correlation(new double[] { 0, 0, 0 }, new double[] { 0, 0, 0 })).isEqualTo(1.0);
			assertThat(correlation(new double[] { 0.5, 0.5, 0.5 }, new double[] { 0.5, 0.5, 0.5 })).isEqualTo(1.0);
			// constant vs varying: 0
			assertThat(correlation(new double[] { 0.5, 0.5, 0.5 }, new double[] { 1, 2, 3 })).isEqualTo(0.0);
			// constant vs a row equal to it by the 1e-6 rule: 1
			assertThat(correlation(new double[] { 1, 1, 1 }, new double[] { 1, 1, 1 + 1e-9 })).isEqualTo(1.0);
			assertThat(correlation(new double[] { 1, 1, 1 }, new double[] { 1, 1, 2 })).isEqualTo(0.0);
			// two different constants: 0
			assertThat(correlation(new double[] { 1, 1, 1 }, new double[] { 2, 2, 2 })).isEqualTo(0.0);
		}

		@Test
		void constantsWhoseMeanIsNotExactAreStillConstant() {
			// 0.1 + 0.1 + 0.1 = 0.30000000000000004, so the computed means are not 0.1
			// and 0.2 and the deviations are tiny non-zero constants: still two constant
			// units with different values, so 0, not the Pearson value of their rounding
			// errors
			assertThat(correlation(new double[] { 0.1, 0.1, 0.1 }, new double[] { 0.2, 0.2, 0.2 })).isEqualTo(0.0);
			assertThat(correlation(new double[] { 0.1, 0.1, 0.1 }, new double[] { 0.1, 0.1, 0.1 })).isEqualTo(1.0);
			double t = Math.tanh(0.3);
			double[] constant = new double[400];
			java.util.Arrays.fill(constant, t);
			double[] other = new double[400];
			java.util.Arrays.fill(other, Math.tanh(-0.7));
			assertThat(correlation(constant, other)).isEqualTo(0.0);
			assertThat(correlation(constant, constant.clone())).isEqualTo(1.0);
		}

		private double correlation(double[] a, double[] b) {
			return metrics(new double[][] { { 1, 0 }, { 2, 0 } }, new double[][] { a, b }).activationCorrelation();
		}

	}

	// ------------------------------------------------------------ invariants in training

	/** A training set from the default fast generator: 140 of 200 noisy moons. */
	private static Dataset moons(long seed) {
		RandomStream s = stream(seed);
		return Datasets.split(Datasets.moons(200, 0.2, s), 0.3, s)[0];
	}

	private static RandomStream stream(long seed) {
		return Generator.XOSHIRO256PP.create(SeedMaterial.forSequential(seed));
	}

	private static List<HistoryEntry> train(double[][] w, double[][] b, int[] sizes, Activation hidden, Dataset data,
			int iterations, int recordEvery) {
		Training training = new Training(OptimizerKind.GD, 1.2, iterations, recordEvery, 0, 0.9, 0.999, 1e-8);
		return Trainer.train(w, b, sizes, hidden, false, data, null, training, null, () -> false, e -> {
		});
	}

	/** Every weight {@code w}, every bias {@code bias}. */
	private static double[][][] constant(int[] sizes, double w, double bias) {
		int layers = sizes.length - 1;
		double[][] ws = new double[layers][];
		double[][] bs = new double[layers][];
		for (int l = 0; l < layers; l++) {
			ws[l] = new double[sizes[l + 1] * sizes[l]];
			for (int i = 0; i < ws[l].length; i++) {
				ws[l][i] = w;
			}
			bs[l] = new double[sizes[l + 1]];
			java.util.Arrays.fill(bs[l], bias);
		}
		return new double[][][] { ws, bs };
	}

	/**
	 * Normal weights with std {@code gain / sqrt(fan)} per layer, layer order, zero
	 * biases.
	 */
	private static double[][][] normal(int[] sizes, RandomStream s, boolean xavier) {
		int layers = sizes.length - 1;
		double[][] ws = new double[layers][];
		double[][] bs = new double[layers][];
		for (int l = 0; l < layers; l++) {
			double std = xavier ? Math.sqrt(2.0 / (sizes[l] + sizes[l + 1])) : Math.sqrt(2.0 / sizes[l]);
			ws[l] = new double[sizes[l + 1] * sizes[l]];
			for (int i = 0; i < ws[l].length; i++) {
				ws[l][i] = std * s.nextGaussian();
			}
			bs[l] = new double[sizes[l + 1]];
		}
		return new double[][][] { ws, bs };
	}

	private static double shareOfLabel0(Dataset data) {
		int zeros = 0;
		for (int y : data.y()) {
			if (y == 0) {
				zeros++;
			}
		}
		return (double) zeros / data.size();
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = Activation.class, names = { "TANH", "RELU" })
	void zerosInitNeverBreaksSymmetry(Activation hidden) {
		for (long seed = 1; seed <= 5; seed++) {
			Dataset data = moons(seed);
			double p0 = shareOfLabel0(data);
			assertThat(p0).as("the split is unbalanced, so the output bias has something to learn").isNotEqualTo(0.5);
			int[] sizes = { 2, 4, 1 };
			double[][][] zeros = constant(sizes, 0.0, 0.0);
			List<HistoryEntry> history = train(zeros[0], zeros[1], sizes, hidden, data, 2000, 500);
			for (HistoryEntry e : history) {
				Symmetry s = e.symmetry();
				assertThat(s.distinctUnits()).isEqualTo(1);
				assertThat(s.rank()).isZero();
				assertThat(s.maxCosine()).isEqualTo(1.0);
				assertThat(s.meanCosine()).isEqualTo(1.0);
				assertThat(s.activationCorrelation()).isEqualTo(1.0);
				assertThat(e.gradNorms().get(0)).as("no gradient reaches W1").isZero();
			}
			HistoryEntry first = history.get(0);
			assertThat(first.loss()).isCloseTo(LN2, within(1e-15));
			// sigmoid(0) = 0.5 is not > 0.5: everything is class 0
			assertThat(first.trainAccuracy()).isEqualTo(p0);
			// only the output bias learns: the best constant predictor, the majority
			// class
			// with the labels' entropy as loss
			HistoryEntry last = history.get(history.size() - 1);
			assertThat(last.trainAccuracy()).isEqualTo(Math.max(p0, 1 - p0));
			double entropy = -(p0 * Math.log(p0) + (1 - p0) * Math.log(1 - p0));
			assertThat(last.loss()).isCloseTo(entropy, within(1e-9));
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = Activation.class, names = { "TANH", "RELU", "SIGMOID" })
	void constantNonZeroInitMovesButStaysSymmetric(Activation hidden) {
		for (long seed = 1; seed <= 5; seed++) {
			Dataset data = moons(seed);
			int[] sizes = { 2, 5, 1 };
			double[][][] constant = constant(sizes, 0.3, 0.1);
			List<HistoryEntry> history = train(constant[0], constant[1], sizes, hidden, data, 1000, 100);
			for (HistoryEntry e : history) {
				Symmetry s = e.symmetry();
				assertThat(s.distinctUnits()).as("iteration %d", e.iteration()).isEqualTo(1);
				assertThat(s.rank()).isEqualTo(1);
				assertThat(s.maxCosine()).isCloseTo(1.0, within(1e-12));
				assertThat(s.activationCorrelation()).isCloseTo(1.0, within(1e-12));
			}
			assertThat(history.get(0).gradNorms().get(0)).as("W1 receives a gradient").isPositive();
			assertThat(history.get(history.size() - 1).loss()).isLessThan(history.get(0).loss());

			// the weights themselves: every row moved, and all rows are still bit-equal
			Network net = new Network(sizes, hidden, false, copy(constant[0]), copy(constant[1]));
			Optimizer gd = new Optimizer(OptimizerKind.GD, 1.2, 0.9, 0.999, 1e-8);
			double[][] x = data.columns();
			for (int it = 0; it < 1000; it++) {
				gd.step(net, net.backward(net.forward(x), data.y()));
			}
			for (int i = 0; i < 5; i++) {
				assertThat(net.w[0][2 * i]).isNotEqualTo(0.3).isEqualTo(net.w[0][0]);
				assertThat(net.w[0][2 * i + 1]).isNotEqualTo(0.3).isEqualTo(net.w[0][1]);
				assertThat(net.b[0][i]).isNotEqualTo(0.1).isEqualTo(net.b[0][0]);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = Activation.class, names = { "TANH", "RELU", "SIGMOID" })
	void randomInitKeepsEveryUnitDistinct(Activation hidden) {
		for (long seed = 1; seed <= 5; seed++) {
			Dataset data = moons(seed);
			int[] sizes = { 2, 8, 1 };
			for (boolean xavier : new boolean[] { false, true }) {
				double[][][] w = normal(sizes, stream(1000 + seed), xavier);
				for (HistoryEntry e : train(w[0], w[1], sizes, hidden, data, 2000, 250)) {
					assertThat(e.symmetry().distinctUnits()).as("seed %d iteration %d", seed, e.iteration())
						.isEqualTo(8);
					assertThat(e.symmetry().rank()).isEqualTo(2);
					assertThat(e.symmetry().maxCosine()).isLessThan(1.0);
				}
			}
		}
	}

	@Nested
	class Xor {

		private final Dataset xor = Datasets.xor(4, 0.0, stream(0));

		private final int[] sizes = { 2, 2, 1 };

		@Test
		void failsFromZeros() {
			double[][][] zeros = constant(this.sizes, 0.0, 0.0);
			List<HistoryEntry> history = train(zeros[0], zeros[1], this.sizes, Activation.TANH, this.xor, 5000, 1000);
			HistoryEntry last = history.get(history.size() - 1);
			assertThat(last.trainAccuracy()).isEqualTo(0.5);
			assertThat(last.loss()).isCloseTo(LN2, within(1e-15));
			assertThat(last.symmetry().distinctUnits()).isEqualTo(1);
		}

		/**
		 * From He or Xavier init, gradient descent solves XOR for most seeds, not all:
		 * the 2-2-1 tanh network has a well-known trap where two inputs of different
		 * labels get the same (saturated) hidden code and the output sits at 0.5 on both
		 * (loss about ln 2 / 2, accuracy 0.5 or 0.75). Measured on 2000 seeds (NumPy,
		 * same recipe) about 71 % (He) and 73 % (Xavier) of inits solve it, and about 68
		 * % at learning rates 0.1 and 0.5, so 15 of 20 is no better than a coin toss (P(X
		 * &lt; 15) = 0.54 for Binomial(20, 0.71)). The bound is 9 of 20 per init (P(X
		 * &lt; 9) = 0.004 at 0.71, 0.009 at 0.68): a change of generator or seeding will
		 * not trip it, while a symmetric start scores 0 of 20. The failures are checked
		 * to be that trap, not symmetry: both hidden units stay distinct. (Xavier draws
		 * the same normals as He, scaled, so both fail on the same seeds: 12 of 20 solved
		 * with seeds 0 to 19.)
		 */
		@ParameterizedTest(name = "xavier={0}")
		@ValueSource(booleans = { false, true })
		void succeedsFromHeOrXavierForMostSeeds(boolean xavier) {
			int solved = 0;
			List<String> failures = new ArrayList<>();
			for (long seed = 0; seed < 20; seed++) {
				double[][][] w = normal(this.sizes, stream(seed), xavier);
				List<HistoryEntry> history = train(w[0], w[1], this.sizes, Activation.TANH, this.xor, 5000, 5000);
				HistoryEntry last = history.get(history.size() - 1);
				assertThat(last.symmetry().distinctUnits()).isEqualTo(2);
				if (last.trainAccuracy() == 1.0) {
					solved++;
					assertThat(last.loss()).isLessThan(0.01);
				}
				else {
					failures.add(seed + ": accuracy " + last.trainAccuracy() + ", loss " + last.loss());
					assertThat(last.loss()).as("the saturated trap").isGreaterThan(0.3);
				}
			}
			assertThat(solved).as("seeds solved; failures %s", failures).isGreaterThanOrEqualTo(9);
		}

	}

	private static double[][] copy(double[][] a) {
		double[][] c = new double[a.length][];
		for (int i = 0; i < a.length; i++) {
			c[i] = a[i].clone();
		}
		return c;
	}

}
