package dev.initlab.models;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

import dev.initlab.init.Fans;
import dev.initlab.init.Role;
import dev.initlab.models.ConfigField.Type;

/**
 * transformers' {@code T5ForConditionalGeneration(T5Config(**config))}, as transformers
 * 5.x builds and initializes it ({@code models/t5/configuration_t5.py}: {@code T5Config};
 * {@code models/t5/modeling_t5.py}: {@code T5ForConditionalGeneration}, {@code T5Stack},
 * {@code T5Block}, {@code T5LayerSelfAttention}, {@code T5LayerCrossAttention},
 * {@code T5Attention}, {@code T5LayerFF}, {@code T5DenseActDense},
 * {@code T5DenseGatedActDense}, {@code T5LayerNorm},
 * {@code T5PreTrainedModel._init_weights}; {@code modeling_utils.py}:
 * {@code PreTrainedModel._init_weights} and {@code initialize_weights}).
 * <p>
 * What transformers 5.x does that one might not expect:
 * <ul>
 * <li>{@code T5Config.__post_init__} forces {@code tie_word_embeddings = True}: a passed
 * {@code false} only turns off {@code scale_decoder_outputs}. So {@code shared.weight},
 * {@code encoder.embed_tokens.weight}, {@code decoder.embed_tokens.weight} and
 * {@code lm_head.weight} are always one tensor ({@code _tied_weights_keys}).</li>
 * <li>That tensor is drawn at normal(0, initializer_factor): every writer agrees
 * ({@code PreTrainedModel._init_weights} on the {@code nn.Embedding}s and on the
 * {@code nn.Linear} {@code lm_head} uses {@code initializer_factor} because
 * {@code T5Config} has no {@code initializer_range}; {@code T5PreTrainedModel} then draws
 * {@code shared} at {@code factor * 1.0} when it visits the root module last, the
 * post-order of {@code initialize_weights}); {@code lm_head}'s own branch only runs
 * untied, which never happens.</li>
 * <li>The layer norms ({@code T5LayerNorm}: a weight, no bias) are the constant
 * {@code initializer_factor}, not 1.</li>
 * <li>{@code relative_attention_bias} exists only in layer 0 of block 0 of each stack
 * (self-attention); cross-attention ({@code EncDecAttention}) never has one.</li>
 * <li>{@code feed_forward_proj} {@code "gated-ACT"} (or {@code is_gated_act}) gives
 * {@code wi_0}/{@code wi_1} instead of {@code wi}; an activation with parameters
 * ({@code prelu}: {@code nn.PReLU}) adds {@code DenseReluDense.act.weight} (0.25), which
 * no init touches.</li>
 * </ul>
 */
final class T5ForConditionalGeneration extends LibraryArchitecture {

	static final String SHARED = "T5 shared embedding (shared = encoder/decoder embed_tokens = lm_head: T5Config "
			+ "forces tie_word_embeddings): normal(0, initializer_factor*1.0) (T5PreTrainedModel._init_weights)";

	static final String Q = "T5Attention q: normal(0, initializer_factor*(d_model*d_kv)^-0.5)";

	static final String KV = "T5Attention k, v: normal(0, initializer_factor*d_model^-0.5)";

	static final String O = "T5Attention o: normal(0, initializer_factor*(num_heads*d_kv)^-0.5)";

	static final String RELATIVE = "T5Attention relative_attention_bias (block 0 only): "
			+ "normal(0, initializer_factor*d_model^-0.5)";

	static final String WI = "T5 feed-forward wi (wi_0, wi_1 when gated): normal(0, initializer_factor*d_model^-0.5)";

	static final String WO = "T5 feed-forward wo: normal(0, initializer_factor*d_ff^-0.5)";

	static final String NORM = "T5LayerNorm weight: constant initializer_factor*1.0 (not 1)";

	static final String PRELU = "nn.PReLU weight (dense_act_fn 'prelu'): constant 0.25 (not re-initialized)";

	/**
	 * transformers 5.x {@code activations.py} {@code ACT2CLS}: the activations
	 * {@code dense_act_fn} (and {@code feed_forward_proj}'s {@code ACT} in {@code ACT} /
	 * {@code gated-ACT}) may name.
	 */
	static final List<String> ACTIVATIONS = List.of("gelu", "gelu_10", "gelu_fast", "gelu_new", "gelu_python",
			"gelu_pytorch_tanh", "gelu_python_tanh", "gelu_accurate", "hardswish", "laplace", "leaky_relu", "linear",
			"mish", "quick_gelu", "relu", "relu2", "relu6", "sigmoid", "silu", "sqrtsoftplus", "swish", "tanh", "prelu",
			"xielu");

	private static final List<String> FEED_FORWARD = feedForwardChoices();

	private static final InitRule NORM_PYTORCH = InitRule.ones("T5LayerNorm weight: ones (torch.ones in __init__)");

	private static final InitRule PRELU_PYTORCH = InitRule.of("nn.PReLU weight: constant 0.25", "constant", "value",
			0.25);

	private static final List<ConfigField> CONFIG = List.of(
			ConfigField.integer("vocab_size", 32128, "vocabulary size: rows of shared (= embed_tokens = lm_head)"),
			ConfigField.integer("d_model", 512, "hidden size"),
			ConfigField.integer("d_kv", 64, "size of each attention head's key/value projection"),
			ConfigField.integer("d_ff", 2048, "feed-forward inner size"),
			ConfigField.integer("num_layers", 6, "encoder blocks"),
			ConfigField.integer("num_decoder_layers", null, "decoder blocks; null means num_layers"),
			ConfigField.integer("num_heads", 8, "attention heads (q/k/v project to num_heads*d_kv)"),
			ConfigField.integer("relative_attention_num_buckets", 32, "rows of relative_attention_bias"),
			ConfigField.ignored("relative_attention_max_distance", Type.INTEGER, 128,
					"relative position bucketing (no parameters)"),
			ConfigField.ignored("dropout_rate", Type.NUMBER, 0.1, "dropout (no parameters)"),
			ConfigField.ignored("layer_norm_epsilon", Type.NUMBER, 1e-6, "T5LayerNorm eps (no parameters)"),
			ConfigField.number("initializer_factor", 1.0, "scales every init std and the layer norms' constant"),
			ConfigField.choice("feed_forward_proj", "relu", FEED_FORWARD,
					"'ACT' (wi) or 'gated-ACT' (wi_0, wi_1); ACT sets dense_act_fn ('gated-gelu': gelu_new)"),
			ConfigField.ignored("is_encoder_decoder", Type.BOOLEAN, true, "always an encoder-decoder here"),
			ConfigField.ignored("use_cache", Type.BOOLEAN, true, "generation cache (no parameters)"),
			ConfigField.ignored("pad_token_id", Type.INTEGER, 0, "token id (no parameters: no padding_idx)"),
			ConfigField.ignored("eos_token_id", Type.ANY, 1, "token id or ids (no parameters)"),
			ConfigField.ignored("classifier_dropout", Type.NUMBER, 0.0, "T5ForSequenceClassification only"),
			ConfigField.ignored("is_decoder", Type.BOOLEAN, false,
					"T5ForConditionalGeneration sets it per stack (no parameters)"),
			new ConfigField("dense_act_fn", Type.STRING, null,
					"the feed-forward activation; null means from feed_forward_proj ('prelu' adds act.weight)", true,
					ACTIVATIONS, false),
			new ConfigField("is_gated_act", Type.BOOLEAN, null,
					"wi_0/wi_1 instead of wi; null means from feed_forward_proj ('gated-...')", true, List.of(), false),
			ConfigField.ignored("tie_word_embeddings", Type.BOOLEAN, true,
					"accepted; T5Config forces it to true (false only sets scale_decoder_outputs = false)"),
			ConfigField.ignored("scale_decoder_outputs", Type.BOOLEAN, null,
					"decoder output scaling (no parameters); null means tie_word_embeddings is not false"));

	private static final List<Rule> RULES = List.of(new Rule("shared.weight", SHARED),
			new Rule("*.embed_tokens.weight", SHARED), new Rule("*.block.*.layer.*.*.q.weight", Q),
			new Rule("*.block.*.layer.*.*.k.weight", KV), new Rule("*.block.*.layer.*.*.v.weight", KV),
			new Rule("*.block.*.layer.*.*.o.weight", O),
			new Rule("*.block.0.layer.0.SelfAttention.relative_attention_bias.weight", RELATIVE),
			new Rule("*.block.*.layer.*.DenseReluDense.wi*.weight", WI),
			new Rule("*.block.*.layer.*.DenseReluDense.wo.weight", WO),
			new Rule("*.block.*.layer.*.DenseReluDense.act.weight", PRELU), new Rule("**.*layer_norm.weight", NORM),
			new Rule("lm_head.weight", SHARED));

	T5ForConditionalGeneration() {
		super("transformers", "T5ForConditionalGeneration", "5.18.0",
				"transformers.T5ForConditionalGeneration(T5Config(**config))", CONFIG, RULES);
		transformer(PARTS, T5ForConditionalGeneration::structureOf);
	}

	@Override
	public List<ModelTensor> build(ModelConfig config) {
		ModelConfig.Checks checks = config.checks();
		int vocab = checks.positive("vocab_size");
		int dModel = checks.positive("d_model");
		int dKv = checks.positive("d_kv");
		int dFf = checks.positive("d_ff");
		int encoderLayers = checks.atLeast("num_layers", 0);
		int decoderLayers = (config.integer("num_decoder_layers") == null) ? encoderLayers
				: checks.atLeast("num_decoder_layers", 0);
		int heads = checks.positive("num_heads");
		int buckets = checks.positive("relative_attention_num_buckets");
		double factor = config.number("initializer_factor");
		checks.require(factor >= 0, "initializer_factor",
				"initializer_factor must be >= 0 (torch's normal_ needs std >= 0), got " + factor);
		checks.require((long) heads * dKv <= Integer.MAX_VALUE, "num_heads",
				"num_heads * d_kv (" + ((long) heads * dKv) + ") must fit a tensor dimension (2^31 - 1)");
		String proj = config.string("feed_forward_proj");
		// T5Config.__post_init__ derives both from feed_forward_proj, then lets a passed
		// value win (both are what save_pretrained writes into config.json); null:
		// derived
		String givenActivation = config.string("dense_act_fn");
		String activation = (givenActivation != null) ? givenActivation : activationOf(proj);
		Boolean givenGated = (Boolean) config.resolved().get("is_gated_act");
		boolean gated = (givenGated != null) ? givenGated : proj.startsWith("gated-");
		checks.require(!activation.equals("xielu"), (givenActivation != null) ? "dense_act_fn" : "feed_forward_proj",
				"activation 'xielu' is not supported: its module has its own parameters and buffers "
						+ "(alpha_p, alpha_n, beta, eps)");
		checks.done();
		Stds stds = new Stds(factor, dModel, dKv, heads, dFf);
		int inner = heads * dKv;
		StateDict sd = new StateDict();
		sd.embedding("shared", vocab, dModel, null, normal(factor, SHARED));
		sd.tied("encoder.embed_tokens.weight", "shared.weight", Role.EMBEDDING, "embedding", "weight");
		FeedForward ff = new FeedForward(gated, activation.equals("prelu"), dFf);
		for (int i = 0; i < encoderLayers; i++) {
			String block = "encoder.block." + i + ".layer.";
			attention(sd, block + "0.SelfAttention", dModel, inner, (i == 0) ? buckets : 0, heads, stds);
			norm(sd, block + "0.layer_norm", dModel, factor);
			feedForward(sd, block + "1", dModel, ff, stds, factor);
		}
		norm(sd, "encoder.final_layer_norm", dModel, factor);
		sd.tied("decoder.embed_tokens.weight", "shared.weight", Role.EMBEDDING, "embedding", "weight");
		for (int i = 0; i < decoderLayers; i++) {
			String block = "decoder.block." + i + ".layer.";
			attention(sd, block + "0.SelfAttention", dModel, inner, (i == 0) ? buckets : 0, heads, stds);
			norm(sd, block + "0.layer_norm", dModel, factor);
			attention(sd, block + "1.EncDecAttention", dModel, inner, 0, heads, stds);
			norm(sd, block + "1.layer_norm", dModel, factor);
			feedForward(sd, block + "2", dModel, ff, stds, factor);
		}
		norm(sd, "decoder.final_layer_norm", dModel, factor);
		sd.tied("lm_head.weight", "shared.weight", Role.WEIGHT, "linear", "weight");
		return sd.tensors();
	}

	/**
	 * The activation a {@code feed_forward_proj} sets ({@code T5Config.__post_init__}):
	 * the part after {@code gated-}, but {@code gated-gelu} means {@code gelu_new}.
	 */
	static String activationOf(String feedForwardProj) {
		if (feedForwardProj.equals("gated-gelu")) {
			return "gelu_new";
		}
		return feedForwardProj.startsWith("gated-") ? feedForwardProj.substring("gated-".length()) : feedForwardProj;
	}

	/**
	 * {@code T5Attention}: {@code q}, {@code k}, {@code v} ({@code [num_heads*d_kv,
	 * d_model]}), {@code o} ({@code [d_model, num_heads*d_kv]}), all without bias, and
	 * {@code relative_attention_bias} ({@code nn.Embedding(buckets, num_heads)}) when
	 * {@code buckets > 0}.
	 */
	private static void attention(StateDict sd, String prefix, int dModel, int inner, int buckets, int heads,
			Stds stds) {
		sd.linear(prefix + ".q", dModel, inner, normal(stds.q(), Q), null);
		sd.linear(prefix + ".k", dModel, inner, normal(stds.dModel(), KV), null);
		sd.linear(prefix + ".v", dModel, inner, normal(stds.dModel(), KV), null);
		sd.linear(prefix + ".o", inner, dModel, normal(stds.o(), O), null);
		if (buckets > 0) {
			sd.embedding(prefix + ".relative_attention_bias", buckets, heads, null, normal(stds.dModel(), RELATIVE));
		}
	}

	/**
	 * {@code T5LayerFF.DenseReluDense}: {@code T5DenseActDense} ({@code wi}, {@code wo})
	 * or {@code T5DenseGatedActDense} ({@code wi_0}, {@code wi_1}, {@code wo}), then
	 * {@code act}'s parameter if it has one, then the layer norm.
	 */
	private static void feedForward(StateDict sd, String layer, int dModel, FeedForward ff, Stds stds, double factor) {
		String dense = layer + ".DenseReluDense";
		List<String> inputs = ff.gated() ? List.of("wi_0", "wi_1") : List.of("wi");
		for (String wi : inputs) {
			sd.linear(dense + "." + wi, dModel, ff.dFf(), normal(stds.dModel(), WI), null);
		}
		sd.linear(dense + ".wo", ff.dFf(), dModel, normal(stds.wo(), WO), null);
		if (ff.prelu()) {
			sd.tensor(dense + ".act.weight", new int[] { 1 }, Role.WEIGHT, new Fans(1, 1), "tensor", "weight",
					InitRule.of(PRELU, "constant", "value", 0.25), PRELU_PYTORCH);
		}
		norm(sd, layer + ".layer_norm", dModel, factor);
	}

	/** {@code T5LayerNorm(d_model)}: a weight only, the constant initializer_factor. */
	private static void norm(StateDict sd, String prefix, int dModel, double factor) {
		int[] shape = { dModel };
		sd.tensor(prefix + ".weight", shape, Role.NORM_WEIGHT, Fans.of(shape), "layer_norm", "weight",
				InitRule.of(NORM + " = " + number(factor), "constant", "value", factor), NORM_PYTORCH);
	}

	private static InitRule normal(double std, String rule) {
		return InitRule.normal(std, rule + " = normal(0, " + number(std) + ")");
	}

	/** A number to 8 significant digits, without trailing zeros. */
	static String number(double value) {
		return new BigDecimal(value).round(new MathContext(8)).stripTrailingZeros().toPlainString();
	}

	private static List<String> feedForwardChoices() {
		List<String> choices = new ArrayList<>(ACTIVATIONS);
		ACTIVATIONS.forEach((a) -> choices.add("gated-" + a));
		return List.copyOf(choices);
	}

	/** The feed-forward block's shape. */
	private record FeedForward(boolean gated, boolean prelu, int dFf) {
	}

	/**
	 * {@code T5PreTrainedModel._init_weights}' stds: q
	 * {@code factor*(d_model*d_kv)^-0.5}, k/v/wi/relative bias
	 * {@code factor*d_model^-0.5}, o {@code factor*(num_heads*d_kv)^-0.5}, wo
	 * {@code factor*d_ff^-0.5}.
	 */
	private record Stds(double q, double dModel, double o, double wo) {

		Stds(double factor, int dModel, int dKv, int heads, int dFf) {
			this(factor * Math.pow((double) dModel * dKv, -0.5), factor * Math.pow(dModel, -0.5),
					factor * Math.pow((double) heads * dKv, -0.5), factor * Math.pow(dFf, -0.5));
		}

	}

	private static final List<PartRule> PARTS = List.of(PartRule.of("shared.weight", Part.EMBEDDING),
			PartRule.of("encoder.block.*.layer.0.SelfAttention.q.weight", Part.QUERY, Structure.Stack.ENCODER),
			PartRule.of("encoder.block.*.layer.0.SelfAttention.k.weight", Part.KEY, Structure.Stack.ENCODER),
			PartRule.of("encoder.block.*.layer.0.SelfAttention.v.weight", Part.VALUE, Structure.Stack.ENCODER),
			PartRule.of("encoder.block.*.layer.0.SelfAttention.o.weight", Part.ATTENTION_OUTPUT,
					Structure.Stack.ENCODER),
			PartRule.of("encoder.block.*.layer.1.DenseReluDense.wi*.weight", Part.FFN_IN, Structure.Stack.ENCODER),
			PartRule.of("encoder.block.*.layer.1.DenseReluDense.wo.weight", Part.FFN_OUT, Structure.Stack.ENCODER),
			PartRule.of("decoder.block.*.layer.0.SelfAttention.q.weight", Part.QUERY, Structure.Stack.DECODER),
			PartRule.of("decoder.block.*.layer.0.SelfAttention.k.weight", Part.KEY, Structure.Stack.DECODER),
			PartRule.of("decoder.block.*.layer.0.SelfAttention.v.weight", Part.VALUE, Structure.Stack.DECODER),
			PartRule.of("decoder.block.*.layer.0.SelfAttention.o.weight", Part.ATTENTION_OUTPUT,
					Structure.Stack.DECODER),
			PartRule.cross("decoder.block.*.layer.1.EncDecAttention.q.weight", Part.QUERY),
			PartRule.cross("decoder.block.*.layer.1.EncDecAttention.k.weight", Part.KEY),
			PartRule.cross("decoder.block.*.layer.1.EncDecAttention.v.weight", Part.VALUE),
			PartRule.cross("decoder.block.*.layer.1.EncDecAttention.o.weight", Part.ATTENTION_OUTPUT),
			PartRule.of("decoder.block.*.layer.2.DenseReluDense.wi*.weight", Part.FFN_IN, Structure.Stack.DECODER),
			PartRule.of("decoder.block.*.layer.2.DenseReluDense.wo.weight", Part.FFN_OUT, Structure.Stack.DECODER),
			PartRule.of("lm_head.weight", Part.READOUT));

	/** The depth and widths of a config, as recipes need them. */
	private static Structure structureOf(ModelConfig config) {
		int encoder = config.integer("num_layers");
		Integer decoder = config.integer("num_decoder_layers");
		int heads = config.integer("num_heads");
		return new Structure(Structure.Kind.ENCODER_DECODER, encoder, (decoder != null) ? decoder : encoder,
				config.integer("d_model"), heads, heads, config.integer("d_kv"), false);
	}

}
