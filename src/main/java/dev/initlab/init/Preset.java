package dev.initlab.init;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Named init policies that imitate a framework or a lecture. Each is a table of rules
 * (layer types × role, optionally a module parameter) → initializer; the same table
 * answers {@code GET /api/v1/presets}, and the first matching rule wins.
 */
public enum Preset {

	/** Exactly what {@code torch.nn} modules do in {@code reset_parameters}. */
	PYTORCH_DEFAULT("pytorch_default",
			"What torch.nn modules do in reset_parameters(). For a model: the bare "
					+ "torch.nn module defaults, before the library's own init runs.",
			rules(Preset::pytorchRules)),

	/**
	 * A library's own initialization: for a {@code model}, what the architecture's
	 * library does at construction (its rules are in {@code GET /api/v1/architectures});
	 * for {@code layers}, whose library is torch.nn itself, the same as
	 * {@link #PYTORCH_DEFAULT}.
	 */
	LIBRARY_DEFAULT("library_default", "What the model's library does at construction (transformers' _init_weights, "
			+ "torchvision's and timm's init code; the rules per architecture are in GET /api/v1/architectures); "
			+ "the default for a model. For layers, whose library is torch.nn, the same as pytorch_default.",
			rules(Preset::pytorchRules)),

	/** Keras 3 layer defaults. */
	KERAS_DEFAULT("keras_default", "Keras 3 layer defaults.", rules(r -> {
		r.add(K.DENSE, Role.WEIGHT, "glorot_uniform", p -> InitSpec.of("xavier_uniform"));
		r.add(K.DENSE, Role.BIAS, "zeros", p -> K.ZERO);
		r.add(K.EMBEDDING, Role.EMBEDDING, "uniform(-0.05, 0.05)",
				p -> InitSpec.of("uniform", "low", -0.05, "high", 0.05));
		r.add(K.RECURRENT, Role.WEIGHT, "kernel: glorot_uniform with the whole [in, G*H] kernel's fans",
				p -> InitSpec.of("xavier_uniform", InitSpec.PER_GATE, false));
		r.add(K.RECURRENT, Role.RECURRENT_WEIGHT, "recurrent_kernel: one orthogonal [H, G*H] matrix (not per gate)",
				p -> InitSpec.of("orthogonal", InitSpec.PER_GATE, false));
		r.add(List.of("lstm"), Role.BIAS, "zeros with the forget gate at 1 (unit_forget_bias); in PyTorch layout on "
				+ "bias_ih, bias_hh zero, so their sum is Keras's bias", Preset::kerasLstmBias);
		r.add(K.RECURRENT, Role.BIAS, "zeros", p -> K.ZERO);
		r.add(K.ATTENTION, Role.WEIGHT, "glorot_uniform (on the packed projection)",
				p -> InitSpec.of("xavier_uniform"));
		r.add(K.ATTENTION, Role.BIAS, "zeros", p -> K.ZERO);
		norms(r);
	})),

	/** Flax linen defaults. */
	FLAX_DEFAULT("flax_default", "Flax (linen) layer defaults.", rules(r -> {
		r.add(K.DENSE, Role.WEIGHT, "lecun_normal as Flax means it: variance_scaling(1, fan_in, truncated_normal)",
				p -> K.FLAX_KERNEL);
		r.add(K.DENSE, Role.BIAS, "zeros", p -> K.ZERO);
		r.add(K.EMBEDDING, Role.EMBEDDING, "variance_scaling(1, fan_in, normal): N(0, 1/embedding_dim)",
				p -> InitSpec.of("variance_scaling", "scale", 1.0, "mode", "fan_in", "distribution", "normal"));
		r.add(K.RECURRENT, Role.WEIGHT, "input kernels: lecun_normal (truncated), per gate", p -> K.FLAX_KERNEL);
		r.add(K.RECURRENT, Role.RECURRENT_WEIGHT, "recurrent kernels: orthogonal, per gate block",
				p -> InitSpec.of("orthogonal"));
		r.add(K.RECURRENT, Role.BIAS, "zeros", p -> K.ZERO);
		r.add(K.ATTENTION, Role.WEIGHT, "lecun_normal (truncated)", p -> K.FLAX_KERNEL);
		r.add(K.ATTENTION, Role.BIAS, "zeros", p -> K.ZERO);
		norms(r);
	})),

	/**
	 * The lecture's recipe: {@code np.random.randn(n_l, n_{l-1}) * 0.01}, zero biases.
	 */
	SMALL_RANDOM("small_random", "The lecture's recipe: weights normal(0, 0.01), biases zero.", rules(r -> {
		r.add(K.ALL, Role.WEIGHT, "normal(0, 0.01)", p -> K.SMALL);
		r.add(K.ALL, Role.RECURRENT_WEIGHT, "normal(0, 0.01)", p -> K.SMALL);
		r.add(K.ALL, Role.EMBEDDING, "normal(0, 0.01)", p -> K.SMALL);
		r.add(K.ALL, Role.BIAS, "zeros", p -> K.ZERO);
		norms(r);
	})),

	/** Everything zero: the symmetric failure case, for teaching. */
	ZEROS("zeros", "Every parameter zero: the symmetric failure case, for teaching (weights must not start equal). "
			+ "Batch norm running statistics stay 0 and 1.", rules(r -> {
				for (Role role : Role.POLICY_ROLES) {
					r.add(K.ALL, role, "zeros", p -> K.ZERO);
				}
				runningStats(r);
			}));

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
		return ruleFor(p).spec().apply(p);
	}

	/**
	 * The rule of this preset that gives the tensor its initializer.
	 * @throws InvalidInitializerException when the preset has no rule for it
	 */
	public Rule ruleFor(ParameterSpec p) {
		for (Rule rule : this.rules) {
			if (rule.matches(p)) {
				return rule;
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

	private static void pytorchRules(Rules r) {
		r.add(K.DENSE, Role.WEIGHT,
				"kaiming_uniform(a=sqrt(5), leaky_relu) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)) "
						+ "(ConvTranspose: fan_in = (out/groups) * prod(kernel), PyTorch's quirk)",
				p -> K.PYTORCH_WEIGHT);
		r.add(K.DENSE, Role.BIAS, "U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in of the weight", Preset::pytorchBias);
		r.add(K.EMBEDDING, Role.EMBEDDING, "normal(0, 1), padding_idx row zero", p -> InitSpec.of("normal"));
		r.add(K.RECURRENT, null, "every weight and bias U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))",
				Preset::pytorchRecurrent);
		r.addParam(K.ATTENTION, "in_proj_weight", "xavier_uniform on the packed [3E, E] projection",
				p -> InitSpec.of("xavier_uniform"));
		r.addParam(K.ATTENTION, "out_proj.weight", "as Linear: kaiming_uniform(a=sqrt(5))", p -> K.PYTORCH_WEIGHT);
		r.add(K.ATTENTION, Role.BIAS, "zeros (in_proj_bias and out_proj.bias)", p -> K.ZERO);
		norms(r);
	}

	private static void norms(Rules r) {
		r.add(K.NORMS, Role.NORM_WEIGHT, "ones", p -> K.ONE);
		r.add(K.NORMS, Role.NORM_BIAS, "zeros", p -> K.ZERO);
		runningStats(r);
	}

	private static void runningStats(Rules r) {
		r.add(K.NORMS, Role.RUNNING_MEAN, "zeros (a buffer)", p -> K.ZERO);
		r.add(K.NORMS, Role.RUNNING_VAR, "ones (a buffer)", p -> K.ONE);
		r.add(K.NORMS, Role.BATCH_COUNT, "zeros (an int64 buffer)", p -> K.ZERO);
	}

	private static InitSpec pytorchBias(ParameterSpec p) {
		if (p.fans() == null) {
			throw new InvalidInitializerException("preset", "preset 'pytorch_default' bounds a bias by 1/sqrt(fan_in), "
					+ "but " + p.name() + " has no fans; give fan_in or its init");
		}
		double bound = (p.fans().fanIn() > 0) ? 1.0 / Math.sqrt(p.fans().fanIn()) : 0.0;
		return InitSpec.of("uniform", "low", -bound, "high", bound);
	}

	private static InitSpec pytorchRecurrent(ParameterSpec p) {
		// fans are those of one gate block [H, in]: fan_out is hidden_size
		double bound = 1.0 / Math.sqrt(p.fans().fanOut());
		return InitSpec.of("uniform", "low", -bound, "high", bound);
	}

	private static InitSpec kerasLstmBias(ParameterSpec p) {
		boolean recurrentHalf = p.param() != null && p.param().startsWith("bias_hh");
		return recurrentHalf ? K.ZERO : InitSpec.of("unit_forget_bias");
	}

	private static List<Rule> rules(java.util.function.Consumer<Rules> body) {
		Rules r = new Rules();
		body.accept(r);
		return List.copyOf(r.list);
	}

	/**
	 * One row of a preset.
	 *
	 * @param layerTypes the layer types it applies to ({@code *} for all)
	 * @param role the parameter role, or null for every role
	 * @param param the module parameter it applies to, or null for any
	 * @param description what it does, for the catalog
	 * @param spec the initializer it gives a tensor
	 */
	public record Rule(List<String> layerTypes, Role role, String param, String description,
			Function<ParameterSpec, InitSpec> spec) {

		boolean matches(ParameterSpec p) {
			return (this.layerTypes.contains("*") || this.layerTypes.contains(p.layerType()))
					&& (this.role == null || this.role == p.role())
					&& (this.param == null || this.param.equals(p.param()))
					&& (this.role != null || (p.role() != Role.RUNNING_MEAN && p.role() != Role.RUNNING_VAR
							&& p.role() != Role.BATCH_COUNT));
		}

	}

	private static final class Rules {

		private final List<Rule> list = new ArrayList<>();

		void add(List<String> layerTypes, Role role, String description, Function<ParameterSpec, InitSpec> spec) {
			this.list.add(new Rule(layerTypes, role, null, description, spec));
		}

		void addParam(List<String> layerTypes, String param, String description,
				Function<ParameterSpec, InitSpec> spec) {
			this.list.add(new Rule(layerTypes, null, param, description, spec));
		}

	}

	/**
	 * Constants the rules share (a holder, since enum constants cannot see later
	 * statics).
	 */
	static final class K {

		static final List<String> DENSE = List.of("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
				"conv_transpose2d", "conv_transpose3d", "tensor");

		static final List<String> EMBEDDING = List.of("embedding");

		static final List<String> RECURRENT = List.of("rnn", "lstm", "gru");

		static final List<String> NORMS = List.of("layer_norm", "batch_norm1d", "batch_norm2d", "batch_norm3d");

		static final List<String> ATTENTION = List.of("multihead_attention");

		static final List<String> ALL = List.of("*");

		static final InitSpec ZERO = InitSpec.of("zeros");

		static final InitSpec ONE = InitSpec.of("ones");

		static final InitSpec SMALL = InitSpec.of("normal", "std", 0.01);

		static final InitSpec PYTORCH_WEIGHT = InitSpec.of("kaiming_uniform", "a", Math.sqrt(5), "nonlinearity",
				"leaky_relu");

		static final InitSpec FLAX_KERNEL = InitSpec.of("variance_scaling", "scale", 1.0, "mode", "fan_in",
				"distribution", "truncated_normal");

		private K() {
		}

	}

}
