package dev.initlab.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TensorStats.Accumulator} against NumPy: the {@code stats} sets of
 * {@code reference/tensor_dtypes.json} (written by {@code tensor_dtypes.py}) hold
 * float32-exact values and {@code np.mean}, {@code np.std} (population, ddof 0),
 * {@code np.min}, {@code np.max} of them after rounding to each dtype (NumPy's rounding;
 * torch's for bfloat16). Our stats describe the values after {@link DType#round}, fed in
 * blocks of several sizes (as the streams feed them).
 * <p>
 * Tolerance: NumPy sums pairwise, we sum each block in order and merge blocks (Chan et
 * al.), so the results differ by rounding only: a few units of 1e-16 times the largest
 * magnitude per element summed. The bound below, {@code 1e-13 * max|x|} for the mean and
 * {@code 1e-12 * std + 1e-13 * max|x|} for the std, is far above that and far below what
 * a wrong formula gives: the negative controls show a one-pass variance and a sample
 * (ddof 1) std each miss it.
 */
class TensorStatsTests {

	static final JsonNode FIXTURE = Fixtures.read("tensor_dtypes.json");

	static Stream<Arguments> sets() {
		List<Arguments> out = new ArrayList<>();
		for (JsonNode set : FIXTURE.get("stats")) {
			// float stats are of floating tensors (an int64 buffer has none)
			for (DType dtype : DType.values()) {
				if (!dtype.isFloating()) {
					continue;
				}
				for (int block : new int[] { Integer.MAX_VALUE, 1, 7, 64, 333 }) {
					out.add(Arguments.of(set.get("label").asString(), dtype, block));
				}
			}
		}
		return out.stream();
	}

	@ParameterizedTest(name = "{0} as {1}, blocks of {2}")
	@MethodSource("sets")
	void statsOfTheRoundedValuesAreNumpys(String label, DType dtype, int block) {
		JsonNode set = set(label);
		double[] rounded = rounded(set, dtype);
		TensorStats.Accumulator acc = new TensorStats.Accumulator();
		for (int off = 0; off < rounded.length; off += block) {
			acc.add(rounded, off, Math.min(block, rounded.length - off));
		}
		TensorStats stats = acc.result(0.5, 2.0);
		JsonNode expected = set.get("expected").get(dtype.wireName());
		double scale = maxAbs(rounded);
		assertThat(stats.min()).isEqualTo(expected.get("min").asDouble());
		assertThat(stats.max()).isEqualTo(expected.get("max").asDouble());
		assertThat(Math.abs(stats.mean() - expected.get("mean").asDouble())).as("mean %s", stats.mean())
			.isLessThanOrEqualTo(meanTolerance(scale));
		double std = expected.get("std").asDouble();
		assertThat(Math.abs(stats.std() - std)).as("std %s against NumPy's %s", stats.std(), std)
			.isLessThanOrEqualTo(stdTolerance(std, scale));
		// the distribution's moments pass through
		assertThat(stats.expectedMean()).isEqualTo(0.5);
		assertThat(stats.expectedStd()).isEqualTo(2.0);
	}

	/**
	 * Rounding happened before the stats: float16 and bfloat16 stats differ from
	 * float64's.
	 */
	@Test
	void roundingChangesTheStatsAsItChangesTheValues() {
		JsonNode expected = set("normal(0, 0.05)").get("expected");
		for (String dtype : List.of("float16", "bfloat16")) {
			assertThat(expected.get(dtype).get("std").asDouble()).as(dtype)
				.isNotEqualTo(expected.get("float64").get("std").asDouble());
			TensorStats.Accumulator acc = new TensorStats.Accumulator();
			double[] rounded = rounded(set("normal(0, 0.05)"), DType.byName(dtype).orElseThrow());
			acc.add(rounded, 0, rounded.length);
			double gap = Math.abs(acc.result(0, 0).std() - expected.get("float64").get("std").asDouble());
			assertThat(gap).as(dtype).isGreaterThan(stdTolerance(0.05, maxAbs(rounded)));
		}
	}

	/**
	 * Negative control: a one-pass E[x^2] - E[x]^2 loses the std of values far from 0.
	 */
	@Test
	void aOnePassVarianceMissesTheTolerance() {
		JsonNode set = set("1000 + normal(0, 0.01)");
		double[] x = rounded(set, DType.FLOAT64);
		double sum = 0;
		double sumSquares = 0;
		for (double v : x) {
			sum += v;
			sumSquares += v * v;
		}
		double mean = sum / x.length;
		double onePass = Math.sqrt(Math.max(0, sumSquares / x.length - mean * mean));
		double std = set.get("expected").get("float64").get("std").asDouble();
		assertThat(Math.abs(onePass - std)).isGreaterThan(stdTolerance(std, maxAbs(x)));
	}

	/** Negative control: the sample std (ddof 1) is not NumPy's default. */
	@Test
	void aSampleStdMissesTheTolerance() {
		JsonNode set = set("normal(0, 0.05)");
		double[] x = rounded(set, DType.FLOAT64);
		TensorStats.Accumulator acc = new TensorStats.Accumulator();
		acc.add(x, 0, x.length);
		double population = acc.result(0, 0).std();
		double sample = population * Math.sqrt((double) x.length / (x.length - 1));
		double std = set.get("expected").get("float64").get("std").asDouble();
		assertThat(Math.abs(sample - std)).isGreaterThan(stdTolerance(std, maxAbs(x)));
	}

	@Test
	void noValuesGiveNaNAndEmptyBlocksAreSkipped() {
		TensorStats.Accumulator acc = new TensorStats.Accumulator();
		acc.add(new double[] { 1, 2 }, 1, 0);
		TensorStats empty = acc.result(0, 1);
		assertThat(List.of(empty.mean(), empty.std(), empty.min(), empty.max())).allMatch((v) -> v.isNaN());
		assertThat(empty.expectedStd()).isEqualTo(1);
		acc.add(new double[] { 9, -2.5, 9 }, 1, 1);
		acc.add(new double[0], 0, 0);
		TensorStats one = acc.result(0, 1);
		assertThat(List.of(one.mean(), one.std(), one.min(), one.max())).containsExactly(-2.5, 0.0, -2.5, -2.5);
	}

	static double meanTolerance(double scale) {
		return 1e-13 * scale;
	}

	static double stdTolerance(double std, double scale) {
		return 1e-12 * std + 1e-13 * scale;
	}

	static JsonNode set(String label) {
		for (JsonNode set : FIXTURE.get("stats")) {
			if (set.get("label").asString().equals(label)) {
				return set;
			}
		}
		throw new IllegalArgumentException(label);
	}

	static double[] rounded(JsonNode set, DType dtype) {
		JsonNode values = set.get("values");
		double[] out = new double[values.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = dtype.round(Fixtures.float64(values.get(i).asString()));
		}
		return out;
	}

	static double maxAbs(double[] x) {
		double m = 0;
		for (double v : x) {
			m = Math.max(m, Math.abs(v));
		}
		return m;
	}

}
