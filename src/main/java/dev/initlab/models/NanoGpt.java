package dev.initlab.models;

import java.util.List;

import dev.initlab.init.Fans;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Role;
import dev.initlab.models.ConfigField.Type;

/**
 * karpathy/nanoGPT's {@code GPT(GPTConfig(**config))} ({@code model.py}): token and
 * position embeddings, {@code n_layer} pre-LN blocks of {@code nn.Linear} attention
 * ({@code c_attn}, {@code c_proj}) and MLP ({@code c_fc}, {@code c_proj}), nanoGPT's own
 * {@code LayerNorm} (bias optional), and {@code lm_head} whose weight
 * {@code transformer.wte.weight} is ({@code self.transformer.wte.weight =
 * self.lm_head.weight}). With PyTorch >= 2.0 (flash attention) the attention registers no
 * {@code bias} mask buffer, so the state_dict holds parameters only.
 * <p>
 * Initialization: {@code self.apply(self._init_weights)} (every {@code nn.Linear} weight
 * and {@code nn.Embedding} normal(0, 0.02), Linear biases zero), then every parameter
 * whose name ends in {@code c_proj.weight} normal(0, 0.02/sqrt(2*n_layer)); LayerNorm
 * weight one, bias zero from its constructor.
 */
final class NanoGpt extends LibraryArchitecture {

	static final String NORMAL = "_init_weights: nn.Linear and nn.Embedding weights normal(0, 0.02)";

	static final String BIAS = "_init_weights: nn.Linear bias zeros";

	static final String RESIDUAL = "GPT.__init__: every c_proj.weight normal(0, 0.02/sqrt(2*n_layer))";

	static final String NORM_WEIGHT = "LayerNorm.__init__: weight ones";

	static final String NORM_BIAS = "LayerNorm.__init__: bias zeros (bias=True only)";

	static final String TIED = "lm_head.weight is transformer.wte.weight (weight tying)";

	private static final List<ConfigField> CONFIG = List.of(
			ConfigField.integer("block_size", 1024, "maximum sequence length: rows of wpe"),
			ConfigField.integer("vocab_size", 50304, "vocabulary size (GPT-2's 50257 padded to a multiple of 64)"),
			ConfigField.integer("n_layer", 12, "number of blocks"),
			ConfigField.integer("n_head", 12, "attention heads; must divide n_embd"),
			ConfigField.integer("n_embd", 768, "hidden size"),
			ConfigField.ignored("dropout", Type.NUMBER, 0.0, "dropout (no parameters)"),
			ConfigField.bool("bias", true, "biases in the Linears and LayerNorms"));

	private static final List<Rule> RULES = List.of(new Rule("transformer.wte.weight", NORMAL + "; " + TIED),
			new Rule("transformer.wpe.weight", NORMAL), new Rule("transformer.h.*.*.c_proj.weight", RESIDUAL),
			new Rule("transformer.h.*.attn.c_attn.weight", NORMAL), new Rule("transformer.h.*.mlp.c_fc.weight", NORMAL),
			new Rule("transformer.h.*.*.*.bias", BIAS), new Rule("**.ln_*.weight", NORM_WEIGHT),
			new Rule("**.ln_*.bias", NORM_BIAS), new Rule("lm_head.weight", TIED));

	NanoGpt() {
		super("nanogpt", "GPT", "karpathy/nanoGPT@3adf61e154c3fe3fca428ad6bc3818b27a3b8291 (model.py)",
				"model.GPT(GPTConfig(**config)) from karpathy/nanoGPT, with PyTorch >= 2.0 (flash attention)", CONFIG,
				RULES);
		transformer(PARTS, NanoGpt::structureOf);
	}

	@Override
	public List<ModelTensor> build(ModelConfig config) {
		ModelConfig.Checks checks = config.checks();
		int block = checks.positive("block_size");
		int vocab = checks.positive("vocab_size");
		int layers = checks.atLeast("n_layer", 0);
		int heads = checks.positive("n_head");
		int embd = checks.positive("n_embd");
		checks.require(heads == 0 || embd % heads == 0, "n_head",
				"n_embd (" + embd + ") must be divisible by n_head (" + heads + ")");
		checks.require(4L * embd <= Integer.MAX_VALUE, "n_embd",
				"n_embd is too large: 4 * n_embd must fit a tensor dimension (2^31 - 1)");
		checks.done();
		boolean bias = config.bool("bias");
		InitRule normal = InitRule.normal(0.02, NORMAL);
		InitRule residual = InitRule.normal((layers > 0) ? 0.02 / Math.sqrt(2.0 * layers) : 0.02, RESIDUAL)
			.damped(InitRule.normal(0.02, RESIDUAL).init());
		InitRule zeros = bias ? InitRule.zeros(BIAS) : null;
		InitRule ones = InitRule.ones(NORM_WEIGHT);
		InitRule normBias = bias ? InitRule.zeros(NORM_BIAS) : null;
		StateDict sd = new StateDict();
		// the tied Parameter is lm_head's (nn.Linear [vocab, n_embd]): its bare default
		// is
		// nn.Linear's kaiming_uniform(a=sqrt(5)) with fan_in n_embd
		Fans headFans = new Fans(embd, vocab);
		InitRule linearDefault = new InitRule(
				InitSpec.of("kaiming_uniform", "a", Math.sqrt(5), "nonlinearity", "leaky_relu"),
				"nn.Linear weight (lm_head's, which wte shares): kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in))");
		sd.tensor("transformer.wte.weight", new int[] { vocab, embd }, Role.EMBEDDING, headFans, "embedding", "weight",
				new InitRule(normal.init(), NORMAL + "; " + TIED), linearDefault);
		sd.embedding("transformer.wpe", block, embd, null, normal);
		for (int i = 0; i < layers; i++) {
			String prefix = "transformer.h." + i + ".";
			sd.layerNorm(prefix + "ln_1", embd, ones, normBias);
			sd.linear(prefix + "attn.c_attn", embd, 3 * embd, normal, zeros);
			sd.linear(prefix + "attn.c_proj", embd, embd, residual, zeros);
			sd.layerNorm(prefix + "ln_2", embd, ones, normBias);
			sd.linear(prefix + "mlp.c_fc", embd, 4 * embd, normal, zeros);
			sd.linear(prefix + "mlp.c_proj", 4 * embd, embd, residual, zeros);
		}
		sd.layerNorm("transformer.ln_f", embd, ones, normBias);
		sd.tied("lm_head.weight", "transformer.wte.weight", Role.WEIGHT, "linear", "weight");
		return sd.tensors();
	}

	private static final List<PartRule> PARTS = List.of(PartRule.of("transformer.wte.weight", Part.EMBEDDING),
			PartRule.of("transformer.wpe.weight", Part.POSITION_EMBEDDING),
			PartRule.of("transformer.h.*.attn.c_attn.weight", Part.QKV),
			PartRule.of("transformer.h.*.attn.c_proj.weight", Part.ATTENTION_OUTPUT),
			PartRule.of("transformer.h.*.mlp.c_fc.weight", Part.FFN_IN),
			PartRule.of("transformer.h.*.mlp.c_proj.weight", Part.FFN_OUT),
			PartRule.of("lm_head.weight", Part.READOUT));

	/** The depth and widths of a config, as recipes need them. */
	private static Structure structureOf(ModelConfig config) {
		int embd = config.integer("n_embd");
		int heads = config.integer("n_head");
		return Structure.decoder(config.integer("n_layer"), embd, heads, heads, embd / heads);
	}

}
