package dev.initlab.init;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/** {@code identity}: gain on the main diagonal, as PyTorch's {@code eye_}. */
class IdentityTests {

	static Stream<Arguments> shapes() {
		return Stream.of(new int[] { 4, 4 }, new int[] { 3, 5 }, new int[] { 5, 3 })
			.flatMap((shape) -> Stream.of(Arguments.of(shape, new Object[0], 1.0),
					Arguments.of(shape, new Object[] { "gain", 2.5 }, 2.5),
					Arguments.of(shape, new Object[] { "nonlinearity", "tanh" }, 5.0 / 3)));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("shapes")
	void isGainOnTheMainDiagonalAndZeroElsewhere(int[] shape, Object[] params, double gain) {
		ParameterSpec spec = Sampling.weight("eye", shape);
		Initializer init = InitSpec.of("identity", params).resolve(spec);
		double[] w = Sampling.fill(init, spec, 1L);
		int rows = shape[0];
		int cols = shape[1];
		double sum = 0;
		double sumOfSquares = 0;
		for (int i = 0; i < rows; i++) {
			for (int j = 0; j < cols; j++) {
				double v = w[i * cols + j];
				assertThat(v).as("[%d, %d]", i, j).isEqualTo((i == j) ? gain : 0.0);
				sum += v;
				sumOfSquares += v * v;
			}
		}
		// The tensor is fixed, so its expected moments are its population moments.
		double mean = sum / w.length;
		assertThat(init.expectedMean()).isCloseTo(mean, within(1e-12));
		assertThat(init.expectedStd()).isCloseTo(Math.sqrt(sumOfSquares / w.length - mean * mean), within(1e-12));
	}

	@Test
	void rejectsAThreeDimensionalTensorNamingIt() {
		ParameterSpec spec = Sampling.weight("stem.conv.weight", null, 1, "conv1d", 4, 4, 3);
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("identity").resolve(spec))
			.withMessageContaining("stem.conv.weight")
			.satisfies((e) -> assertThat(e.field()).isEqualTo("scheme"));
	}

}
