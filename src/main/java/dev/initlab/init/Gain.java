package dev.initlab.init;

import java.util.List;
import java.util.Locale;

/**
 * The recommended gain of a nonlinearity: the one gain table of initlab.
 * <p>
 * Same as PyTorch's {@code torch.nn.init.calculate_gain}: 1 for {@code linear}, the
 * convolutions and {@code sigmoid}; 5/3 for {@code tanh}; sqrt(2) for {@code relu};
 * sqrt(2 / (1 + slope^2)) for {@code leaky_relu} (slope = {@code param}, 0.01 when
 * absent); 3/4 for {@code selu}. {@code identity} is accepted as another name of
 * {@code linear}.
 * <p>
 * Activations the table lacks ({@code gelu}, {@code silu}/{@code swish}, {@code mish},
 * {@code softplus}, {@code elu}, {@code celu} with alpha = {@code param},
 * {@code hardtanh}) get the computed gain {@code 1 / sqrt(E[f(z)^2])}, z ~ N(0, 1), the
 * gain that keeps a unit-variance input's second moment through f (for relu it is the
 * table's sqrt(2)). E[f(z)^2] is computed by Gauss–Hermite quadrature (Commons Math, 128
 * nodes) of {@code (f(z)^2 + f(-z)^2) / 2}, which is smooth for the rectifiers, so their
 * gains come out to rounding error.
 */
public final class Gain {

	/** Nonlinearities of the table, in PyTorch's order. */
	public static final List<String> TABLE = List.of("linear", "identity", "conv1d", "conv2d", "conv3d",
			"conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu",
			"selu");

	/** Activations without a table entry, whose gain is computed. */
	public static final List<String> COMPUTED = List.of("gelu", "silu", "swish", "mish", "softplus", "elu", "celu",
			"hardtanh");

	/** Every nonlinearity a gain is known for: the table, then the computed ones. */
	public static final List<String> SUPPORTED = java.util.stream.Stream.concat(TABLE.stream(), COMPUTED.stream())
		.toList();

	private static final int NODES = 128;

	private static final org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator HERMITE = new org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory()
		.hermite(NODES);

	/** The slope {@code calculate_gain('leaky_relu')} assumes without {@code param}. */
	public static final double DEFAULT_LEAKY_RELU_SLOPE = 0.01;

	private Gain() {
	}

	/** Whether a gain is known for the nonlinearity (table or computed). */
	public static boolean isKnown(String nonlinearity) {
		return nonlinearity != null && SUPPORTED.contains(nonlinearity.toLowerCase(Locale.ROOT));
	}

	/** Whether PyTorch's table has the nonlinearity. */
	public static boolean inTable(String nonlinearity) {
		return nonlinearity != null && TABLE.contains(nonlinearity.toLowerCase(Locale.ROOT));
	}

	/**
	 * The parameter actually used: the leaky-ReLU slope (0.01 when absent), else null.
	 */
	public static Double effectiveParam(String nonlinearity, Double param) {
		if ("leaky_relu".equals(nonlinearity)) {
			return (param != null) ? param : DEFAULT_LEAKY_RELU_SLOPE;
		}
		if ("elu".equals(nonlinearity) || "celu".equals(nonlinearity)) {
			return (param != null) ? param : 1.0;
		}
		return null;
	}

	/**
	 * The gain of {@code nonlinearity} with optional {@code param}.
	 * @throws IllegalArgumentException for a nonlinearity outside {@link #TABLE}
	 */
	public static double of(String nonlinearity, Double param) {
		String key = (nonlinearity != null) ? nonlinearity.toLowerCase(Locale.ROOT) : "";
		return switch (key) {
			case "linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
					"conv_transpose3d", "sigmoid" ->
				1.0;
			case "tanh" -> 5.0 / 3;
			case "relu" -> Math.sqrt(2.0);
			case "leaky_relu" -> {
				double slope = effectiveParam(key, param);
				yield Math.sqrt(2.0 / (1 + slope * slope));
			}
			case "selu" -> 3.0 / 4;
			default -> {
				if (!COMPUTED.contains(key)) {
					throw new IllegalArgumentException("unsupported nonlinearity '" + nonlinearity + "'; supported: "
							+ String.join(", ", SUPPORTED));
				}
				yield quadrature(key, effectiveParam(key, param));
			}
		};
	}

	/**
	 * {@code 1 / sqrt(E[f(z)^2])} for z ~ N(0, 1), by Gauss–Hermite quadrature:
	 * {@code E[h(z)] = (1 / sqrt(pi)) ∫ e^(-x^2) h(sqrt(2) x) dx}, with
	 * {@code h(z) = (f(z)^2 + f(-z)^2) / 2}.
	 */
	public static double quadrature(String nonlinearity, Double param) {
		String key = nonlinearity.toLowerCase(Locale.ROOT);
		if (!SUPPORTED.contains(key)) {
			throw new IllegalArgumentException(
					"unsupported nonlinearity '" + nonlinearity + "'; supported: " + String.join(", ", SUPPORTED));
		}
		java.util.function.DoubleUnaryOperator f = function(key, effectiveParam(key, param));
		double sqrt2 = Math.sqrt(2.0);
		double integral = HERMITE.integrate((x) -> {
			double a = f.applyAsDouble(sqrt2 * x);
			double b = f.applyAsDouble(-sqrt2 * x);
			return 0.5 * (a * a + b * b);
		});
		return 1.0 / Math.sqrt(integral / Math.sqrt(Math.PI));
	}

	private static java.util.function.DoubleUnaryOperator function(String key, Double param) {
		return switch (key) {
			case "sigmoid" -> (z) -> 1 / (1 + Math.exp(-z));
			case "tanh" -> Math::tanh;
			case "relu" -> (z) -> Math.max(z, 0);
			case "leaky_relu" -> (z) -> (z > 0) ? z : param * z;
			// SELU's constants, from Klambauer et al. 2017 (as torch.nn.SELU)
			case "selu" -> (z) -> 1.0507009873554804934193349852946
					* ((z > 0) ? z : 1.6732632423543772848170429916717 * Math.expm1(z));
			case "gelu" -> (z) -> z * 0.5 * org.apache.commons.math3.special.Erf.erfc(-z / Math.sqrt(2));
			case "silu", "swish" -> (z) -> z / (1 + Math.exp(-z));
			case "mish" -> (z) -> z * Math.tanh(softplus(z));
			case "softplus" -> Gain::softplus;
			case "elu" -> (z) -> (z > 0) ? z : param * Math.expm1(z);
			case "celu" -> (z) -> (z > 0) ? z : param * Math.expm1(z / param);
			case "hardtanh" -> (z) -> Math.max(-1, Math.min(1, z));
			default -> (z) -> z;
		};
	}

	private static double softplus(double z) {
		return (z > 30) ? z : Math.log1p(Math.exp(z));
	}

}
