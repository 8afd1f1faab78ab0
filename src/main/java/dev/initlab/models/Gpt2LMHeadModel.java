package dev.initlab.models;

import java.util.List;

import dev.initlab.init.Fans;
import dev.initlab.init.Role;
import dev.initlab.models.ConfigField.Type;

/**
 * transformers' {@code GPT2LMHeadModel(GPT2Config(**config))}, as transformers 5.x builds
 * and initializes it ({@code models/gpt2/modeling_gpt2.py}: {@code GPT2Model},
 * {@code GPT2Block}, {@code GPT2Attention}, {@code GPT2MLP};
 * {@code GPT2PreTrainedModel._init_weights} over {@code PreTrainedModel._init_weights};
 * {@code pytorch_utils.Conv1D}).
 * <p>
 * Layout: {@code Conv1D} keeps its weight as {@code [in, out]} ({@code nx, nf}); its fans
 * are stated explicitly as the module's (fan_in = in, fan_out = out), not PyTorch's rule
 * on the raw shape. No attention-mask buffers: transformers 5.x registers none.
 * {@code lm_head.weight} is tied to {@code transformer.wte.weight} unless
 * {@code tie_word_embeddings} is false.
 */
final class Gpt2LMHeadModel extends LibraryArchitecture {

	static final String EMBEDDING = "nn.Embedding: normal(0, initializer_range) (PreTrainedModel._init_weights)";

	static final String CONV1D_WEIGHT = "Conv1D weight: normal(0, initializer_range) "
			+ "(GPT2PreTrainedModel._init_weights)";

	static final String CONV1D_BIAS = "Conv1D bias: zeros";

	static final String RESIDUAL = "GPT2 residual projection: normal(0, initializer_range/sqrt(2*n_layer))";

	static final String NORM_WEIGHT = "LayerNorm weight: ones";

	static final String NORM_BIAS = "LayerNorm bias: zeros";

	static final String LM_HEAD = "lm_head: tied to transformer.wte.weight (tie_word_embeddings); when untied, "
			+ "nn.Linear without bias: normal(0, initializer_range)";

	private static final InitRule CONV1D_WEIGHT_DEFAULT = InitRule.normal(0.02,
			"transformers Conv1D.__init__: normal(0, 0.02)");

	private static final InitRule CONV1D_BIAS_DEFAULT = InitRule.zeros("transformers Conv1D.__init__: zeros");

	private static final List<ConfigField> CONFIG = List.of(
			ConfigField.integer("vocab_size", 50257, "vocabulary size: rows of wte and lm_head"),
			ConfigField.integer("n_positions", 1024, "maximum sequence length: rows of wpe"),
			ConfigField.integer("n_embd", 768, "hidden size"), ConfigField.integer("n_layer", 12, "number of blocks"),
			ConfigField.integer("n_head", 12, "attention heads; must divide n_embd"),
			ConfigField.integer("n_inner", null, "MLP inner size; null means 4 * n_embd"),
			ConfigField.ignored("activation_function", Type.STRING, "gelu_new", "MLP activation (no parameters)"),
			ConfigField.ignored("resid_pdrop", Type.NUMBER, 0.1, "dropout (no parameters)"),
			ConfigField.ignored("embd_pdrop", Type.NUMBER, 0.1, "dropout (no parameters)"),
			ConfigField.ignored("attn_pdrop", Type.NUMBER, 0.1, "dropout (no parameters)"),
			ConfigField.ignored("layer_norm_epsilon", Type.NUMBER, 1e-5, "LayerNorm eps (no parameters)"),
			ConfigField.number("initializer_range", 0.02, "std of the normal initializers"),
			ConfigField.ignored("summary_type", Type.STRING, "cls_index", "GPT2DoubleHeadsModel only"),
			ConfigField.ignored("summary_use_proj", Type.BOOLEAN, true, "GPT2DoubleHeadsModel only"),
			ConfigField.ignored("summary_activation", Type.STRING, null, "GPT2DoubleHeadsModel only"),
			ConfigField.ignored("summary_proj_to_labels", Type.BOOLEAN, true, "GPT2DoubleHeadsModel only"),
			ConfigField.ignored("summary_first_dropout", Type.NUMBER, 0.1, "GPT2DoubleHeadsModel only"),
			ConfigField.ignored("scale_attn_weights", Type.BOOLEAN, true, "attention scaling (no parameters)"),
			ConfigField.ignored("use_cache", Type.BOOLEAN, true, "generation cache (no parameters)"),
			ConfigField.ignored("bos_token_id", Type.INTEGER, 50256, "token id (no parameters)"),
			ConfigField.ignored("eos_token_id", Type.ANY, 50256, "token id or ids (no parameters)"),
			ConfigField.ignored("pad_token_id", Type.INTEGER, null,
					"token id (no parameters: GPT-2's wte has no padding_idx)"),
			ConfigField.ignored("scale_attn_by_inverse_layer_idx", Type.BOOLEAN, false,
					"attention scaling (no parameters)"),
			ConfigField.ignored("reorder_and_upcast_attn", Type.BOOLEAN, false, "attention precision (no parameters)"),
			ConfigField.bool("add_cross_attention", false,
					"cross-attention in every block (crossattention.c_attn, q_attn, c_proj, ln_cross_attn)"),
			ConfigField.bool("tie_word_embeddings", true, "lm_head.weight is transformer.wte.weight"));

	private static final List<Rule> RULES = List.of(new Rule("transformer.wte.weight", EMBEDDING),
			new Rule("transformer.wpe.weight", EMBEDDING), new Rule("transformer.h.*.*.c_proj.weight", RESIDUAL),
			new Rule("transformer.h.*.*.c_attn.weight", CONV1D_WEIGHT),
			new Rule("transformer.h.*.crossattention.q_attn.weight", CONV1D_WEIGHT),
			new Rule("transformer.h.*.mlp.c_fc.weight", CONV1D_WEIGHT),
			new Rule("transformer.h.*.*.*.bias", CONV1D_BIAS), new Rule("**.ln_*.weight", NORM_WEIGHT),
			new Rule("**.ln_*.bias", NORM_BIAS), new Rule("lm_head.weight", LM_HEAD));

	Gpt2LMHeadModel() {
		super("transformers", "GPT2LMHeadModel", "5.18.0", "transformers.GPT2LMHeadModel(GPT2Config(**config))", CONFIG,
				RULES);
		transformer(PARTS, Gpt2LMHeadModel::structureOf);
	}

	@Override
	public List<ModelTensor> build(ModelConfig config) {
		ModelConfig.Checks checks = config.checks();
		int vocab = checks.positive("vocab_size");
		int positions = checks.positive("n_positions");
		int embd = checks.positive("n_embd");
		int layers = checks.atLeast("n_layer", 0);
		int heads = checks.positive("n_head");
		int inner = (config.integer("n_inner") == null) ? 4 * embd : checks.positive("n_inner");
		double range = config.number("initializer_range");
		checks.require(range > 0, "initializer_range", "initializer_range must be > 0, got " + range);
		checks.require(heads == 0 || embd % heads == 0, "n_head",
				"n_embd (" + embd + ") must be divisible by n_head (" + heads + ")");
		checks.require(4L * embd <= Integer.MAX_VALUE, "n_embd",
				"n_embd is too large: 4 * n_embd must fit a tensor dimension (2^31 - 1)");
		checks.done();
		boolean cross = config.bool("add_cross_attention");
		InitRule normal = InitRule.normal(range, CONV1D_WEIGHT);
		InitRule residual = InitRule.normal((layers > 0) ? range / Math.sqrt(2.0 * layers) : range, RESIDUAL)
			.damped(normal.init());
		InitRule zeros = InitRule.zeros(CONV1D_BIAS);
		StateDict sd = new StateDict();
		sd.embedding("transformer.wte", vocab, embd, null, InitRule.normal(range, EMBEDDING));
		sd.embedding("transformer.wpe", positions, embd, null, InitRule.normal(range, EMBEDDING));
		for (int i = 0; i < layers; i++) {
			String block = "transformer.h." + i + ".";
			layerNorm(sd, block + "ln_1", embd);
			conv1d(sd, block + "attn.c_attn", embd, 3 * embd, normal, zeros);
			conv1d(sd, block + "attn.c_proj", embd, embd, residual, zeros);
			layerNorm(sd, block + "ln_2", embd);
			if (cross) {
				conv1d(sd, block + "crossattention.c_attn", embd, 2 * embd, normal, zeros);
				conv1d(sd, block + "crossattention.q_attn", embd, embd, normal, zeros);
				conv1d(sd, block + "crossattention.c_proj", embd, embd, residual, zeros);
				layerNorm(sd, block + "ln_cross_attn", embd);
			}
			conv1d(sd, block + "mlp.c_fc", embd, inner, normal, zeros);
			conv1d(sd, block + "mlp.c_proj", inner, embd, residual, zeros);
		}
		layerNorm(sd, "transformer.ln_f", embd);
		if (config.bool("tie_word_embeddings")) {
			sd.tied("lm_head.weight", "transformer.wte.weight", Role.WEIGHT, "linear", "weight");
		}
		else {
			sd.linear("lm_head", embd, vocab, InitRule.normal(range, LM_HEAD), null);
		}
		return sd.tensors();
	}

	private static void layerNorm(StateDict sd, String prefix, int dim) {
		sd.layerNorm(prefix, dim, InitRule.ones(NORM_WEIGHT), InitRule.zeros(NORM_BIAS));
	}

	/**
	 * transformers' {@code Conv1D(nf=out, nx=in)}: weight {@code [in, out]}, bias
	 * {@code [out]}; fans those of the linear map in → out.
	 */
	private static void conv1d(StateDict sd, String prefix, int in, int out, InitRule weight, InitRule bias) {
		Fans fans = new Fans(in, out);
		sd.tensor(prefix + ".weight", new int[] { in, out }, Role.WEIGHT, fans, "tensor", "weight", weight,
				CONV1D_WEIGHT_DEFAULT);
		sd.tensor(prefix + ".bias", new int[] { out }, Role.BIAS, fans, "tensor", "bias", bias, CONV1D_BIAS_DEFAULT);
	}

	private static final List<PartRule> PARTS = List.of(PartRule.of("transformer.wte.weight", Part.EMBEDDING),
			PartRule.of("transformer.wpe.weight", Part.POSITION_EMBEDDING),
			PartRule.of("transformer.h.*.attn.c_attn.weight", Part.QKV).inOutLayout(),
			PartRule.of("transformer.h.*.attn.c_proj.weight", Part.ATTENTION_OUTPUT).inOutLayout(),
			PartRule.cross("transformer.h.*.crossattention.q_attn.weight", Part.QUERY).inOutLayout(),
			PartRule.cross("transformer.h.*.crossattention.c_attn.weight", Part.KV).inOutLayout(),
			PartRule.cross("transformer.h.*.crossattention.c_proj.weight", Part.ATTENTION_OUTPUT).inOutLayout(),
			PartRule.of("transformer.h.*.mlp.c_fc.weight", Part.FFN_IN).inOutLayout(),
			PartRule.of("transformer.h.*.mlp.c_proj.weight", Part.FFN_OUT).inOutLayout(),
			PartRule.of("lm_head.weight", Part.READOUT));

	/** The depth and widths of a config, as recipes need them. */
	private static Structure structureOf(ModelConfig config) {
		int embd = config.integer("n_embd");
		int heads = config.integer("n_head");
		return Structure.decoder(config.integer("n_layer"), embd, heads, heads, embd / heads);
	}

}
