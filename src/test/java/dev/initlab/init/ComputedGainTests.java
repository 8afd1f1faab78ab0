package dev.initlab.init;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The computed gain 1 / sqrt(E[f(z)^2]), z ~ N(0, 1): known closed forms, and the others
 * against an independent integration written here (composite Simpson on [-12, 12] with
 * the normal density, 200,000 panels, split at the kinks).
 */
class ComputedGainTests {

	@Test
	void rectifiersComeOutExactly() {
		// E[relu(z)^2] = 1/2, E[lrelu(z)^2] = (1 + s^2) / 2: the table's own values
		assertThat(Gain.quadrature("relu", null)).isCloseTo(Math.sqrt(2), within(1e-13));
		assertThat(Gain.quadrature("leaky_relu", 0.2)).isCloseTo(Math.sqrt(2 / 1.04), within(1e-13));
		assertThat(Gain.quadrature("linear", null)).isCloseTo(1.0, within(1e-13));
	}

	@Test
	void tanhAndSigmoidDifferFromTheTableAsTheyShould() {
		// PyTorch's 5/3 and 1 are conventions, not the variance-preserving gains
		assertThat(Gain.of("tanh", null)).isEqualTo(5.0 / 3);
		assertThat(Gain.quadrature("tanh", null)).isCloseTo(simpson("tanh", null), within(1e-9))
			.isNotCloseTo(5.0 / 3, within(0.01));
		assertThat(Gain.quadrature("sigmoid", null)).isCloseTo(simpson("sigmoid", null), within(1e-9));
	}

	@ParameterizedTest
	@ValueSource(strings = { "gelu", "silu", "swish", "mish", "softplus" })
	void smoothActivationsMatchAnIndependentIntegration(String name) {
		assertThat(Gain.of(name, null)).isCloseTo(simpson(name, null), within(1e-9));
	}

	@ParameterizedTest
	@ValueSource(strings = { "elu", "celu", "selu" })
	void exponentialUnitsAreCloseDespiteTheirKinkAtZero(String name) {
		// (f(z)^2 + f(-z)^2) / 2 is only C^2 at 0 for these: 128 Gauss-Hermite nodes
		// agree to ~2e-5
		assertThat(Gain.quadrature(name, null)).isCloseTo(simpson(name, null), within(5e-5));
	}

	@Test
	void hardtanhIsWithinHalfAPercentDespiteItsKinks() {
		// kinks at +-1 slow Gauss-Hermite down: 128 nodes agree to ~4e-3 (0.3 %)
		assertThat(Gain.of("hardtanh", null)).isCloseTo(simpson("hardtanh", null), within(5e-3));
	}

	@Test
	void eluTakesItsAlphaFromParam() {
		assertThat(Gain.of("elu", 0.5)).isCloseTo(simpson("elu", 0.5), within(5e-5))
			.isNotCloseTo(Gain.of("elu", null), within(1e-3));
	}

	@Test
	void negativeControlAWrongFunctionIsFarOff() {
		assertThat(Gain.of("gelu", null)).isNotCloseTo(simpson("silu", null), within(1e-3));
	}

	@Test
	void unknownNamesAreRefusedWithTheList() {
		assertThatThrownBy(() -> Gain.of("swishy", null)).hasMessageContaining("gelu").hasMessageContaining("relu");
	}

	@Test
	void kaimingUsesAComputedGainForGelu() {
		ParameterSpec spec = ParameterSpec.of("fc.weight", new int[] { 64, 100 }, Role.WEIGHT,
				Fans.of(new int[] { 64, 100 }), "gelu", 1, "linear");
		Initializer init = InitSpec.of("kaiming_normal").resolve(spec);
		assertThat((double) init.resolved().get("gain")).isCloseTo(simpson("gelu", null), within(1e-9));
		assertThat(init.resolved().get("nonlinearity")).isEqualTo("gelu");
	}

	/** 1 / sqrt(∫ f(z)^2 φ(z) dz) by composite Simpson, split at 0 and ±1. */
	private static double simpson(String name, Double param) {
		java.util.function.DoubleUnaryOperator f = reference(name, (param != null) ? param : 1.0);
		double[] cuts = { -12, -1, 0, 1, 12 };
		double total = 0;
		for (int c = 0; c + 1 < cuts.length; c++) {
			double a = cuts[c];
			double b = cuts[c + 1];
			int n = 50_000;
			double h = (b - a) / n;
			double sum = 0;
			for (int i = 0; i <= n; i++) {
				double z = a + i * h;
				double v = f.applyAsDouble(z);
				double g = v * v * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
				sum += g * ((i == 0 || i == n) ? 1 : (i % 2 == 1) ? 4 : 2);
			}
			total += sum * h / 3;
		}
		return 1 / Math.sqrt(total);
	}

	private static java.util.function.DoubleUnaryOperator reference(String name, double alpha) {
		return switch (name) {
			case "tanh" -> Math::tanh;
			case "sigmoid" -> (z) -> 1 / (1 + Math.exp(-z));
			case "gelu" -> (z) -> z * 0.5 * (1 + org.apache.commons.math3.special.Erf.erf(z / Math.sqrt(2)));
			case "silu", "swish" -> (z) -> z / (1 + Math.exp(-z));
			case "mish" -> (z) -> z * Math.tanh(Math.log(1 + Math.exp(z)));
			case "softplus" -> (z) -> Math.log(1 + Math.exp(z));
			case "elu" -> (z) -> (z > 0) ? z : alpha * (Math.exp(z) - 1);
			case "celu" -> (z) -> (z > 0) ? z : alpha * (Math.exp(z / alpha) - 1);
			case "selu" -> (z) -> 1.0507009873554805 * ((z > 0) ? z : 1.6732632423543772 * (Math.exp(z) - 1));
			case "hardtanh" -> (z) -> Math.max(-1, Math.min(1, z));
			default -> throw new IllegalArgumentException(name);
		};
	}

}
