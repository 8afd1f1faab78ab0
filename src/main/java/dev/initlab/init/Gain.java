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
 */
public final class Gain {

	/** Nonlinearities of the table, in PyTorch's order. */
	public static final List<String> TABLE = List.of("linear", "identity", "conv1d", "conv2d", "conv3d",
			"conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu",
			"selu");

	/** The slope {@code calculate_gain('leaky_relu')} assumes without {@code param}. */
	public static final double DEFAULT_LEAKY_RELU_SLOPE = 0.01;

	private Gain() {
	}

	/** Whether the nonlinearity is known. */
	public static boolean isKnown(String nonlinearity) {
		return nonlinearity != null && TABLE.contains(nonlinearity.toLowerCase(Locale.ROOT));
	}

	/**
	 * The parameter actually used: the leaky-ReLU slope (0.01 when absent), else null.
	 */
	public static Double effectiveParam(String nonlinearity, Double param) {
		if ("leaky_relu".equals(nonlinearity)) {
			return (param != null) ? param : DEFAULT_LEAKY_RELU_SLOPE;
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
			default -> throw new IllegalArgumentException(
					"unsupported nonlinearity '" + nonlinearity + "'; supported: " + String.join(", ", TABLE));
		};
	}

}
