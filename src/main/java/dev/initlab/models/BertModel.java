package dev.initlab.models;

import java.util.ArrayList;
import java.util.List;

import dev.initlab.models.ConfigField.Type;

/**
 * transformers' {@code BertModel(BertConfig(**config), add_pooling_layer)}, as
 * transformers 5.x builds and initializes it ({@code models/bert/configuration_bert.py}:
 * {@code BertConfig}; {@code models/bert/modeling_bert.py}: {@code BertEmbeddings},
 * {@code BertLayer}, {@code BertAttention}, {@code BertSelfAttention},
 * {@code BertSelfOutput}, {@code BertIntermediate}, {@code BertOutput},
 * {@code BertPooler}; {@code BertPreTrainedModel._init_weights} over
 * {@code PreTrainedModel._init_weights} in {@code modeling_utils.py}).
 * <p>
 * State_dict: word, position and token-type embeddings and their LayerNorm; per layer the
 * self-attention's {@code query}, {@code key}, {@code value}, {@code output.dense},
 * {@code output.LayerNorm}, (with {@code add_cross_attention}, which needs
 * {@code is_decoder}, the same again under {@code crossattention}), then
 * {@code intermediate.dense}, {@code output.dense}, {@code output.LayerNorm}; then the
 * pooler's {@code dense} ({@code BertModel(config)} has it; {@code add_pooling_layer} is
 * the constructor's argument, not a config field). The buffers
 * {@code embeddings.position_ids} and {@code embeddings.token_type_ids} are
 * non-persistent, so absent.
 * <p>
 * Init: every {@code nn.Linear} weight and {@code nn.Embedding} normal(0,
 * {@code initializer_range or 0.02}), Linear biases zero, the {@code pad_token_id} row of
 * the word embeddings zero (default 0), LayerNorms one and zero.
 */
final class BertModel extends LibraryArchitecture {

	static final String EMBEDDING = "nn.Embedding: normal(0, initializer_range) (PreTrainedModel._init_weights)";

	static final String WORD_EMBEDDING = "nn.Embedding: normal(0, initializer_range), the pad_token_id row zero "
			+ "(PreTrainedModel._init_weights)";

	static final String LINEAR_WEIGHT = "nn.Linear weight: normal(0, initializer_range) "
			+ "(PreTrainedModel._init_weights)";

	static final String LINEAR_BIAS = "nn.Linear bias: zeros (PreTrainedModel._init_weights)";

	static final String NORM_WEIGHT = "nn.LayerNorm weight: ones (PreTrainedModel._init_weights)";

	static final String NORM_BIAS = "nn.LayerNorm bias: zeros (PreTrainedModel._init_weights)";

	private static final List<ConfigField> CONFIG = config(false);

	private static final List<Rule> RULES = rules("");

	BertModel() {
		super("transformers", "BertModel", "5.18.0",
				"transformers.BertModel(BertConfig(**config), add_pooling_layer=add_pooling_layer)", CONFIG, RULES);
		transformer(PARTS, BertModel::structureOf);
	}

	@Override
	public List<ModelTensor> build(ModelConfig config) {
		Sizes sizes = Sizes.of(config);
		StateDict sd = new StateDict();
		encoder(sd, "", sizes, config.bool("add_pooling_layer"), "");
		return sd.tensors();
	}

	/**
	 * BertConfig's fields in its order; {@code BertModel} adds its constructor's
	 * {@code add_pooling_layer} and ignores {@code tie_word_embeddings} (it has no output
	 * embeddings), {@code BertForMaskedLM} ties by it and never has a pooler.
	 */
	static List<ConfigField> config(boolean maskedLm) {
		List<ConfigField> fields = new ArrayList<>(List.of(
				ConfigField.integer("vocab_size", 30522, "vocabulary size: rows of the word embeddings"),
				ConfigField.integer("hidden_size", 768, "hidden size"),
				ConfigField.integer("num_hidden_layers", 12, "number of encoder layers"),
				ConfigField.integer("num_attention_heads", 12, "attention heads; must divide hidden_size"),
				ConfigField.integer("intermediate_size", 3072, "feed-forward inner size"),
				ConfigField.ignored("hidden_act", Type.STRING, "gelu", "activation (no parameters)"),
				ConfigField.ignored("hidden_dropout_prob", Type.NUMBER, 0.1, "dropout (no parameters)"),
				ConfigField.ignored("attention_probs_dropout_prob", Type.NUMBER, 0.1, "dropout (no parameters)"),
				ConfigField.integer("max_position_embeddings", 512, "rows of the position embeddings"),
				ConfigField.integer("type_vocab_size", 2, "rows of the token-type embeddings"),
				ConfigField.number("initializer_range", 0.02,
						"std of the normal initializers, >= 0; 0 means 0.02 (initializer_range or 0.02)"),
				ConfigField.ignored("layer_norm_eps", Type.NUMBER, 1e-12, "LayerNorm eps (no parameters)"),
				ConfigField.integer("pad_token_id", 0, "padding token: its word-embedding row is zero; null for none")
					.orNull(),
				ConfigField.ignored("use_cache", Type.BOOLEAN, true, "generation cache (no parameters)"),
				ConfigField.ignored("classifier_dropout", Type.NUMBER, null, "dropout of task heads (no parameters)"),
				ConfigField.bool("is_decoder", false, "causal self-attention; needed by add_cross_attention"),
				ConfigField.bool("add_cross_attention", false,
						"cross-attention in every layer (crossattention.*); needs is_decoder"),
				ConfigField.ignored("bos_token_id", Type.INTEGER, null, "token id (no parameters)"),
				ConfigField.ignored("eos_token_id", Type.ANY, null, "token id or ids (no parameters)")));
		if (maskedLm) {
			fields.add(ConfigField.bool("tie_word_embeddings", true,
					"cls.predictions.decoder.weight is the word embeddings and cls.predictions.decoder.bias is "
							+ "cls.predictions.bias; false unties both"));
		}
		else {
			fields.add(ConfigField.ignored("tie_word_embeddings", Type.BOOLEAN, true,
					"BertModel has no output embeddings (no parameters)"));
			fields.add(ConfigField.bool("add_pooling_layer", true,
					"BertModel's constructor argument (not a BertConfig field): the pooler's dense layer"));
		}
		return List.copyOf(fields);
	}

	/** The rules of a BertModel whose tensor names start with {@code prefix}. */
	static List<Rule> rules(String prefix) {
		return List.of(new Rule(prefix + "embeddings.word_embeddings.weight", WORD_EMBEDDING),
				new Rule(prefix + "embeddings.position_embeddings.weight", EMBEDDING),
				new Rule(prefix + "embeddings.token_type_embeddings.weight", EMBEDDING),
				new Rule(prefix + "encoder.layer.*.*.self.*.weight", LINEAR_WEIGHT),
				new Rule(prefix + "encoder.layer.*.*.self.*.bias", LINEAR_BIAS),
				new Rule(prefix + "**.dense.weight", LINEAR_WEIGHT), new Rule(prefix + "**.dense.bias", LINEAR_BIAS),
				new Rule(prefix + "**.LayerNorm.weight", NORM_WEIGHT),
				new Rule(prefix + "**.LayerNorm.bias", NORM_BIAS));
	}

	/**
	 * {@code BertModel} at {@code prefix} ({@code ""}, or {@code "bert."} inside a task
	 * model).
	 * @param wordTie what the word embeddings' rule adds about a tie ({@code ""} for
	 * none)
	 */
	static void encoder(StateDict sd, String prefix, Sizes s, boolean pooler, String wordTie) {
		String embeddings = prefix + "embeddings.";
		sd.embedding(embeddings + "word_embeddings", s.vocab, s.hidden, s.pad, s.wordEmbedding(wordTie));
		sd.embedding(embeddings + "position_embeddings", s.positions, s.hidden, null, s.normal(EMBEDDING));
		sd.embedding(embeddings + "token_type_embeddings", s.types, s.hidden, null, s.normal(EMBEDDING));
		layerNorm(sd, embeddings + "LayerNorm", s.hidden);
		for (int i = 0; i < s.layers; i++) {
			String layer = prefix + "encoder.layer." + i + ".";
			attention(sd, layer + "attention", s);
			if (s.crossAttention) {
				attention(sd, layer + "crossattention", s);
			}
			s.linear(sd, layer + "intermediate.dense", s.hidden, s.inner);
			s.linear(sd, layer + "output.dense", s.inner, s.hidden);
			layerNorm(sd, layer + "output.LayerNorm", s.hidden);
		}
		if (pooler) {
			s.linear(sd, prefix + "pooler.dense", s.hidden, s.hidden);
		}
	}

	/**
	 * {@code BertAttention}: {@code self.query/key/value} (all heads: hidden → hidden),
	 * {@code output.dense}, {@code output.LayerNorm}.
	 */
	private static void attention(StateDict sd, String prefix, Sizes s) {
		s.linear(sd, prefix + ".self.query", s.hidden, s.hidden);
		s.linear(sd, prefix + ".self.key", s.hidden, s.hidden);
		s.linear(sd, prefix + ".self.value", s.hidden, s.hidden);
		s.linear(sd, prefix + ".output.dense", s.hidden, s.hidden);
		layerNorm(sd, prefix + ".output.LayerNorm", s.hidden);
	}

	static void layerNorm(StateDict sd, String prefix, int dim) {
		sd.layerNorm(prefix, dim, InitRule.ones(NORM_WEIGHT), InitRule.zeros(NORM_BIAS));
	}

	/**
	 * A BertConfig checked: the sizes, the std {@code _init_weights} uses and the padding
	 * row.
	 */
	record Sizes(int vocab, int hidden, int layers, int heads, int inner, int positions, int types, double std,
			Integer pad, boolean crossAttention) {

		/**
		 * @throws InvalidConfigException naming every field at fault
		 */
		static Sizes of(ModelConfig config) {
			ModelConfig.Checks checks = config.checks();
			int vocab = checks.positive("vocab_size");
			int hidden = checks.positive("hidden_size");
			int layers = checks.atLeast("num_hidden_layers", 0);
			int heads = checks.positive("num_attention_heads");
			// BertSelfAttention.__init__ raises ValueError otherwise
			checks.require(heads == 0 || hidden % heads == 0, "num_attention_heads",
					"hidden_size (" + hidden + ") must be divisible by num_attention_heads (" + heads + ")");
			int inner = checks.positive("intermediate_size");
			int positions = checks.positive("max_position_embeddings");
			int types = checks.positive("type_vocab_size");
			double range = config.number("initializer_range");
			// torch's normal_ refuses a negative std
			checks.require(range >= 0, "initializer_range", "initializer_range must be >= 0, got " + range);
			Integer pad = config.integer("pad_token_id");
			// nn.Embedding asserts -num_embeddings <= padding_idx < num_embeddings
			checks.require(pad == null || vocab == 0 || (pad >= -vocab && pad < vocab), "pad_token_id",
					"pad_token_id must be null or in [-" + vocab + ", " + (vocab - 1) + "] (vocab_size " + vocab
							+ "), got " + pad);
			boolean cross = config.bool("add_cross_attention");
			// BertLayer.__init__ raises ValueError otherwise
			checks.require(!cross || config.bool("is_decoder"), "add_cross_attention",
					"add_cross_attention needs is_decoder = true (BertLayer refuses cross-attention in an encoder)");
			checks.done();
			// PreTrainedModel._init_weights: std = config.initializer_range or 0.02
			double std = (range > 0) ? range : 0.02;
			Integer row = (pad == null) ? null : ((pad < 0) ? pad + vocab : pad);
			return new Sizes(vocab, hidden, layers, heads, inner, positions, types, std, row, cross);
		}

		/** {@code normal(0, std)} with the number filled into the rule's text. */
		InitRule normal(String rule) {
			return InitRule.normal(this.std, rule + " = normal(0, " + this.std + ")");
		}

		/** The word embeddings' rule, numbers and padding row filled in. */
		InitRule wordEmbedding(String tie) {
			String padText = (this.pad == null) ? ", no padding row" : ", row " + this.pad + " zero";
			return InitRule.normal(this.std, WORD_EMBEDDING + tie + " = normal(0, " + this.std + ")" + padText);
		}

		/** {@code nn.Linear(in, out)} with its weight and bias rules. */
		void linear(StateDict sd, String prefix, int in, int out) {
			sd.linear(prefix, in, out, normal(LINEAR_WEIGHT), InitRule.zeros(LINEAR_BIAS));
		}

	}

	private static final List<PartRule> PARTS = parts("");

	/** The parts of a BertModel whose tensor names start with {@code prefix}. */
	static List<PartRule> parts(String prefix) {
		String layer = prefix + "encoder.layer.*.";
		return List.of(PartRule.of(prefix + "embeddings.word_embeddings.weight", Part.EMBEDDING),
				PartRule.of(prefix + "embeddings.token_type_embeddings.weight", Part.EMBEDDING),
				PartRule.of(prefix + "embeddings.position_embeddings.weight", Part.POSITION_EMBEDDING),
				PartRule.of(layer + "attention.self.query.weight", Part.QUERY),
				PartRule.of(layer + "attention.self.key.weight", Part.KEY),
				PartRule.of(layer + "attention.self.value.weight", Part.VALUE),
				PartRule.of(layer + "attention.output.dense.weight", Part.ATTENTION_OUTPUT),
				PartRule.of(layer + "intermediate.dense.weight", Part.FFN_IN),
				PartRule.of(layer + "output.dense.weight", Part.FFN_OUT),
				PartRule.of("cls.predictions.decoder.weight", Part.READOUT));
	}

	/** The depth and widths of a BertConfig. */
	static Structure structureOf(ModelConfig config) {
		int hidden = config.integer("hidden_size");
		int heads = config.integer("num_attention_heads");
		return Structure.encoder(config.integer("num_hidden_layers"), hidden, heads, hidden / heads).withPostLn();
	}

}
