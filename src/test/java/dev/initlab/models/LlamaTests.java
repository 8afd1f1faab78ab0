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
 * {@code transformers/LlamaForCausalLM} against what transformers 5.18 built for the
 * fixture configs ({@code reference/architectures/llama.json}): state_dict names, order,
 * shapes, dtypes, ties and parameter count exactly; deterministic tensors and padding
 * rows exactly; each random group by two-sample KS against the library's own samples.
 * <p>
 * False-failure odds: one KS comparison per random group, about 35 over the three models,
 * each failing falsely with probability at most 1e-5, so the class fails falsely with
 * odds below 1 in 2 800 (our draws use a fixed seed, so a result is reproducible).
 * Negative controls: the same pooled comparison rejects the rule at std x1.5, and a
 * GPT-2-style depth scaling of {@code o_proj}/{@code down_proj} that Llama does not have.
 */
class LlamaTests {

	private static final Architecture LLAMA = new LlamaForCausalLM();

	static Stream<FixtureModel> models() {
		return ArchitectureFixtures.family("llama").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void stateDictEqualsTheLibrarys(FixtureModel m) {
		assertThat(m.architecture()).isEqualTo(LLAMA.name());
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
		assertThat(groups).isGreaterThanOrEqualTo(8);
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
	 * Negative control: Llama has no residual scaling; GPT-2's
	 * {@code initializer_range/sqrt(2*n_layer)} on {@code o_proj} and {@code down_proj}
	 * (x0.5 at two layers; 800 library values pooled) is rejected.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void aDepthScaledResidualProjectionIsRejected(FixtureModel m) {
		int layers = m.resolvedConfig().get("num_hidden_layers").asInt();
		if (layers < 2) {
			return;
		}
		List<ModelTensor> built = FixtureAssertions.build(m);
		double scaled = LlamaBertChecks.initializerRange(m) / Math.sqrt(2.0 * layers);
		assertThat(LlamaBertChecks.pooledPValueWithStd(m, built, (t) -> scaled,
				(n) -> n.endsWith("o_proj.weight") || n.endsWith("down_proj.weight")))
			.isLessThan(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
	}

	@Test
	void everyCatalogRuleIsUsedAndEveryTensorsRuleComesFromIt() {
		List<String> matched = new ArrayList<>();
		models()
			.forEach((m) -> LlamaBertChecks.ruleTextsComeFromTheCatalog(LLAMA, FixtureAssertions.build(m), matched));
		assertThat(new HashSet<>(matched))
			.containsExactlyInAnyOrderElementsOf(LLAMA.rules().stream().map(Rule::match).toList());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void pytorchDefaultsAreTorchNns(FixtureModel m) {
		LlamaBertChecks.pytorchDefaultsFollowTorchNn(FixtureAssertions.build(m), List.of());
	}

	/**
	 * The parsed config equals LlamaConfig's resolved one: every field the fixture
	 * resolved, given or default, except the two LlamaConfig derives in
	 * {@code __post_init__} (checked by formula and by the shapes above) and the class
	 * attributes of PreTrainedConfig.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void configDefaultsAreLlamaConfigs(FixtureModel m) {
		Map<String, Object> resolved = ModelConfig.parse(LLAMA.config(), FixtureAssertions.config(m.config()))
			.resolved();
		JsonNode library = m.resolvedConfig();
		Set<String> derived = Set.of("head_dim", "num_key_value_heads");
		Set<String> notFields = Set.of("model_type", "is_encoder_decoder");
		Set<String> legacy = Set.of("rope_theta", "rope_scaling");
		for (String field : library.propertyNames()) {
			if (notFields.contains(field)) {
				assertThat(resolved).doesNotContainKey(field);
			}
			else if (derived.contains(field) && !m.config().has(field)) {
				assertThat(resolved.get(field)).as(field).isNull();
			}
			else {
				assertThat(resolved).as(field).containsKey(field);
				assertThat(resolved.get(field)).as(field).isEqualTo(LlamaBertChecks.value(library.get(field)));
			}
		}
		int heads = library.get("num_attention_heads").asInt();
		assertThat(library.get("head_dim").asInt()).isEqualTo(library.get("hidden_size").asInt() / heads);
		if (!m.config().has("num_key_value_heads")) {
			assertThat(library.get("num_key_value_heads").asInt()).isEqualTo(heads);
		}
		assertThat(resolved.keySet()).allMatch((k) -> library.has(k) || legacy.contains(k));
	}

	@Test
	void headDimAndKeyValueHeadsShapeTheProjections() {
		FixtureModel m = ArchitectureFixtures.model("llama_0");
		Map<String, ModelTensor> built = FixtureAssertions.byName(LlamaBertChecks.build(m, (c) -> {
			c.put("head_dim", 6);
			c.put("num_key_value_heads", 1);
			return c;
		}));
		assertThat(built.get("model.layers.0.self_attn.q_proj.weight").spec().shape()).containsExactly(24, 32);
		assertThat(built.get("model.layers.0.self_attn.k_proj.weight").spec().shape()).containsExactly(6, 32);
		assertThat(built.get("model.layers.0.self_attn.v_proj.weight").spec().shape()).containsExactly(6, 32);
		assertThat(built.get("model.layers.0.self_attn.o_proj.weight").spec().shape()).containsExactly(32, 24);
	}

	@Test
	void aNegativePadTokenIdCountsFromTheEndAndATiedHeadSharesItsRow() {
		FixtureModel m = ArchitectureFixtures.model("llama_0");
		List<ModelTensor> built = LlamaBertChecks.build(m, (c) -> {
			c.put("pad_token_id", -1);
			c.put("tie_word_embeddings", true);
			return c;
		});
		Map<String, ModelTensor> byName = FixtureAssertions.byName(built);
		assertThat(byName.get("model.embed_tokens.weight").spec().zeroRow()).isEqualTo(100);
		assertThat(byName.get("lm_head.weight").tiedTo()).isEqualTo("model.embed_tokens.weight");
		assertThat(byName.get("lm_head.weight").spec().zeroRow()).isEqualTo(100);
		assertThat(byName.get("model.embed_tokens.weight").libraryDefault().rule()).contains("row 100 zero",
				"lm_head.weight is this tensor");
	}

	/** PreTrainedModel._init_weights: {@code std = config.initializer_range or 0.02}. */
	@Test
	void aZeroInitializerRangeMeansTheDefaultStd() {
		List<ModelTensor> built = LlamaBertChecks.build(ArchitectureFixtures.model("llama_0"), (c) -> {
			c.put("initializer_range", 0.0);
			return c;
		});
		for (ModelTensor t : built) {
			if (t.spec().role() != dev.initlab.init.Role.NORM_WEIGHT) {
				assertThat(ModelSamples.libraryDefault(t).expectedStd()).as(t.name()).isEqualTo(0.02);
			}
		}
	}

	/**
	 * LlamaConfig() as is: Llama-2-7B's shape. transformers 5.18 (built on the meta
	 * device): {@code LlamaForCausalLM(LlamaConfig()).num_parameters()} is 6 738 415 616,
	 * its state_dict 291 keys.
	 */
	@Test
	void theDefaultConfigIsSevenBillionParameters() {
		List<ModelTensor> built = LLAMA.build(ModelConfig.parse(LLAMA.config(), Map.of()));
		assertThat(built).hasSize(291);
		assertThat(built.stream().mapToLong((t) -> t.spec().numel()).sum()).isEqualTo(6_738_415_616L);
	}

	@Test
	void anUnknownFieldIsRefusedByName() {
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> ModelConfig.parse(LLAMA.config(), Map.of("n_embd", 32)))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
				.containsExactly("n_embd"));
	}

	static Stream<Arguments> impossibleConfigs() {
		return Stream.of(Arguments.of("hidden_size", 30, "num_attention_heads"),
				Arguments.of("num_key_value_heads", 3, "num_key_value_heads"),
				Arguments.of("num_key_value_heads", 0, "num_key_value_heads"), Arguments.of("head_dim", 0, "head_dim"),
				Arguments.of("initializer_range", 1.5, "initializer_range"),
				Arguments.of("initializer_range", -0.1, "initializer_range"),
				Arguments.of("pad_token_id", 101, "pad_token_id"), Arguments.of("pad_token_id", -102, "pad_token_id"),
				Arguments.of("vocab_size", 0, "vocab_size"), Arguments.of("intermediate_size", 0, "intermediate_size"),
				Arguments.of("num_hidden_layers", -1, "num_hidden_layers"),
				Arguments.of("num_attention_heads", 0, "num_attention_heads"),
				Arguments.of("head_dim", Integer.MAX_VALUE, "head_dim"),
				Arguments.of("vocab_size", "many", "vocab_size"), Arguments.of("mlp_bias", 1, "mlp_bias"));
	}

	/**
	 * Configs LlamaConfig or the model refuse (validate_architecture, the
	 * initializer_range interval, nn.Embedding's padding_idx assertion), or that cannot
	 * run (kv heads not dividing the heads), each named by its field; starting from
	 * llama_0 (hidden 32, 4 heads, 2 kv heads, vocab 101).
	 */
	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("impossibleConfigs")
	void anImpossibleConfigIsRefusedByName(String field, Object value, String named) {
		Map<String, Object> config = new LinkedHashMap<>(
				FixtureAssertions.config(ArchitectureFixtures.model("llama_0").config()));
		config.put(field, value);
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> LLAMA.build(ModelConfig.parse(LLAMA.config(), config)))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
				.contains(named));
	}

}
