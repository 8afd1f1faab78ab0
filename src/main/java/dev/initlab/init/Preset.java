package dev.initlab.init;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Named init policies that imitate a framework or a lecture. Each is a table of rules
 * (layer types × role → initializer); the same table answers {@code GET /api/v1/presets}.
 */
public enum Preset {

	/** Exactly what {@code torch.nn} modules do in {@code reset_parameters}. */
	PYTORCH_DEFAULT("pytorch_default", "What torch.nn modules do in reset_parameters().", List.of(
			new Rule(Layers.DENSE, Role.WEIGHT,
					"kaiming_uniform(a=sqrt(5), leaky_relu) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)) "
							+ "(ConvTranspose: fan_in = (out/groups) * prod(kernel), PyTorch's quirk)",
					p -> InitSpec.of("kaiming_uniform", "a", Math.sqrt(5), "nonlinearity", "leaky_relu")),
			new Rule(Layers.DENSE, Role.BIAS, "U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in of the weight",
					Preset::pytorchBias))),

	/** Keras 3 layer defaults. */
	KERAS_DEFAULT("keras_default", "Keras 3 layer defaults.",
			List.of(new Rule(Layers.DENSE, Role.WEIGHT, "glorot_uniform", p -> InitSpec.of("xavier_uniform")),
					new Rule(Layers.DENSE, Role.BIAS, "zeros", p -> InitSpec.of("zeros")))),

	/** Flax linen defaults. */
	FLAX_DEFAULT("flax_default", "Flax (linen) layer defaults.", List.of(
			new Rule(Layers.DENSE, Role.WEIGHT,
					"lecun_normal as Flax means it: variance_scaling(1, fan_in, truncated_normal)",
					p -> InitSpec.of("variance_scaling", "scale", 1.0, "mode", "fan_in", "distribution",
							"truncated_normal")),
			new Rule(Layers.DENSE, Role.BIAS, "zeros", p -> InitSpec.of("zeros")))),

	/**
	 * The lecture's recipe: {@code np.random.randn(n_l, n_{l-1}) * 0.01}, zero biases.
	 */
	SMALL_RANDOM("small_random", "The lecture's recipe: weights normal(0, 0.01), biases zero.",
			List.of(new Rule(Layers.DENSE, Role.WEIGHT, "normal(0, 0.01)", p -> InitSpec.of("normal", "std", 0.01)),
					new Rule(Layers.DENSE, Role.BIAS, "zeros", p -> InitSpec.of("zeros")))),

	/** Everything zero: the symmetric failure case, for teaching. */
	ZEROS("zeros", "Everything zero: the symmetric failure case, for teaching (weights must not start equal).",
			List.of(new Rule(Layers.DENSE, Role.WEIGHT, "zeros", p -> InitSpec.of("zeros")),
					new Rule(Layers.DENSE, Role.BIAS, "zeros", p -> InitSpec.of("zeros"))));

	private final String wireName;

	private final String description;

	private final List<Rule> rules;

	Preset(String wireName, String description, List<Rule> rules) {
		this.wireName = wireName;
		this.description = description;
		this.rules = rules;
	}

	public String wireName() {
		return this.wireName;
	}

	public String description() {
		return this.description;
	}

	public List<Rule> rules() {
		return this.rules;
	}

	/**
	 * The initializer this preset gives the tensor.
	 * @throws InvalidInitializerException when the preset has no rule for it
	 */
	public InitSpec initFor(ParameterSpec p) {
		for (Rule rule : this.rules) {
			if (rule.role() == p.role() && rule.layerTypes().contains(p.layerType())) {
				return rule.spec().apply(p);
			}
		}
		throw new InvalidInitializerException("preset", "preset '" + this.wireName + "' has no rule for "
				+ p.role().wireName() + " of a " + p.layerType() + " layer (" + p.name() + "); give its init");
	}

	public static Optional<Preset> byName(String name) {
		if (name == null) {
			return Optional.empty();
		}
		String key = name.toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter(p -> p.wireName.equals(key)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(Preset::wireName).toList();
	}

	private static InitSpec pytorchBias(ParameterSpec p) {
		if (p.fans() == null) {
			throw new InvalidInitializerException("preset", "preset 'pytorch_default' bounds a bias by 1/sqrt(fan_in), "
					+ "but " + p.name() + " has no fans; give fan_in or its init");
		}
		double bound = (p.fans().fanIn() > 0) ? 1.0 / Math.sqrt(p.fans().fanIn()) : 0.0;
		return InitSpec.of("uniform", "low", -bound, "high", bound);
	}

	/**
	 * One row of a preset.
	 *
	 * @param layerTypes the layer types it applies to
	 * @param role the parameter role
	 * @param description what it does, for the catalog
	 * @param spec the initializer it gives a tensor
	 */
	public record Rule(List<String> layerTypes, Role role, String description, Function<ParameterSpec, InitSpec> spec) {
	}

	/** Layer type groups that share rules. */
	static final class Layers {

		static final List<String> DENSE = List.of("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
				"conv_transpose2d", "conv_transpose3d", "tensor");

		private Layers() {
		}

	}

}
