package dev.initlab.init;

import java.util.stream.Stream;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code delta_orthogonal}: zero except the spatial centre, which holds a gain-scaled
 * orthogonal {@code [out, in]} matrix (Xiao et al. 2018).
 */
class DeltaOrthogonalTests {

	private static final long SEED = 180_605_393L;

	static Stream<Arguments> weights() {
		return Stream.of(Arguments.of(new int[] { 6, 6, 5 }, new Object[0], 1.0),
				Arguments.of(new int[] { 8, 4, 3, 3 }, new Object[0], 1.0),
				Arguments.of(new int[] { 8, 4, 3, 5 }, new Object[] { "nonlinearity", "relu" }, Math.sqrt(2.0)),
				Arguments.of(new int[] { 4, 2, 3, 3, 3 }, new Object[] { "gain", 0.5 }, 0.5));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("weights")
	void centreIsOrthogonalAndEverythingElseZero(int[] shape, Object[] params, double gain) {
		ParameterSpec spec = Sampling.weight("delta", null, 1, "conv" + (shape.length - 2) + "d", shape);
		double[] w = Sampling.fill(InitSpec.of("delta_orthogonal", params).resolve(spec), spec, SEED);
		int out = shape[0];
		int in = shape[1];
		int kernel = w.length / (out * in);
		RealMatrix centre = new Array2DRowRealMatrix(out, in);
		for (int o = 0; o < out; o++) {
			for (int i = 0; i < in; i++) {
				for (int k = 0; k < kernel; k++) {
					double v = w[(o * in + i) * kernel + k];
					if (isCentre(k, shape)) {
						centre.setEntry(o, i, v);
					}
					else {
						assertThat(v).as("[%d, %d, spatial %d]", o, i, k).isZero();
					}
				}
			}
		}
		// in <= out: orthonormal columns, C^T C = gain^2 I.
		RealMatrix gram = centre.transpose().multiply(centre);
		for (int i = 0; i < in; i++) {
			for (int j = 0; j < in; j++) {
				assertThat(gram.getEntry(i, j)).isCloseTo((i == j) ? gain * gain : 0.0, within(1e-10));
			}
		}
	}

	/** Whether flat spatial index k is (k0/2, k1/2, ...), decoded in row-major order. */
	private static boolean isCentre(int k, int[] shape) {
		for (int d = shape.length - 1; d >= 2; d--) {
			if (k % shape[d] != shape[d] / 2) {
				return false;
			}
			k /= shape[d];
		}
		return true;
	}

	@Test
	void expectedStdIsTheRootMeanSquare() {
		// ||C||_F^2 = gain^2 in for an out x in semi-orthogonal C (in <= out), spread
		// over
		// numel elements: the RMS is the same for every draw.
		int[] shape = { 8, 4, 3, 3 };
		ParameterSpec spec = Sampling.weight("delta", null, 1, "conv2d", shape);
		Initializer init = InitSpec.of("delta_orthogonal", "gain", 2.0).resolve(spec);
		double[] w = Sampling.fill(init, spec, SEED);
		double sumOfSquares = 0;
		for (double v : w) {
			sumOfSquares += v * v;
		}
		double expected = 2.0 * Math.sqrt(4.0 / (8 * 4 * 3 * 3));
		assertThat(init.expectedMean()).isZero();
		assertThat(init.expectedStd()).isCloseTo(expected, within(1e-15));
		assertThat(Math.sqrt(sumOfSquares / w.length)).isCloseTo(expected, within(1e-12));
	}

	@Test
	void rejectsMoreInputThanOutputChannelsNamingTheTensor() {
		ParameterSpec spec = Sampling.weight("encoder.conv2.weight", null, 1, "conv2d", 4, 8, 3, 3);
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("delta_orthogonal").resolve(spec))
			.withMessageContaining("encoder.conv2.weight")
			.satisfies((e) -> assertThat(e.field()).isEqualTo("scheme"));
	}

	@Test
	void rejectsALinearWeightNamingIt() {
		ParameterSpec spec = Sampling.weight("head.weight", 8, 4);
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("delta_orthogonal").resolve(spec))
			.withMessageContaining("head.weight");
	}

}
