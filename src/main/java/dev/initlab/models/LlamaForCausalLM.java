package dev.initlab.models;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.initlab.init.Fans;
import dev.initlab.init.Role;
import dev.initlab.models.ConfigField.Type;

/**
 * transformers' {@code LlamaForCausalLM(LlamaConfig(**config))}, as transformers 5.x
 * builds and initializes it ({@code models/llama/configuration_llama.py}:
 * {@code LlamaConfig}; {@code models/llama/modeling_llama.py}: {@code LlamaModel},
 * {@code LlamaDecoderLayer}, {@code LlamaAttention}, {@code LlamaMLP},
 * {@code LlamaRMSNorm}; the initialization is {@code PreTrainedModel._init_weights} in
 * {@code modeling_utils.py}, which Llama does not override).
 * <p>
 * Shapes: grouped-query attention, {@code q_proj} {@code [heads*head_dim, hidden]},
 * {@code k_proj}/{@code v_proj} {@code [kv_heads*head_dim, hidden]}, {@code o_proj}
 * {@code [hidden, heads*head_dim]}; {@code head_dim} defaults to
 * {@code hidden_size/num_attention_heads} and {@code num_key_value_heads} to
 * {@code num_attention_heads} ({@code LlamaConfig.__post_init__}). Biases only with
 * {@code attention_bias} (all four projections) or {@code mlp_bias} (all three MLP
 * projections). The rotary buffers {@code inv_freq} and {@code original_inv_freq} are
 * non-persistent, so the state_dict holds parameters only.
 * <p>
 * Init: every {@code nn.Linear} weight and the {@code nn.Embedding} normal(0,
 * {@code initializer_range or 0.02}) (a range of 0 falls back to 0.02), biases zero, the
 * {@code pad_token_id} row of {@code embed_tokens} zero, RMSNorm weights one. With
 * {@code tie_word_embeddings} (default false for Llama) {@code lm_head.weight} is
 * {@code model.embed_tokens.weight} ({@code _tied_weights_keys}), padding row included.
 */
final class LlamaForCausalLM extends LibraryArchitecture {

	static final String EMBEDDING = "nn.Embedding: normal(0, initializer_range), the pad_token_id row zero "
			+ "(PreTrainedModel._init_weights)";

	static final String LINEAR_WEIGHT = "nn.Linear weight: normal(0, initializer_range) "
			+ "(PreTrainedModel._init_weights)";

	static final String LINEAR_BIAS = "nn.Linear bias (attention_bias, mlp_bias): zeros "
			+ "(PreTrainedModel._init_weights)";

	static final String NORM = "LlamaRMSNorm weight: ones (PreTrainedModel._init_weights)";

	static final String LM_HEAD = "lm_head: nn.Linear without bias, normal(0, initializer_range) "
			+ "(PreTrainedModel._init_weights); with tie_word_embeddings it is model.embed_tokens.weight";

	static final String TIED = "; lm_head.weight is this tensor (tie_word_embeddings)";

	private static final InitRule NORM_DEFAULT = InitRule
		.ones("LlamaRMSNorm weight: ones (torch.ones in LlamaRMSNorm.__init__, as nn.RMSNorm)");

	private static final List<ConfigField> CONFIG = List.of(
			ConfigField.integer("vocab_size", 32000, "vocabulary size: rows of embed_tokens and lm_head"),
			ConfigField.integer("hidden_size", 4096, "hidden size"),
			ConfigField.integer("intermediate_size", 11008, "MLP inner size (gate_proj, up_proj, down_proj)"),
			ConfigField.integer("num_hidden_layers", 32, "number of decoder layers"),
			ConfigField.integer("num_attention_heads", 32, "query heads; must divide hidden_size"),
			ConfigField.integer("num_key_value_heads", null,
					"key/value heads (grouped-query attention); null means num_attention_heads; must divide it"),
			ConfigField.ignored("hidden_act", Type.STRING, "silu", "MLP activation (no parameters)"),
			ConfigField.ignored("max_position_embeddings", Type.INTEGER, 2048,
					"rotary length (no parameters: the rotary buffers are non-persistent)"),
			ConfigField.number("initializer_range", 0.02,
					"std of the normal initializers, in [0, 1]; 0 means 0.02 (initializer_range or 0.02)"),
			ConfigField.ignored("rms_norm_eps", Type.NUMBER, 1e-6, "RMSNorm eps (no parameters)"),
			ConfigField.ignored("use_cache", Type.BOOLEAN, true, "generation cache (no parameters)"),
			ConfigField.integer("pad_token_id", null, "padding token: its embed_tokens row is zero; null for none"),
			ConfigField.ignored("bos_token_id", Type.INTEGER, 1, "token id (no parameters)"),
			ConfigField.ignored("eos_token_id", Type.ANY, 2, "token id or ids (no parameters)"),
			ConfigField.ignored("pretraining_tp", Type.INTEGER, 1,
					"tensor-parallel rank of pretraining (no parameters)"),
			ConfigField.bool("tie_word_embeddings", false, "lm_head.weight is model.embed_tokens.weight"),
			ConfigField.ignored("rope_parameters", Type.ANY,
					Collections.unmodifiableMap(new TreeMap<>(Map.of("rope_theta", 10000.0, "rope_type", "default"))),
					"rotary embedding parameters (no parameters: non-persistent buffers)"),
			ConfigField.ignored("rope_theta", Type.NUMBER, null,
					"legacy rotary base, folded into rope_parameters (no parameters)"),
			ConfigField.ignored("rope_scaling", Type.ANY, null,
					"legacy rotary scaling, folded into rope_parameters (no parameters)"),
			ConfigField.bool("attention_bias", false, "biases in q_proj, k_proj, v_proj and o_proj"),
			ConfigField.ignored("attention_dropout", Type.NUMBER, 0.0, "dropout (no parameters)"),
			ConfigField.bool("mlp_bias", false, "biases in gate_proj, up_proj and down_proj"),
			ConfigField.integer("head_dim", null, "size of one head; null means hidden_size / num_attention_heads"));

	private static final List<Rule> RULES = List.of(new Rule("model.embed_tokens.weight", EMBEDDING),
			new Rule("model.layers.*.self_attn.*_proj.weight", LINEAR_WEIGHT),
			new Rule("model.layers.*.mlp.*_proj.weight", LINEAR_WEIGHT),
			new Rule("model.layers.*.*.*_proj.bias", LINEAR_BIAS), new Rule("model.layers.*.*_layernorm.weight", NORM),
			new Rule("model.norm.weight", NORM), new Rule("lm_head.weight", LM_HEAD));

	LlamaForCausalLM() {
		super("transformers", "LlamaForCausalLM", "5.18.0", "transformers.LlamaForCausalLM(LlamaConfig(**config))",
				CONFIG, RULES);
		transformer(PARTS, LlamaForCausalLM::structureOf);
	}

	@Override
	public List<ModelTensor> build(ModelConfig config) {
		ModelConfig.Checks checks = config.checks();
		int vocab = checks.positive("vocab_size");
		int hidden = checks.positive("hidden_size");
		int inner = checks.positive("intermediate_size");
		int layers = checks.atLeast("num_hidden_layers", 0);
		int heads = checks.positive("num_attention_heads");
		// LlamaConfig.validate_architecture: hidden_size % num_attention_heads, even
		// when head_dim is given
		checks.require(heads == 0 || hidden % heads == 0, "num_attention_heads",
				"hidden_size (" + hidden + ") must be divisible by num_attention_heads (" + heads + ")");
		int kvHeads = (config.integer("num_key_value_heads") == null) ? heads : checks.positive("num_key_value_heads");
		// the library builds such a model, but repeat_kv (heads // kv_heads copies)
		// cannot run it
		checks.require(kvHeads == 0 || heads == 0 || heads % kvHeads == 0, "num_key_value_heads",
				"num_attention_heads (" + heads + ") must be divisible by num_key_value_heads (" + kvHeads + ")");
		int headDim = (config.integer("head_dim") == null) ? ((heads > 0) ? hidden / heads : 0)
				: checks.positive("head_dim");
		checks.require((long) heads * headDim <= Integer.MAX_VALUE, "head_dim",
				"num_attention_heads * head_dim must fit a tensor dimension (2^31 - 1)");
		double range = config.number("initializer_range");
		// LlamaConfig: initializer_range = interval(min=0.0, max=1.0)
		checks.require(range >= 0 && range <= 1, "initializer_range",
				"initializer_range must be in [0, 1], got " + range);
		Integer pad = config.integer("pad_token_id");
		checks.require(pad == null || vocab == 0 || (pad >= -vocab && pad < vocab), "pad_token_id",
				"pad_token_id must be null or in [-" + vocab + ", " + (vocab - 1) + "] (vocab_size " + vocab + "), got "
						+ pad);
		checks.done();
		// PreTrainedModel._init_weights: std = config.initializer_range or 0.02
		double std = (range > 0) ? range : 0.02;
		boolean tied = config.bool("tie_word_embeddings");
		InitRule weight = normal(std, LINEAR_WEIGHT);
		InitRule attentionBias = config.bool("attention_bias") ? InitRule.zeros(LINEAR_BIAS) : null;
		InitRule mlpBias = config.bool("mlp_bias") ? InitRule.zeros(LINEAR_BIAS) : null;
		InitRule norm = InitRule.ones(NORM);
		String padText = (pad == null) ? ", no padding row" : ", row " + ((pad < 0) ? pad + vocab : pad) + " zero";
		StateDict sd = new StateDict();
		sd.embedding("model.embed_tokens", vocab, hidden, pad,
				InitRule.normal(std, EMBEDDING + (tied ? TIED : "") + " = normal(0, " + std + ")" + padText));
		for (int i = 0; i < layers; i++) {
			String layer = "model.layers." + i + ".";
			sd.linear(layer + "self_attn.q_proj", hidden, heads * headDim, weight, attentionBias);
			sd.linear(layer + "self_attn.k_proj", hidden, kvHeads * headDim, weight, attentionBias);
			sd.linear(layer + "self_attn.v_proj", hidden, kvHeads * headDim, weight, attentionBias);
			sd.linear(layer + "self_attn.o_proj", heads * headDim, hidden, weight, attentionBias);
			sd.linear(layer + "mlp.gate_proj", hidden, inner, weight, mlpBias);
			sd.linear(layer + "mlp.up_proj", hidden, inner, weight, mlpBias);
			sd.linear(layer + "mlp.down_proj", inner, hidden, weight, mlpBias);
			rmsNorm(sd, layer + "input_layernorm", hidden, norm);
			rmsNorm(sd, layer + "post_attention_layernorm", hidden, norm);
		}
		rmsNorm(sd, "model.norm", hidden, norm);
		if (tied) {
			sd.tied("lm_head.weight", "model.embed_tokens.weight", Role.WEIGHT, "linear", "weight");
		}
		else {
			sd.linear("lm_head", hidden, vocab, normal(std, LM_HEAD), null);
		}
		return sd.tensors();
	}

	/** {@code normal(0, std)} with the number filled into the rule's text. */
	private static InitRule normal(double std, String rule) {
		return InitRule.normal(std, rule + " = normal(0, " + std + ")");
	}

	/**
	 * {@code LlamaRMSNorm(dim)}: one weight {@code [dim]}, no bias; declared as a norm
	 * weight (layer type {@code layer_norm}) so presets treat it as one, with its own
	 * bare default (ones).
	 */
	private static void rmsNorm(StateDict sd, String prefix, int dim, InitRule weight) {
		int[] shape = { dim };
		sd.tensor(prefix + ".weight", shape, Role.NORM_WEIGHT, Fans.of(shape), "layer_norm", "weight", weight,
				NORM_DEFAULT);
	}

	private static final List<PartRule> PARTS = List.of(PartRule.of("model.embed_tokens.weight", Part.EMBEDDING),
			PartRule.of("model.layers.*.self_attn.q_proj.weight", Part.QUERY),
			PartRule.of("model.layers.*.self_attn.k_proj.weight", Part.KEY),
			PartRule.of("model.layers.*.self_attn.v_proj.weight", Part.VALUE),
			PartRule.of("model.layers.*.self_attn.o_proj.weight", Part.ATTENTION_OUTPUT),
			PartRule.of("model.layers.*.mlp.gate_proj.weight", Part.FFN_IN),
			PartRule.of("model.layers.*.mlp.up_proj.weight", Part.FFN_IN),
			PartRule.of("model.layers.*.mlp.down_proj.weight", Part.FFN_OUT),
			PartRule.of("lm_head.weight", Part.READOUT));

	/** The depth and widths of a config, as recipes need them. */
	private static Structure structureOf(ModelConfig config) {
		int hidden = config.integer("hidden_size");
		int heads = config.integer("num_attention_heads");
		Integer kv = config.integer("num_key_value_heads");
		Integer headDim = config.integer("head_dim");
		return Structure.decoder(config.integer("num_hidden_layers"), hidden, heads, (kv != null) ? kv : heads,
				(headDim != null) ? headDim : hidden / heads);
	}

}
