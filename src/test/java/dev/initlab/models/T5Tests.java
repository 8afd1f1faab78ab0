package dev.initlab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Initializer;
import dev.initlab.init.NameGlob;
import dev.initlab.init.Role;
import dev.initlab.models.ArchitectureFixtures.FixtureModel;
import dev.initlab.models.ArchitectureFixtures.FixtureTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.initlab.models.FixtureAssertions.byName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code transformers/T5ForConditionalGeneration} against the fixtures the real
 * transformers 5.18.0 made ({@code reference/architectures/t5.json}: three configs, one
 * with {@code initializer_factor} 2.5 and {@code gated-gelu}, one with 0.5 and a passed
 * {@code tie_word_embeddings: false}).
 * <p>
 * Statistics: every KS comparison that must pass fails falsely with probability at most
 * {@link ArchitectureFixtures#FALSE_FAILURE_LEVEL} (1e-5); there are 3 models x at most
 * 22 groups plus 3 pooled comparisons, about 70, so the class fails falsely with odds
 * below 1 in 1 000. Our draws come from fixed seeds and the fixtures are fixed, so a pass
 * stays a pass. The negative controls (a wrong rule must give p below the same level)
 * compare 250 to 3 000 library values with ratios of std 1.5 to 2.8, where KS rejects far
 * below 1e-5.
 */
class T5Tests {

	private static final Architecture T5 = new T5ForConditionalGeneration();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Values of ours per tensor (drawn over several seeds when the tensor is smaller).
	 */
	private static final int OURS_PER_TENSOR = 2000;

	private static final long SEED = 20251205L;

	/** Config fields the library derives from others when they are not given. */
	private static final List<String> DERIVED = List.of("num_decoder_layers", "dense_act_fn", "is_gated_act",
			"scale_decoder_outputs");

	static Stream<FixtureModel> models() {
		return ArchitectureFixtures.family("t5").stream();
	}

	static Stream<FixtureModel> scaledModels() {
		return models().filter((m) -> m.resolvedConfig().get("initializer_factor").asDouble() != 1.0);
	}

	private static List<ModelTensor> build(FixtureModel m) {
		return FixtureAssertions.build(m);
	}

	@SuppressWarnings("unchecked")
	private static ModelConfig parse(Map<?, ?> config) {
		return ModelConfig.parse(T5.config(), (Map<String, Object>) config);
	}

	private static List<ModelTensor> build(Map<String, Object> config) {
		return T5.build(parse(config));
	}

	@Test
	void isRegistered() {
		assertThat(Architectures.byName("transformers/T5ForConditionalGeneration"))
			.containsInstanceOf(T5ForConditionalGeneration.class);
		assertThat(ArchitectureFixtures.family("t5")).hasSizeGreaterThanOrEqualTo(3)
			.allMatch((m) -> m.architecture().equals(T5.name()));
		assertThat(ArchitectureFixtures.family("t5").get(0).versions()).containsEntry("transformers",
				T5.libraryVersion());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void namesOrderShapesDtypesTiesAndCountsAreTheLibrarys(FixtureModel m) {
		FixtureAssertions.assertStateDictIsTheLibrarys(m, build(m));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void tiedKeysCarryTheirFirstKeysDefaults(FixtureModel m) {
		List<ModelTensor> built = build(m);
		Map<String, ModelTensor> named = byName(built);
		for (ModelTensor t : built) {
			if (t.tiedTo() != null) {
				ModelTensor owner = named.get(t.tiedTo());
				assertThat(t.libraryDefault()).as(t.name()).isEqualTo(owner.libraryDefault());
				assertThat(t.pytorchDefault()).as(t.name()).isEqualTo(owner.pytorchDefault());
			}
		}
	}

	/** The layer norms: the library's constant (initializer_factor), every value. */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void deterministicTensorsHaveTheLibrarysValues(FixtureModel m) {
		Map<String, ModelTensor> built = byName(build(m));
		int checked = 0;
		for (FixtureTensor f : m.tensors()) {
			ModelTensor t = built.get(f.name());
			if (f.tiedTo() != null) {
				continue;
			}
			if (f.deterministic()) {
				assertThat(distinct(ModelSamples.libraryDraw(t, SEED, Integer.MAX_VALUE))).as(f.name())
					.containsExactly(f.values());
				checked++;
			}
			else {
				assertThat(ModelSamples.libraryDefault(t).resolved().get("scheme")).as(f.name()).isEqualTo("normal");
			}
		}
		assertThat(checked).isPositive();
	}

	/**
	 * Negative control for the deterministic groups: the T5 layer norms at torch.nn's 1
	 * (the rule most libraries have) do not give the values of a model whose
	 * initializer_factor is not 1.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("scaledModels")
	void layerNormsAtOneAreRejected(FixtureModel m) {
		Map<String, ModelTensor> built = byName(build(m));
		FixtureTensor f = m.tensor("encoder.final_layer_norm.weight");
		ModelTensor t = built.get(f.name());
		double[] ones = ModelSamples.draw(t, InitSpec.of("ones").resolve(t.spec()), SEED, Integer.MAX_VALUE);
		assertThat(distinct(ones)).isNotEqualTo(f.values());
		assertThat(distinct(ModelSamples.libraryDraw(t, SEED, Integer.MAX_VALUE))).isEqualTo(f.values());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void randomGroupsMatchTheLibrarysSamplesAndStds(FixtureModel m) {
		Map<String, ModelTensor> built = byName(build(m));
		int compared = 0;
		for (Map.Entry<String, List<FixtureTensor>> group : m.groups().entrySet()) {
			List<FixtureTensor> random = group.getValue().stream().filter((f) -> f.sample() != null).toList();
			if (random.isEmpty()) {
				continue;
			}
			List<ModelTensor> ours = random.stream().map((f) -> built.get(f.name())).toList();
			for (ModelTensor t : ours) {
				Initializer init = ModelSamples.libraryDefault(t);
				assertThat(init.expectedMean()).as(t.name()).isZero();
				assertThat(init.expectedStd()).as(t.name()).isCloseTo(expectedStd(m, t.name()), within(1e-12));
			}
			double[] library = ArchitectureFixtures.pooledSample(random, (f) -> 1.0);
			ArchitectureFixtures.assertSameDistribution(m.id() + " " + group.getKey(), ours(ours, (t) -> 1.0), library);
			compared++;
		}
		assertThat(compared).isGreaterThanOrEqualTo(9);
	}

	/**
	 * Negative control: the whole model's random tensors, each divided by its rule's std,
	 * pooled; ours at std x1.5 are rejected where ours as they are pass.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void theWholeModelAtOneAndAHalfTimesTheStdIsRejected(FixtureModel m) {
		List<FixtureTensor> random = m.tensors().stream().filter((f) -> f.sample() != null).toList();
		Map<String, ModelTensor> built = byName(build(m));
		List<ModelTensor> ours = random.stream().map((f) -> built.get(f.name())).toList();
		double[] library = ArchitectureFixtures.pooledSample(random, (f) -> expectedStd(m, f.name()));
		double[] standardized = ours(ours, (t) -> expectedStd(m, t.name()));
		double[] scaled = Arrays.stream(standardized).map((v) -> v * 1.5).toArray();
		ArchitectureFixtures.assertSameDistribution(m.id() + " whole model", standardized, library);
		assertThat(ArchitectureFixtures.ksPValue(scaled, library)).as("%d library values", library.length)
			.isLessThan(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
	}

	/**
	 * Negative control: q drawn like k and v (factor*d_model^-0.5, without T5's extra
	 * d_kv^-0.5, the usual mistake) is rejected: its std is sqrt(d_kv) times too large.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void queriesWithoutTheHeadSizeScalingAreRejected(FixtureModel m) {
		double factor = m.resolvedConfig().get("initializer_factor").asDouble();
		double dModel = m.resolvedConfig().get("d_model").asDouble();
		List<FixtureTensor> q = m.tensors().stream().filter((f) -> f.name().endsWith(".q.weight")).toList();
		Map<String, ModelTensor> built = byName(build(m));
		double[] wrong = q.stream().map((f) -> built.get(f.name())).flatMapToDouble((t) -> {
			Initializer init = InitSpec.of("normal", "std", factor / Math.sqrt(dModel)).resolve(t.spec());
			return Arrays.stream(ModelSamples.draw(t, init, SEED, OURS_PER_TENSOR));
		}).toArray();
		assertThat(ArchitectureFixtures.ksPValue(wrong, ArchitectureFixtures.pooledSample(q, (f) -> 1.0)))
			.isLessThan(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
	}

	/**
	 * Negative control: the rules without initializer_factor (as if it were 1) are
	 * rejected on the models where it is 2.5 or 0.5.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("scaledModels")
	void rulesWithoutTheInitializerFactorAreRejected(FixtureModel m) {
		double factor = m.resolvedConfig().get("initializer_factor").asDouble();
		List<FixtureTensor> random = m.tensors().stream().filter((f) -> f.sample() != null).toList();
		Map<String, ModelTensor> built = byName(build(m));
		double[] library = ArchitectureFixtures.pooledSample(random, (f) -> expectedStd(m, f.name()));
		double[] unscaled = ours(random.stream().map((f) -> built.get(f.name())).toList(),
				(t) -> expectedStd(m, t.name()) * factor);
		assertThat(ArchitectureFixtures.ksPValue(unscaled, library))
			.isLessThan(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
	}

	/**
	 * Every tensor's library_default rule is a catalog rule (numbers filled in): the last
	 * catalog rule whose glob matches its name; every catalog rule matches some tensor.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void everyTensorsRuleIsACatalogRule(FixtureModel m) {
		checkRules(build(m));
	}

	@Test
	void everyCatalogRuleIsUsed() {
		List<ModelTensor> all = new ArrayList<>();
		models().forEach((m) -> all.addAll(build(m)));
		all.addAll(build(Map.of("num_layers", 1, "d_model", 8, "d_kv", 2, "d_ff", 8, "num_heads", 2, "vocab_size", 10,
				"feed_forward_proj", "gated-prelu")));
		checkRules(all);
		for (Rule rule : T5.rules()) {
			NameGlob glob = NameGlob.of(rule.match());
			assertThat(all).as(rule.match()).anyMatch((t) -> glob.matches(t.name()));
		}
	}

	private static void checkRules(List<ModelTensor> tensors) {
		for (ModelTensor t : tensors) {
			Rule last = null;
			for (Rule rule : T5.rules()) {
				if (NameGlob.of(rule.match()).matches(t.name())) {
					last = rule;
				}
			}
			assertThat(last).as(t.name()).isNotNull();
			assertThat(t.libraryDefault().rule()).as(t.name()).startsWith(last.rule());
		}
	}

	/**
	 * torch.nn's bare defaults: nn.Embedding normal(0, 1), nn.Linear U(+-1/sqrt(in)),
	 * T5LayerNorm ones (torch.ones in its __init__).
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void pytorchDefaultsAreTheBareModules(FixtureModel m) {
		for (ModelTensor t : build(m)) {
			if (t.tiedTo() != null) {
				// one tensor: the owner's (shared, an nn.Embedding) rule, checked in
				// tieGroupsAndParameterCountAreTheLibrarys
				continue;
			}
			Initializer init = ModelSamples.pytorchDefault(t);
			double[] values = ModelSamples.draw(t, init, SEED, OURS_PER_TENSOR);
			if (t.spec().role() == Role.EMBEDDING) {
				assertThat(init.resolved().get("scheme")).as(t.name()).isEqualTo("normal");
				assertThat(init.expectedMean()).isZero();
				assertThat(init.expectedStd()).as(t.name()).isEqualTo(1.0);
			}
			else if (t.spec().role() == Role.NORM_WEIGHT) {
				assertThat(distinct(values)).as(t.name()).containsExactly(1.0);
			}
			else {
				assertThat(t.spec().role()).as(t.name()).isEqualTo(Role.WEIGHT);
				double bound = 1.0 / Math.sqrt(t.spec().shape()[1]);
				assertThat(init.expectedMean()).as(t.name()).isZero();
				assertThat(init.expectedStd()).as(t.name()).isCloseTo(bound / Math.sqrt(3), within(1e-12));
				assertThat(Arrays.stream(values).map(Math::abs).max().orElseThrow()).as(t.name())
					.isLessThanOrEqualTo(bound)
					.isGreaterThan(0.9 * bound);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void defaultsAreTheLibrarysResolvedConfig(FixtureModel m) {
		JsonNode resolved = m.resolvedConfig();
		ModelConfig config = parse(JSON.convertValue(m.config(), Map.class));
		int compared = 0;
		for (ConfigField field : T5.config()) {
			if (DERIVED.contains(field.name())) {
				assertThat(field.defaultValue()).as(field.name()).isNull();
				continue;
			}
			assertThat(resolved.has(field.name())).as(field.name()).isTrue();
			if (!m.config().has(field.name())) {
				Object library = JSON.convertValue(resolved.get(field.name()), Object.class);
				Object ours = field.defaultValue();
				if (library instanceof Number n && ours instanceof Number o) {
					assertThat(o.doubleValue()).as(field.name()).isEqualTo(n.doubleValue());
				}
				else {
					assertThat(ours).as(field.name()).isEqualTo(library);
				}
				compared++;
			}
		}
		assertThat(compared).isGreaterThan(5);
		// the derived ones, as the library derives them
		String proj = config.string("feed_forward_proj");
		assertThat(T5ForConditionalGeneration.activationOf(proj)).isEqualTo(resolved.get("dense_act_fn").asString());
		assertThat(proj.startsWith("gated-")).isEqualTo(resolved.get("is_gated_act").asBoolean());
		int decoderLayers = resolved.get("num_decoder_layers").asInt();
		assertThat(build(m).stream()
			.map(ModelTensor::name)
			.filter((n) -> n.matches("decoder\\.block\\.\\d+\\..*"))
			.map((n) -> n.split("\\.")[2])
			.distinct()).hasSize(decoderLayers);
		boolean untied = m.config().has("tie_word_embeddings") && !m.config().get("tie_word_embeddings").asBoolean();
		assertThat(resolved.get("scale_decoder_outputs").asBoolean()).isEqualTo(!untied);
		assertThat(resolved.get("tie_word_embeddings").asBoolean()).isTrue();
	}

	@Test
	void anUnknownFieldIsRefusedByName() {
		assertThatExceptionOfType(InvalidConfigException.class).isThrownBy(() -> parse(Map.of("d_modell", 8)))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
				.containsExactly("d_modell"));
	}

	static Stream<Arguments> impossibleConfigs() {
		return Stream.of(Arguments.of("vocab_size", Map.of("vocab_size", 0)),
				Arguments.of("d_model", Map.of("d_model", 0)), Arguments.of("d_kv", Map.of("d_kv", -1)),
				Arguments.of("d_ff", Map.of("d_ff", 0)), Arguments.of("num_layers", Map.of("num_layers", -1)),
				Arguments.of("num_decoder_layers", Map.of("num_decoder_layers", -2)),
				Arguments.of("num_heads", Map.of("num_heads", 0)),
				Arguments.of("relative_attention_num_buckets", Map.of("relative_attention_num_buckets", 0)),
				Arguments.of("initializer_factor", Map.of("initializer_factor", -1.0)),
				Arguments.of("num_heads", Map.of("num_heads", 65536, "d_kv", 65536)),
				Arguments.of("feed_forward_proj", Map.of("feed_forward_proj", "foo")),
				Arguments.of("feed_forward_proj", Map.of("feed_forward_proj", "gated-foo")),
				Arguments.of("feed_forward_proj", Map.of("feed_forward_proj", "relu-gated")),
				Arguments.of("feed_forward_proj", Map.of("feed_forward_proj", "gated-xielu")),
				Arguments.of("dense_act_fn", Map.of("dense_act_fn", "xielu")),
				Arguments.of("dense_act_fn", Map.of("dense_act_fn", "foo")),
				Arguments.of("is_gated_act", Map.of("is_gated_act", "yes")),
				Arguments.of("d_model", Map.of("d_model", "512")));
	}

	/**
	 * {@code dense_act_fn} and {@code is_gated_act} (what save_pretrained writes into
	 * config.json) override what feed_forward_proj implies; null means derived.
	 */
	@Test
	void derivedFieldsOverrideFeedForwardProjAndNullMeansDerived() {
		Map<String, Object> small = Map.of("vocab_size", 10, "d_model", 8, "d_ff", 8, "d_kv", 2, "num_heads", 2,
				"num_layers", 1, "feed_forward_proj", "gated-gelu");
		List<String> names = build(small).stream().map(ModelTensor::name).toList();
		Map<String, Object> nulls = new HashMap<>(small);
		nulls.put("dense_act_fn", null);
		nulls.put("is_gated_act", null);
		assertThat(build(nulls).stream().map(ModelTensor::name)).containsExactlyElementsOf(names);
		assertThat(names).contains("encoder.block.0.layer.1.DenseReluDense.wi_1.weight");
		assertThat(build(with(small, "is_gated_act", false)).stream().map(ModelTensor::name))
			.contains("encoder.block.0.layer.1.DenseReluDense.wi.weight")
			.noneMatch((n) -> n.contains("wi_"));
		assertThat(build(with(small, "dense_act_fn", "prelu")).stream().map(ModelTensor::name))
			.contains("decoder.block.0.layer.2.DenseReluDense.act.weight");
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("impossibleConfigs")
	void anImpossibleConfigIsRefusedNamingTheField(String field, Map<String, Object> config) {
		assertThatExceptionOfType(InvalidConfigException.class).isThrownBy(() -> build(config))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
				.containsExactly(field));
	}

	@Test
	void everyFieldAtFaultIsNamedAtOnce() {
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> build(Map.of("d_model", 0, "num_heads", 0, "initializer_factor", -0.5)))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
				.containsExactly("d_model", "num_heads", "initializer_factor"));
	}

	/**
	 * Configs outside the fixtures, as transformers 5.18.0 builds them (observed with the
	 * real library while writing this class): no blocks at all; {@code is_gated_act}
	 * given overrides {@code feed_forward_proj}; {@code prelu} adds {@code act.weight}
	 * (0.25) after {@code wo}; a passed {@code tie_word_embeddings: false} still ties.
	 */
	@Test
	void configsOutsideTheFixturesBuildAsTheLibraryDoes() {
		Map<String, Object> small = Map.of("vocab_size", 10, "d_model", 8, "d_ff", 8, "d_kv", 2, "num_heads", 2);
		assertThat(build(with(small, "num_layers", 0)).stream().map(ModelTensor::name)).containsExactly("shared.weight",
				"encoder.embed_tokens.weight", "encoder.final_layer_norm.weight", "decoder.embed_tokens.weight",
				"decoder.final_layer_norm.weight", "lm_head.weight");
		List<String> gated = build(with(with(small, "num_layers", 1), "is_gated_act", true)).stream()
			.map(ModelTensor::name)
			.filter((n) -> n.contains("DenseReluDense"))
			.toList();
		assertThat(gated).containsExactly("encoder.block.0.layer.1.DenseReluDense.wi_0.weight",
				"encoder.block.0.layer.1.DenseReluDense.wi_1.weight",
				"encoder.block.0.layer.1.DenseReluDense.wo.weight",
				"decoder.block.0.layer.2.DenseReluDense.wi_0.weight",
				"decoder.block.0.layer.2.DenseReluDense.wi_1.weight",
				"decoder.block.0.layer.2.DenseReluDense.wo.weight");
		Map<String, ModelTensor> prelu = byName(
				build(with(with(small, "num_layers", 1), "feed_forward_proj", "prelu")));
		assertThat(prelu.keySet()).containsSubsequence("encoder.block.0.layer.1.DenseReluDense.wo.weight",
				"encoder.block.0.layer.1.DenseReluDense.act.weight", "encoder.block.0.layer.1.layer_norm.weight");
		ModelTensor act = prelu.get("decoder.block.0.layer.2.DenseReluDense.act.weight");
		assertThat(act.spec().shape()).containsExactly(1);
		assertThat(ModelSamples.libraryDraw(act, SEED, 1)).containsExactly(0.25);
		assertThat(ModelSamples.draw(act, ModelSamples.pytorchDefault(act), SEED, 1)).containsExactly(0.25);
		assertThat(build(with(small, "tie_word_embeddings", false)).stream().filter((t) -> t.tiedTo() != null))
			.extracting(ModelTensor::name)
			.containsExactly("encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight");
	}

	/**
	 * All defaults are google-t5/t5-small: transformers 5.18.0's
	 * {@code T5ForConditionalGeneration(T5Config())} has 134 state_dict keys,
	 * {@code num_parameters()} 60 506 624 and 109 855 232 state_dict elements (ties under
	 * every key), as printed by the real library.
	 */
	@Test
	void theDefaultsAreT5Small() {
		List<ModelTensor> built = build(Map.of());
		assertThat(built).hasSize(134);
		assertThat(built.stream().filter((t) -> t.tiedTo() == null).mapToLong((t) -> t.spec().numel()).sum())
			.isEqualTo(60_506_624L);
		assertThat(built.stream().mapToLong((t) -> t.spec().numel()).sum()).isEqualTo(109_855_232L);
	}

	private static Map<String, Object> with(Map<String, Object> config, String field, Object value) {
		Map<String, Object> copy = new HashMap<>(config);
		copy.put(field, value);
		return copy;
	}

	/**
	 * The std {@code T5PreTrainedModel._init_weights} gives a tensor, from the fixture's
	 * resolved config: the rule table stated once more, independently of the class under
	 * test.
	 */
	private static double expectedStd(FixtureModel m, String name) {
		JsonNode c = m.resolvedConfig();
		double factor = c.get("initializer_factor").asDouble();
		double dModel = c.get("d_model").asDouble();
		double dKv = c.get("d_kv").asDouble();
		double heads = c.get("num_heads").asDouble();
		double dFf = c.get("d_ff").asDouble();
		String[] parts = name.split("\\.");
		String module = parts[parts.length - 2];
		return switch (module) {
			case "shared" -> factor;
			case "q" -> factor / Math.sqrt(dModel * dKv);
			case "k", "v", "relative_attention_bias", "wi", "wi_0", "wi_1" -> factor / Math.sqrt(dModel);
			case "o" -> factor / Math.sqrt(heads * dKv);
			case "wo" -> factor / Math.sqrt(dFf);
			default -> throw new AssertionError("no random rule for " + name);
		};
	}

	/**
	 * Our library_default draws of the tensors, about {@link #OURS_PER_TENSOR} values
	 * each (over consecutive seeds for small tensors), each divided by {@code divisor}.
	 */
	private static double[] ours(List<ModelTensor> tensors, ToDoubleFunction<ModelTensor> divisor) {
		List<double[]> parts = new ArrayList<>();
		for (ModelTensor t : tensors) {
			double d = divisor.applyAsDouble(t);
			long seeds = Math.max(1, (OURS_PER_TENSOR + t.spec().numel() - 1) / t.spec().numel());
			for (long s = 0; s < seeds; s++) {
				parts.add(Arrays.stream(ModelSamples.libraryDraw(t, SEED + s, OURS_PER_TENSOR))
					.map((v) -> v / d)
					.toArray());
			}
		}
		return parts.stream().flatMapToDouble(Arrays::stream).toArray();
	}

	/** The distinct values as float32 (as the library stores them), sorted. */
	private static double[] distinct(double[] values) {
		TreeSet<Double> set = new TreeSet<>();
		Arrays.stream(values).forEach((v) -> set.add((double) (float) v));
		return set.stream().mapToDouble(Double::doubleValue).toArray();
	}

}
