package dev.initlab.init;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code sparse}: N(0, std^2) with exactly {@code ceil(sparsity * rows)} zeros per
 * column, as PyTorch's {@code sparse_} (Martens 2010).
 */
class SparseTests {

	private static final long SEED = 2_010L;

	private final KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();

	/**
	 * The last column is PyTorch's {@code int(math.ceil(sparsity * rows))}, evaluated by
	 * hand: in double arithmetic 0.07 * 100 = 7.000000000000001, so PyTorch zeros 8 rows
	 * there, and so must we.
	 */
	@ParameterizedTest(name = "[{0}, {1}] sparsity {2}: {3} zeros per column")
	@CsvSource({ "400, 100, 0.3, 120", "100, 20, 0.07, 8", "7, 9, 0.5, 4", "10, 10, 0.0, 0", "10, 10, 1.0, 10" })
	void everyColumnHasExactlyCeilSparsityTimesRowsZeros(int rows, int cols, double sparsity, int numZeros) {
		ParameterSpec spec = Sampling.weight("sparse", rows, cols);
		double[] w = Sampling.fill(InitSpec.of("sparse", "sparsity", sparsity).resolve(spec), spec, SEED);
		for (int c = 0; c < cols; c++) {
			int zeros = 0;
			for (int r = 0; r < rows; r++) {
				if (w[r * cols + c] == 0.0) {
					zeros++;
				}
			}
			assertThat(zeros).as("zeros in column %d", c).isEqualTo(numZeros);
		}
	}

	@Test
	void nonZerosAreNormalWithTheRequestedStd() {
		double std = 0.05;
		List<Double> nonZeros = new ArrayList<>();
		ParameterSpec spec = Sampling.weight("sparse", 400, 100);
		for (double v : Sampling.fill(InitSpec.of("sparse", "sparsity", 0.3, "std", std).resolve(spec), spec, SEED)) {
			if (v != 0.0) {
				nonZeros.add(v);
			}
		}
		double[] x = nonZeros.stream().mapToDouble(Double::doubleValue).toArray();
		assertThat(x).hasSize(400 * 100 - 120 * 100);
		// The zeroed positions do not depend on the values, so the 28 000 survivors are
		// iid N(0, std^2). Fails a correct sampler with probability 1e-3 under H0 (the
		// seed is fixed: that is the chance of an unlucky seed).
		assertThat(this.ks.kolmogorovSmirnovTest(new NormalDistribution(0, std), x)).isGreaterThan(1e-3);
		// Negative control: std 10% larger is rejected (sup|F - G| ~ 0.023, p ~ 1e-12).
		assertThat(this.ks.kolmogorovSmirnovTest(new NormalDistribution(0, 1.1 * std), x)).isLessThan(1e-6);
	}

	@Test
	void zeroedRowsAreChosenUniformly() {
		// 3 of 10 rows zeroed in each of 20 000 columns: each row is zeroed in a column
		// with probability 0.3, independently across columns, so its count is
		// Binomial(20 000, 0.3): mean 6000, sd sqrt(4200) ~ 65. A bound of 5 sd fails a
		// correct sampler with probability 5.7e-6 over the 10 rows; zeroing always the
		// same rows gives counts of 0 and 20 000.
		int rows = 10;
		int cols = 20_000;
		ParameterSpec spec = Sampling.weight("sparse", rows, cols);
		double[] w = Sampling.fill(InitSpec.of("sparse", "sparsity", 0.3).resolve(spec), spec, SEED);
		for (int r = 0; r < rows; r++) {
			int zeros = 0;
			for (int c = 0; c < cols; c++) {
				if (w[r * cols + c] == 0.0) {
					zeros++;
				}
			}
			assertThat((double) zeros).as("columns where row %d is zero", r)
				.isCloseTo(6000, within(5 * Math.sqrt(cols * 0.3 * 0.7)));
		}
	}

	@Test
	void expectedStdAccountsForTheZeros() {
		// E[w^2] = std^2 (rows - numZeros) / rows; mean 0.
		ParameterSpec spec = Sampling.weight("sparse", 400, 100);
		Initializer init = InitSpec.of("sparse", "sparsity", 0.3, "std", 0.05).resolve(spec);
		double expected = 0.05 * Math.sqrt(280.0 / 400);
		assertThat(init.expectedMean()).isZero();
		assertThat(init.expectedStd()).isCloseTo(expected, within(1e-15));
		double[] w = Sampling.fill(init, spec, SEED);
		double sumOfSquares = 0;
		for (double v : w) {
			sumOfSquares += v * v;
		}
		// RMS^2 = keep std^2 mean(z^2) over 28 000 normals: relative sd of the RMS is
		// sqrt(2 / 28 000) / 2 ~ 0.42%; 5 sd (2.1%) fails with probability 5.7e-7.
		assertThat(Math.sqrt(sumOfSquares / w.length)).isCloseTo(expected, within(0.021 * expected));
	}

	@Test
	void rejectsAConvolutionWeightNamingIt() {
		ParameterSpec spec = Sampling.weight("features.0.weight", null, 1, "conv2d", 8, 4, 3, 3);
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("sparse", "sparsity", 0.5).resolve(spec))
			.withMessageContaining("features.0.weight");
	}

}
