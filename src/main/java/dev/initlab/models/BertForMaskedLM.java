package dev.initlab.models;

import java.util.ArrayList;
import java.util.List;

import dev.initlab.init.Fans;
import dev.initlab.init.Role;

/**
 * transformers' {@code BertForMaskedLM(BertConfig(**config))}, as transformers 5.x builds
 * and initializes it ({@code models/bert/modeling_bert.py}: {@code BertForMaskedLM},
 * {@code BertOnlyMLMHead}, {@code BertLMPredictionHead},
 * {@code BertPredictionHeadTransform}; {@code BertPreTrainedModel._init_weights}).
 * <p>
 * State_dict: {@code bert.*}, a {@link BertModel} without pooler
 * ({@code add_pooling_layer=False}), then {@code cls.predictions.bias} (the head's own
 * {@code nn.Parameter}, so before its submodules), {@code transform.dense},
 * {@code transform.LayerNorm}, {@code decoder.weight}, {@code decoder.bias}.
 * <p>
 * Ties ({@code _tied_weights_keys}, applied only with {@code tie_word_embeddings},
 * default true; false unties both): {@code cls.predictions.decoder.weight} is
 * {@code bert.embeddings.word_embeddings.weight} (padding row included) and
 * {@code cls.predictions.decoder.bias} is {@code cls.predictions.bias}, which
 * {@code _init_weights} zeroes ({@code BertLMPredictionHead}: {@code zeros_(bias)}).
 */
final class BertForMaskedLM extends LibraryArchitecture {

	static final String PREDICTION_BIAS = "BertLMPredictionHead.bias: zeros (BertPreTrainedModel._init_weights)";

	static final String DECODER_WEIGHT = "cls.predictions.decoder.weight: bert.embeddings.word_embeddings.weight "
			+ "(tie_word_embeddings); when untied, nn.Linear weight: normal(0, initializer_range)";

	static final String DECODER_BIAS = "cls.predictions.decoder.bias: cls.predictions.bias (tie_word_embeddings); "
			+ "when untied, nn.Linear bias: zeros";

	static final String WORD_TIE = "; cls.predictions.decoder.weight is this tensor (tie_word_embeddings)";

	static final String BIAS_TIE = "; cls.predictions.decoder.bias is this tensor (tie_word_embeddings)";

	private static final List<ConfigField> CONFIG = BertModel.config(true);

	private static final List<Rule> RULES;

	static {
		List<Rule> rules = new ArrayList<>(BertModel.rules("bert."));
		rules.add(new Rule("cls.predictions.bias", PREDICTION_BIAS));
		rules.add(new Rule("cls.predictions.transform.dense.weight", BertModel.LINEAR_WEIGHT));
		rules.add(new Rule("cls.predictions.transform.dense.bias", BertModel.LINEAR_BIAS));
		rules.add(new Rule("cls.predictions.transform.LayerNorm.weight", BertModel.NORM_WEIGHT));
		rules.add(new Rule("cls.predictions.transform.LayerNorm.bias", BertModel.NORM_BIAS));
		rules.add(new Rule("cls.predictions.decoder.weight", DECODER_WEIGHT));
		rules.add(new Rule("cls.predictions.decoder.bias", DECODER_BIAS));
		RULES = List.copyOf(rules);
	}

	BertForMaskedLM() {
		super("transformers", "BertForMaskedLM", "5.18.0", "transformers.BertForMaskedLM(BertConfig(**config))", CONFIG,
				RULES);
		transformer(PARTS, BertModel::structureOf);
	}

	@Override
	public List<ModelTensor> build(ModelConfig config) {
		BertModel.Sizes s = BertModel.Sizes.of(config);
		boolean tied = config.bool("tie_word_embeddings");
		StateDict sd = new StateDict();
		BertModel.encoder(sd, "bert.", s, false, tied ? WORD_TIE : "");
		// BertLMPredictionHead's own Parameter: torch.zeros(vocab_size) at construction
		Fans decoderFans = new Fans(s.hidden(), s.vocab());
		InitRule zeros = InitRule.zeros(PREDICTION_BIAS + (tied ? BIAS_TIE : ""));
		sd.tensor("cls.predictions.bias", new int[] { s.vocab() }, Role.BIAS, decoderFans, "linear", "bias", zeros,
				InitRule.zeros("BertLMPredictionHead.bias: zeros (torch.zeros in its __init__)"));
		s.linear(sd, "cls.predictions.transform.dense", s.hidden(), s.hidden());
		BertModel.layerNorm(sd, "cls.predictions.transform.LayerNorm", s.hidden());
		if (tied) {
			sd.tied("cls.predictions.decoder.weight", "bert.embeddings.word_embeddings.weight", Role.WEIGHT, "linear",
					"weight");
			sd.tied("cls.predictions.decoder.bias", "cls.predictions.bias", Role.BIAS, "linear", "bias");
		}
		else {
			sd.linear("cls.predictions.decoder", s.hidden(), s.vocab(), s.normal(DECODER_WEIGHT),
					InitRule.zeros(DECODER_BIAS));
		}
		return sd.tensors();
	}

	private static final List<PartRule> PARTS = BertModel.parts("bert.");

}
