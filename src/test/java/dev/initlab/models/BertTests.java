package dev.initlab.models;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.initlab.models.ArchitectureFixtures.FixtureModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code transformers/BertModel} and {@code transformers/BertForMaskedLM} against what
 * transformers 5.18 built for the fixture configs
 * ({@code reference/architectures/bert.json}): state_dict names, order, shapes, dtypes,
 * the two MLM tie groups and parameter counts exactly; deterministic tensors and padding
 * rows exactly; each random group by two-sample KS against the library's own samples.
 * <p>
 * False-failure odds: one KS comparison per random group, about 45 over the four models,
 * each failing falsely with probability at most 1e-5, so the class fails falsely with
 * odds below 1 in 2 000 (our draws use a fixed seed, so a result is reproducible).
 * Negative controls: the same pooled comparison rejects the rule at std x1.5, and, where
 * the config sets {@code initializer_range} 0.04, the rule that ignores it (0.02).
 */
class BertTests {

	static Stream<FixtureModel> models() {
		return ArchitectureFixtures.family("bert").stream();
	}

	@Test
	void theFixturesHoldBothArchitectures() {
		assertThat(models().map(FixtureModel::architecture)).containsOnly("transformers/BertModel",
				"transformers/BertForMaskedLM");
		assertThat(models().map(FixtureModel::architecture).distinct()).hasSize(2);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void stateDictEqualsTheLibrarys(FixtureModel m) {
		FixtureAssertions.assertStateDictIsTheLibrarys(m, FixtureAssertions.build(m));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void deterministicTensorsAndPaddingRowsEqualTheLibrarys(FixtureModel m) {
		LlamaBertChecks.deterministicValuesAndPaddingRows(m, FixtureAssertions.build(m));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void randomGroupsMatchTheLibrarysSamples(FixtureModel m) {
		int groups = LlamaBertChecks.randomGroupsMatchTheLibrary(m, FixtureAssertions.build(m),
				LlamaBertChecks.initializerRange(m));
		assertThat(groups).isGreaterThanOrEqualTo(10);
	}

	/**
	 * Negative control: every random tensor drawn at std x1.5 and pooled (2 000 library
	 * values or more) is rejected; at the right std the same pool is not.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void aRuleOneAndAHalfTimesTooWideIsRejected(FixtureModel m) {
		LlamaBertChecks.oneAndAHalfTimesTheStdIsRejected(m);
	}

	/**
	 * Negative control: where the config sets initializer_range 0.04, drawing at the
	 * default 0.02 (a rule that ignores the config) is rejected.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void aRuleIgnoringInitializerRangeIsRejected(FixtureModel m) {
		if (LlamaBertChecks.initializerRange(m) == 0.02) {
			return;
		}
		List<ModelTensor> built = FixtureAssertions.build(m);
		assertThat(LlamaBertChecks.pooledPValueWithStd(m, built, (t) -> 0.02, (n) -> true))
			.isLessThan(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
	}

	@Test
	void everyCatalogRuleIsUsedAndEveryTensorsRuleComesFromIt() {
		Map<String, List<String>> matched = new LinkedHashMap<>();
		models().forEach((m) -> LlamaBertChecks.ruleTextsComeFromTheCatalog(FixtureAssertions.architecture(m),
				FixtureAssertions.build(m), matched.computeIfAbsent(m.architecture(), (k) -> new ArrayList<>())));
		// the untied decoder is not in the fixtures
		FixtureModel mlm = ArchitectureFixtures.model("bert_2");
		LlamaBertChecks.ruleTextsComeFromTheCatalog(FixtureAssertions.architecture(mlm),
				LlamaBertChecks.build(mlm, (c) -> {
					c.put("tie_word_embeddings", false);
					return c;
				}), matched.get(mlm.architecture()));
		assertThat(matched.keySet()).hasSize(2);
		matched.forEach((name, globs) -> assertThat(new HashSet<>(globs)).as(name)
			.containsExactlyInAnyOrderElementsOf(
					Architectures.byName(name).orElseThrow().rules().stream().map(Rule::match).toList()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void pytorchDefaultsAreTorchNns(FixtureModel m) {
		LlamaBertChecks.pytorchDefaultsFollowTorchNn(FixtureAssertions.build(m), List.of("cls.predictions.bias"));
	}

	/**
	 * The parsed config equals BertConfig's resolved one: every field the fixture
	 * resolved, given or default, except PreTrainedConfig's class attributes;
	 * {@code add_pooling_layer} is BertModel's constructor argument, not a config field.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void configDefaultsAreBertConfigs(FixtureModel m) {
		Architecture a = FixtureAssertions.architecture(m);
		Map<String, Object> resolved = ModelConfig.parse(a.config(), FixtureAssertions.config(m.config())).resolved();
		JsonNode library = m.resolvedConfig();
		Set<String> notFields = Set.of("model_type", "is_encoder_decoder");
		for (String field : library.propertyNames()) {
			if (notFields.contains(field)) {
				assertThat(resolved).doesNotContainKey(field);
			}
			else {
				assertThat(resolved).as(field).containsKey(field);
				assertThat(resolved.get(field)).as(field).isEqualTo(LlamaBertChecks.value(library.get(field)));
			}
		}
		assertThat(resolved.keySet()).allMatch((k) -> library.has(k) || k.equals("add_pooling_layer"));
	}

	/**
	 * BertModel(config, add_pooling_layer=False): the fixture's names without the pooler.
	 */
	@Test
	void withoutThePoolerBertModelEndsAtItsLastLayer() {
		FixtureModel m = ArchitectureFixtures.model("bert_0");
		List<ModelTensor> built = LlamaBertChecks.build(m, (c) -> {
			c.put("add_pooling_layer", false);
			return c;
		});
		assertThat(built.stream().map(ModelTensor::name))
			.containsExactlyElementsOf(m.names().stream().filter((n) -> !n.startsWith("pooler.")).toList());
	}

	/**
	 * With tie_word_embeddings false, transformers 5.x ties neither the decoder weight
	 * nor its bias (get_expanded_tied_weights_keys returns no tie at all):
	 * {@code BertForMaskedLM(BertConfig(vocab_size=20, hidden_size=16,
	 * intermediate_size=24, num_hidden_layers=1, num_attention_heads=4,
	 * max_position_embeddings=8, tie_word_embeddings=False)).num_parameters()} is 3136 in
	 * transformers 5.18.
	 */
	@Test
	void untiedTheMaskedLmDecoderHasItsOwnWeightAndBias() {
		Architecture mlm = new BertForMaskedLM();
		List<ModelTensor> built = mlm.build(ModelConfig.parse(mlm.config(),
				Map.of("vocab_size", 20, "hidden_size", 16, "intermediate_size", 24, "num_hidden_layers", 1,
						"num_attention_heads", 4, "max_position_embeddings", 8, "tie_word_embeddings", false)));
		assertThat(built).allMatch((t) -> t.tiedTo() == null);
		assertThat(built.stream().mapToLong((t) -> t.spec().numel()).sum()).isEqualTo(3136);
		Map<String, ModelTensor> byName = FixtureAssertions.byName(built);
		ModelTensor decoder = byName.get("cls.predictions.decoder.weight");
		assertThat(decoder.spec().zeroRow()).isEqualTo(-1);
		assertThat(ModelSamples.libraryDefault(decoder).expectedStd()).isEqualTo(0.02);
		assertThat(ModelSamples.libraryDraw(byName.get("cls.predictions.decoder.bias"), 1, 20)).containsOnly(0.0);
		assertThat(ModelSamples.libraryDraw(byName.get("cls.predictions.bias"), 1, 20)).containsOnly(0.0);
	}

	/**
	 * is_decoder with add_cross_attention: every layer gets a second BertAttention,
	 * {@code crossattention.*}, between its self-attention and its intermediate (10
	 * tensors), as transformers 5.18 orders it.
	 */
	@Test
	void crossAttentionFollowsEachSelfAttention() {
		FixtureModel m = ArchitectureFixtures.model("bert_0");
		List<String> names = LlamaBertChecks.build(m, (c) -> {
			c.put("is_decoder", true);
			c.put("add_cross_attention", true);
			return c;
		}).stream().map(ModelTensor::name).toList();
		List<String> expected = new ArrayList<>();
		for (String name : m.names()) {
			if (name.endsWith(".intermediate.dense.weight")) {
				String layer = name.substring(0, name.indexOf(".intermediate."));
				for (String module : List.of("self.query", "self.key", "self.value", "output.dense")) {
					expected.add(layer + ".crossattention." + module + ".weight");
					expected.add(layer + ".crossattention." + module + ".bias");
				}
				expected.add(layer + ".crossattention.output.LayerNorm.weight");
				expected.add(layer + ".crossattention.output.LayerNorm.bias");
			}
			expected.add(name);
		}
		assertThat(names).containsExactlyElementsOf(expected);
	}

	@Test
	void aNullPadTokenIdLeavesNoPaddingRowAndANegativeOneCountsFromTheEnd() {
		FixtureModel m = ArchitectureFixtures.model("bert_2");
		Map<String, Object> none = new LinkedHashMap<>(FixtureAssertions.config(m.config()));
		none.put("pad_token_id", null);
		List<ModelTensor> built = FixtureAssertions.architecture(m)
			.build(ModelConfig.parse(FixtureAssertions.architecture(m).config(), none));
		assertThat(built).allMatch((t) -> t.spec().zeroRow() == -1);
		Map<String, ModelTensor> negative = FixtureAssertions.byName(LlamaBertChecks.build(m, (c) -> {
			c.put("pad_token_id", -2);
			return c;
		}));
		assertThat(negative.get("bert.embeddings.word_embeddings.weight").spec().zeroRow()).isEqualTo(97);
		assertThat(negative.get("cls.predictions.decoder.weight").spec().zeroRow()).isEqualTo(97);
	}

	/**
	 * BertConfig() as is: bert-base. transformers 5.18 (built on the meta device):
	 * {@code BertModel(BertConfig())} has 109 482 240 parameters in 199 state_dict keys,
	 * {@code BertForMaskedLM(BertConfig())} 109 514 298 (ties once) in 204.
	 */
	@Test
	void theDefaultConfigIsBertBase() {
		Architecture model = new BertModel();
		List<ModelTensor> base = model.build(ModelConfig.parse(model.config(), Map.of()));
		assertThat(base).hasSize(199);
		assertThat(base.stream().mapToLong((t) -> t.spec().numel()).sum()).isEqualTo(109_482_240L);
		Architecture mlm = new BertForMaskedLM();
		List<ModelTensor> head = mlm.build(ModelConfig.parse(mlm.config(), Map.of()));
		assertThat(head).hasSize(204);
		assertThat(head.stream().filter((t) -> t.tiedTo() == null).mapToLong((t) -> t.spec().numel()).sum())
			.isEqualTo(109_514_298L);
	}

	@Test
	void anUnknownFieldIsRefusedByName() {
		for (Architecture a : List.of(new BertModel(), new BertForMaskedLM())) {
			assertThatExceptionOfType(InvalidConfigException.class)
				.isThrownBy(() -> ModelConfig.parse(a.config(), Map.of("position_embedding_type", "absolute")))
				.satisfies((ex) -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
					.containsExactly("position_embedding_type"));
		}
		Architecture mlm = new BertForMaskedLM();
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> ModelConfig.parse(mlm.config(), Map.of("add_pooling_layer", true)));
	}

	static Stream<Arguments> impossibleConfigs() {
		List<Arguments> cases = new ArrayList<>();
		for (String id : List.of("bert_0", "bert_2")) {
			cases.add(Arguments.of(id, "num_attention_heads", 3, "num_attention_heads"));
			cases.add(Arguments.of(id, "add_cross_attention", true, "add_cross_attention"));
			cases.add(Arguments.of(id, "pad_token_id", 99, "pad_token_id"));
			cases.add(Arguments.of(id, "pad_token_id", -100, "pad_token_id"));
			cases.add(Arguments.of(id, "initializer_range", -0.02, "initializer_range"));
			cases.add(Arguments.of(id, "type_vocab_size", 0, "type_vocab_size"));
			cases.add(Arguments.of(id, "max_position_embeddings", 0, "max_position_embeddings"));
			cases.add(Arguments.of(id, "vocab_size", 0, "vocab_size"));
			cases.add(Arguments.of(id, "intermediate_size", -1, "intermediate_size"));
			cases.add(Arguments.of(id, "num_hidden_layers", -1, "num_hidden_layers"));
			cases.add(Arguments.of(id, "hidden_size", 2.5, "hidden_size"));
		}
		return cases.stream();
	}

	/**
	 * Configs BertConfig or the model refuse (BertSelfAttention's and BertLayer's
	 * ValueErrors, nn.Embedding's padding_idx assertion, torch's negative std), each
	 * named by its field; from bert_0/bert_2 (hidden 32, 4 heads, vocab 99).
	 */
	@ParameterizedTest(name = "{0} {1}={2}")
	@MethodSource("impossibleConfigs")
	void anImpossibleConfigIsRefusedByName(String id, String field, Object value, String named) {
		FixtureModel m = ArchitectureFixtures.model(id);
		Architecture a = FixtureAssertions.architecture(m);
		Map<String, Object> config = new LinkedHashMap<>(FixtureAssertions.config(m.config()));
		config.put(field, value);
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> a.build(ModelConfig.parse(a.config(), config)))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
				.contains(named));
	}

}
