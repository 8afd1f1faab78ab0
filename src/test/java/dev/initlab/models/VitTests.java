package dev.initlab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.initlab.init.Initializer;
import dev.initlab.init.NameGlob;
import dev.initlab.models.ArchitectureFixtures.FixtureModel;
import dev.initlab.models.ArchitectureFixtures.FixtureTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.initlab.models.FixtureAssertions.architecture;
import static dev.initlab.models.FixtureAssertions.assertStateDictIsTheLibrarys;
import static dev.initlab.models.FixtureAssertions.build;
import static dev.initlab.models.FixtureAssertions.byName;
import static dev.initlab.models.FixtureAssertions.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * timm's VisionTransformer and its named variants against the fixture family "vit" (timm
 * 1.0.29, {@code make_architectures.py}): state_dict names, order, shapes and dtypes,
 * parameter counts, every deterministic tensor exactly, every random group by a
 * two-sample KS test against the values timm itself drew, each resolved std against the
 * rule's formula computed here independently, torch.nn's bare defaults against their
 * formulas, and the config's defaults and refusals.
 * <p>
 * Statistical false-failure odds: each KS comparison fails falsely with probability at
 * most {@link ArchitectureFixtures#FALSE_FAILURE_LEVEL} (1e-5); the class runs about 160
 * of them (7 models of vit.json x at most 14 random groups, and 70 single tensors of
 * vit_options.json), so it fails falsely with odds below 1 in 600. Seeds are fixed, so a
 * run is reproducible. Negative controls (fix_init without its per-layer division; jax's
 * Linears at timm's std .02) must be rejected by the same check; moco's qkv with the
 * unsplit xavier fan is rejected by the support of timm's values (KS at 400 values lacks
 * the power for its x1.41).
 */
class VitTests {

	private static final Map<String, Object> SMALL1 = Map.of("img_size", 32, "patch_size", 8, "embed_dim", 48, "depth",
			1, "num_heads", 3);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final long SEED = 20251205L;

	/** Our draws per library value, per tensor (so pooled groups mix alike). */
	private static final int OURS_PER_LIBRARY_VALUE = 10;

	static Stream<FixtureModel> models() {
		return ArchitectureFixtures.family("vit").stream();
	}

	static Stream<FixtureModel> sampledModels() {
		return models().filter(FixtureModel::hasSamples);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void stateDictNamesOrderShapesDtypesAndCount(FixtureModel model) {
		assertThat(model.tieGroups()).isEmpty();
		assertThat(model.parameterCount()).isEqualTo(model.stateDictNumel());
		assertStateDictIsTheLibrarys(model, build(model));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void everyRuleTextIsOneOfTheCatalogsRulesForThatName(FixtureModel model) {
		assertRulesInCatalog(architecture(model), build(model));
	}

	/**
	 * Each tensor's rule text begins with the text of a catalog rule whose glob matches
	 * its name (the rest is the numbers filled in), and fix_init's text appears only
	 * where its catalog rule matches.
	 */
	static void assertRulesInCatalog(Architecture a, List<ModelTensor> built) {
		for (ModelTensor t : built) {
			String text = t.libraryDefault().rule();
			List<Rule> matching = a.rules()
				.stream()
				.filter((r) -> NameGlob.of(r.match()).matches(t.name()))
				.filter((r) -> text.startsWith(r.rule()))
				.toList();
			assertThat(matching).as(t.name() + ": " + text).isNotEmpty();
			if (text.contains(TimmVisionTransformer.FIX_INIT)) {
				assertThat(a.rules()).as(t.name())
					.anyMatch((r) -> NameGlob.of(r.match()).matches(t.name())
							&& r.rule().equals(TimmVisionTransformer.FIX_INIT));
			}
		}
	}

	/**
	 * Tensors timm gives the same values under two seeds are constants here, exactly
	 * those values (float32); tensors it draws are random here.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void deterministicTensorsExactlyAndRandomOnesRandom(FixtureModel model) {
		List<ModelTensor> built = build(model);
		for (int i = 0; i < built.size(); i++) {
			ModelTensor ours = built.get(i);
			FixtureTensor lib = model.tensors().get(i);
			Initializer init = ModelSamples.libraryDefault(ours);
			if (Boolean.TRUE.equals(lib.deterministic())) {
				double[] values = ModelSamples.draw(ours, init, SEED, 4096);
				TreeSet<Double> distinct = new TreeSet<>();
				for (double v : values) {
					distinct.add((double) (float) v);
				}
				assertThat(distinct).as(lib.name())
					.containsExactlyElementsOf(Arrays.stream(lib.values()).boxed().toList());
			}
			else {
				assertThat(init.expectedStd()).as(lib.name() + " is random in timm").isPositive();
			}
		}
	}

	/**
	 * Per group (numeric name parts as {@code *}), our draws pooled (10 per library value
	 * of each tensor) against timm's pooled samples; and each tensor's resolved std
	 * against the rule's formula, computed here from the shapes.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("sampledModels")
	void randomGroupsMatchTimmsOwnDraws(FixtureModel model) {
		Map<String, ModelTensor> ours = byName(build(model));
		int compared = 0;
		for (Map.Entry<String, List<FixtureTensor>> group : model.groups().entrySet()) {
			List<FixtureTensor> random = group.getValue().stream().filter((t) -> t.sample() != null).toList();
			if (random.isEmpty()) {
				continue;
			}
			for (FixtureTensor t : random) {
				Initializer init = ModelSamples.libraryDefault(ours.get(t.name()));
				double expected = expectedStd(model, t);
				assertThat(init.expectedStd()).as(t.name()).isCloseTo(expected, within(expected * 1e-9));
			}
			ArchitectureFixtures.assertSameDistribution(model.id() + " " + group.getKey(),
					pooledDraws(random, ours, ModelSamples::libraryDefault),
					ArchitectureFixtures.pooledSample(random, (t) -> 1.0));
			compared++;
		}
		assertThat(compared).isGreaterThan(3);
	}

	/**
	 * fix_init without its per-layer division (blocks 0 and 1 at std .02 instead of
	 * .02/sqrt(2) and .02/2) must be rejected by the same KS check.
	 */
	@Test
	void negativeControlFixInitWithoutTheDivisionIsRejected() {
		FixtureModel model = ArchitectureFixtures.model("vit_4");
		Map<String, ModelTensor> ours = byName(build(model));
		List<FixtureTensor> scaled = model.tensors()
			.stream()
			.filter((t) -> t.name().endsWith("attn.proj.weight") || t.name().endsWith("mlp.fc2.weight"))
			.toList();
		assertThat(scaled).hasSize(4);
		double[] library = ArchitectureFixtures.pooledSample(scaled, (t) -> 1.0);
		InitRule undivided = InitRule.of("wrong", "truncated_normal", "std", 0.02, "a", -2.0, "b", 2.0);
		assertRejected(pooledDraws(scaled, ours, (t) -> undivided.init().resolve(t.spec())), library);
		// and the right rule passes the same pooled comparison
		ArchitectureFixtures.assertSameDistribution("vit_4 fix_init",
				pooledDraws(scaled, ours, ModelSamples::libraryDefault), library);
	}

	/**
	 * jax mode's Linears at timm's trunc_normal std .02 (the '' rule) instead of
	 * xavier_uniform: rejected by KS; moco's qkv with xavier_uniform's unsplit fan (out +
	 * in) instead of out/3 + in: rejected by timm's own values' support.
	 */
	@Test
	void negativeControlsWrongModeRulesAreRejected() {
		FixtureModel jax = ArchitectureFixtures.model("vit_1");
		Map<String, ModelTensor> jaxOurs = byName(build(jax));
		List<FixtureTensor> qkv = jax.tensors().stream().filter((t) -> t.name().endsWith("attn.qkv.weight")).toList();
		InitRule timm = InitRule.of("wrong", "truncated_normal", "std", 0.02, "a", -2.0, "b", 2.0);
		assertRejected(pooledDraws(qkv, jaxOurs, (t) -> timm.init().resolve(t.spec())),
				ArchitectureFixtures.pooledSample(qkv, (t) -> 1.0));

		// moco's qkv against xavier's unsplit fan (bound x 1/1.41): 400 library values
		// are
		// at the edge of KS's power at 1e-5 (p ~ 1.2e-5 here), so the control is the
		// support, which is exact for a uniform: timm's values reach beyond the unsplit
		// bound and stay within the split one
		FixtureModel moco = ArchitectureFixtures.model("vit_3");
		Map<String, ModelTensor> mocoOurs = byName(build(moco));
		for (FixtureTensor t : moco.tensors().stream().filter((t) -> t.name().endsWith("attn.qkv.weight")).toList()) {
			long out = t.shape().get(0);
			long in = t.shape().get(1);
			double split = Math.sqrt(6.0 / (out / 3 + in));
			double unsplit = Math.sqrt(6.0 / (out + in));
			double max = Arrays.stream(t.sample()).map(Math::abs).max().orElseThrow();
			assertThat(max).as(t.name()).isGreaterThan(unsplit).isLessThanOrEqualTo((float) split);
			assertThat(ModelSamples.libraryDefault(mocoOurs.get(t.name())).expectedStd()).as(t.name())
				.isCloseTo(split / Math.sqrt(3), within(1e-12))
				.isNotCloseTo(unsplit / Math.sqrt(3), within(1e-3));
		}
	}

	private static void assertRejected(double[] ours, double[] library) {
		double p = ArchitectureFixtures.ksPValue(ours, library);
		assertThat(p).as("KS p-value of a wrong rule").isLessThanOrEqualTo(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
	}

	/**
	 * torch.nn's bare defaults: nn.Linear and nn.Conv2d weights U(+-1/sqrt(fan_in))
	 * (fan_in = in * kh * kw for the conv), their biases the same bound, LayerNorm ones
	 * and zeros, the raw nn.Parameters (tokens, pos_embed) torch.empty (zeros here),
	 * LayerScale init_values.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void pytorchDefaultsFollowTorchNn(FixtureModel model) {
		List<ModelTensor> built = build(model);
		for (ModelTensor t : built) {
			Initializer init = ModelSamples.pytorchDefault(t);
			String name = t.name();
			int[] shape = t.spec().shape();
			if (name.equals("cls_token") || name.equals("reg_token") || name.equals("pos_embed")) {
				assertZeroOrOne(t, init, 0.0);
			}
			else if (t.spec().layerType().equals("layer_norm")) {
				assertZeroOrOne(t, init, name.endsWith(".weight") ? 1.0 : 0.0);
			}
			else {
				long fanIn = (shape.length == 4) ? (long) shape[1] * shape[2] * shape[3]
						: (shape.length == 2) ? shape[1] : fanInOfWeight(built, name);
				double bound = 1.0 / Math.sqrt(fanIn);
				assertThat(init.expectedStd()).as(name).isCloseTo(bound / Math.sqrt(3), within(bound * 1e-9));
				double[] values = ModelSamples.draw(t, init, SEED, 2000);
				assertThat(Arrays.stream(values).map(Math::abs).max().orElseThrow()).as(name)
					.isLessThanOrEqualTo(bound);
			}
		}
	}

	@Test
	void layerScaleGammasAreInitValuesInBothPresets() {
		Architecture a = Architectures.byName("timm/VisionTransformer").orElseThrow();
		List<ModelTensor> built = a
			.build(ModelConfig.parse(a.config(), Map.of("img_size", 32, "patch_size", 8, "embed_dim", 48, "depth", 2,
					"num_heads", 3, "init_values", 1e-5, "weight_init", "jax", "fix_init", true)));
		List<ModelTensor> gammas = built.stream().filter((t) -> t.name().endsWith(".gamma")).toList();
		assertThat(gammas.stream().map(ModelTensor::name)).containsExactly("blocks.0.ls1.gamma", "blocks.0.ls2.gamma",
				"blocks.1.ls1.gamma", "blocks.1.ls2.gamma");
		for (ModelTensor g : gammas) {
			for (Initializer init : List.of(ModelSamples.libraryDefault(g), ModelSamples.pytorchDefault(g))) {
				assertThat(Arrays.stream(ModelSamples.draw(g, init, SEED, 100)).distinct().toArray())
					.containsExactly(1e-5);
			}
		}
	}

	/**
	 * The config's defaults (the constructor's, or the variant's) equal timm's resolved
	 * config for every field declared here (img_size and patch_size as timm's pairs).
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void resolvedConfigEqualsTimms(FixtureModel model) {
		Architecture a = architecture(model);
		Map<String, Object> resolved = ModelConfig.parse(a.config(), config(model.config())).resolved();
		Map<String, Object> timm = config(model.resolvedConfig());
		for (ConfigField f : a.config()) {
			assertThat(timm).as("timm's resolved config has " + f.name()).containsKey(f.name());
			Object ours = resolved.get(f.name());
			if (ours instanceof Integer i && (f.name().equals("img_size") || f.name().equals("patch_size"))) {
				ours = List.of(i, i);
			}
			Object theirs = timm.get(f.name());
			if (ours instanceof Double d) {
				assertThat(((Number) theirs).doubleValue()).as(f.name()).isEqualTo(d);
			}
			else {
				assertThat(ours).as(f.name()).isEqualTo(theirs);
			}
		}
	}

	@Test
	void theVariantsDefaultsAreTheirModelArgs() {
		for (String[] v : new String[][] { { "timm/vit_tiny_patch16_224", "192", "3" },
				{ "timm/vit_small_patch16_224", "384", "6" }, { "timm/vit_base_patch16_224", "768", "12" } }) {
			Architecture a = Architectures.byName(v[0]).orElseThrow();
			Map<String, Object> resolved = ModelConfig.parse(a.config(), null).resolved();
			assertThat(resolved).containsEntry("patch_size", 16)
				.containsEntry("img_size", 224)
				.containsEntry("depth", 12)
				.containsEntry("embed_dim", Integer.valueOf(v[1]))
				.containsEntry("num_heads", Integer.valueOf(v[2]));
		}
	}

	static Stream<Arguments> impossibleConfigs() {
		Map<String, Object> base = Map.of("img_size", 32, "patch_size", 8, "embed_dim", 48, "depth", 2, "num_heads", 3);
		return Stream.of(Arguments.of(with(base, "num_heads", 5), "num_heads"),
				Arguments.of(with(base, "embed_dim", 0), "embed_dim"), Arguments.of(with(base, "depth", -1), "depth"),
				Arguments.of(with(base, "num_classes", -1), "num_classes"),
				Arguments.of(with(base, "in_chans", 0), "in_chans"),
				Arguments.of(with(base, "reg_tokens", -2), "reg_tokens"),
				Arguments.of(with(base, "mlp_ratio", 0.0), "mlp_ratio"),
				Arguments.of(with(base, "img_size", "big"), "img_size"),
				Arguments.of(with(base, "img_size", 32.0), "img_size"),
				Arguments.of(with(base, "img_size", List.of(32, 0)), "img_size"),
				Arguments.of(with(base, "patch_size", 64), "patch_size"),
				Arguments.of(with(base, "class_token", false), "global_pool"),
				Arguments.of(with(base, "global_pool", "map"), "global_pool"),
				Arguments.of(with(base, "global_pool", "mean"), "global_pool"),
				Arguments.of(with(with(base, "weight_init", "jax_nlhb"), "num_classes", 0), "weight_init"),
				Arguments.of(with(base, "weight_init", "xavier"), "weight_init"),
				Arguments.of(with(base, "norm_layer", "rmsnorm"), "norm_layer"),
				Arguments.of(with(base, "hidden_size", 48), "hidden_size"));
	}

	@ParameterizedTest(name = "{1}: {0}")
	@MethodSource("impossibleConfigs")
	void impossibleOrUnknownConfigsNameTheField(Map<String, Object> config, String field) {
		for (Architecture a : List.of(Architectures.byName("timm/VisionTransformer").orElseThrow(),
				Architectures.byName("timm/vit_tiny_patch16_224").orElseThrow())) {
			assertThatExceptionOfType(InvalidConfigException.class)
				.isThrownBy(() -> a.build(ModelConfig.parse(a.config(), config)))
				.satisfies((ex) -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
					.contains(field));
		}
	}

	static Stream<JsonNode> optionModels() throws Exception {
		try (var in = VitTests.class.getResourceAsStream("/reference/architectures/vit_options.json")) {
			JsonNode root = JSON.readTree(in);
			assertThat(root.get("versions").get("timm").asString()).isEqualTo("1.0.29");
			List<JsonNode> models = new ArrayList<>();
			root.get("models").forEach(models::add);
			return models.stream();
		}
	}

	/**
	 * Options vit.json does not cover (norm_pre and the conv without bias, qk_norm,
	 * scale_attn_norm, scale_mlp_norm, LayerScale, fc_norm, final_norm, proj_bias, no
	 * pos_embed, no_embed_class, rectangular sizes, num_classes 0, init_values 0.0):
	 * names, order, shapes and parameter count as timm 1.0.29 builds them
	 * ({@code make_vit_options.py}); for the sampled models ('reset', 'skip', 'jax' and
	 * 'moco', each with fix_init) every tensor against timm's own draws: KS per random
	 * tensor, constant where timm's is.
	 */
	@ParameterizedTest
	@MethodSource("optionModels")
	void optionalModulesAsTimmBuildsThem(JsonNode model) {
		Architecture a = Architectures.byName("timm/VisionTransformer").orElseThrow();
		List<ModelTensor> built = a.build(ModelConfig.parse(a.config(), config(model.get("config"))));
		List<String> names = new ArrayList<>();
		List<List<Integer>> shapes = new ArrayList<>();
		model.get("state_dict").forEach((t) -> {
			names.add(t.get("name").asString());
			List<Integer> shape = new ArrayList<>();
			t.get("shape").forEach((d) -> shape.add(d.asInt()));
			shapes.add(shape);
		});
		assertThat(built.stream().map(ModelTensor::name).toList()).isEqualTo(names);
		assertThat(built.stream().map((t) -> Arrays.stream(t.spec().shape()).boxed().toList()).toList())
			.isEqualTo(shapes);
		assertThat(built.stream().mapToLong((t) -> t.spec().numel()).sum())
			.isEqualTo(model.get("parameter_count").asLong());
		for (ModelTensor t : built) {
			ModelSamples.libraryDefault(t);
			ModelSamples.pytorchDefault(t);
		}
		assertRulesInCatalog(a, built);
		JsonNode samples = model.get("samples");
		if (samples != null) {
			Map<String, ModelTensor> ours = byName(built);
			for (ModelTensor t : built) {
				Initializer init = ModelSamples.libraryDefault(t);
				JsonNode sample = samples.get(t.name());
				if (sample == null) {
					// constant in timm (or torch.empty under 'skip'): constant here
					assertThat(init.expectedStd()).as(t.name()).isZero();
					continue;
				}
				double[] library = new double[sample.size()];
				for (int i = 0; i < library.length; i++) {
					library[i] = (float) sample.get(i).asDouble();
				}
				ArchitectureFixtures.assertSameDistribution(model.get("config") + " " + t.name(),
						draws(ours.get(t.name()), init, library.length * OURS_PER_LIBRARY_VALUE), library);
			}
		}
	}

	/**
	 * 'skip' runs no init at all (tokens and pos_embed torch.empty, zeros here; Linears
	 * keep nn.Linear's default; fix_init has no effect); 'reset' inits the tokens and
	 * pos_embed, keeps every module's default, and applies fix_init.
	 */
	@Test
	void skipAndResetModes() {
		Architecture a = Architectures.byName("timm/VisionTransformer").orElseThrow();
		Map<String, Object> base = Map.of("img_size", 32, "patch_size", 8, "embed_dim", 48, "depth", 2, "num_heads", 3,
				"num_classes", 10, "fix_init", true);
		Map<String, ModelTensor> skip = byName(
				a.build(ModelConfig.parse(a.config(), with(base, "weight_init", "skip"))));
		Map<String, ModelTensor> reset = byName(
				a.build(ModelConfig.parse(a.config(), with(base, "weight_init", "reset"))));
		assertThat(ModelSamples.libraryDefault(skip.get("pos_embed")).expectedStd()).isZero();
		assertThat(ModelSamples.libraryDefault(reset.get("pos_embed")).expectedStd()).isEqualTo(
				ModelSamples.libraryDefault(byName(a.build(ModelConfig.parse(a.config(), base))).get("pos_embed"))
					.expectedStd());
		double linear = 1.0 / Math.sqrt(48) / Math.sqrt(3);
		assertThat(ModelSamples.libraryDefault(skip.get("blocks.1.attn.proj.weight")).expectedStd()).isCloseTo(linear,
				within(1e-12));
		assertThat(ModelSamples.libraryDefault(reset.get("blocks.1.attn.proj.weight")).expectedStd())
			.isCloseTo(linear / 2, within(1e-12));
		assertThat(ModelSamples.libraryDefault(reset.get("blocks.0.mlp.fc2.weight")).expectedStd())
			.isCloseTo(1.0 / Math.sqrt(192) / Math.sqrt(3) / Math.sqrt(2), within(1e-12));
		assertRulesInCatalog(a, List.copyOf(skip.values()));
		assertRulesInCatalog(a, List.copyOf(reset.values()));
		for (Map<String, ModelTensor> m : List.of(skip, reset)) {
			for (ModelTensor t : m.values()) {
				if (t.name().startsWith("blocks") || t.name().startsWith("head") || t.name().startsWith("patch")) {
					if (!t.name().contains("norm") && !(m == reset && t.libraryDefault().rule().contains("fix_init"))) {
						assertThat(ModelSamples.libraryDefault(t).resolved()).as(t.name())
							.isEqualTo(ModelSamples.pytorchDefault(t).resolved());
					}
				}
			}
		}
	}

	// ----------------------------------------------------------------- helpers

	/**
	 * The std the fixture's rule gives a random tensor, from its shape and the config,
	 * computed independently of the implementation (as make_architectures.py documents
	 * it).
	 */
	static double expectedStd(FixtureModel model, FixtureTensor t) {
		JsonNode c = model.resolvedConfig();
		String mode = c.get("weight_init").asString();
		String name = t.name();
		List<Long> s = t.shape();
		if (name.equals("cls_token") || name.equals("reg_token") || name.endsWith("mlp.fc1.bias")
				|| name.endsWith("mlp.fc2.bias")) {
			return 1e-6; // mlp biases random only in jax modes
		}
		if (name.equals("pos_embed")) {
			return 0.02;
		}
		if (name.startsWith("patch_embed.proj")) {
			long fanIn = 3L * c.get("patch_size").get(0).asLong() * c.get("patch_size").get(1).asLong();
			if (mode.startsWith("jax")) {
				return Math.sqrt(1.0 / fanIn); // lecun_normal: the truncated std is
												// sqrt(1/fan_in)
			}
			return 1.0 / Math.sqrt(fanIn) / Math.sqrt(3);
		}
		double scale = 1.0;
		if (c.get("fix_init").asBoolean() && (name.endsWith("attn.proj.weight") || name.endsWith("mlp.fc2.weight"))) {
			scale = Math.sqrt(2.0 * (Integer.parseInt(name.split("\\.")[1]) + 1));
		}
		long out = s.get(0);
		long in = s.get(1);
		if (mode.startsWith("jax") || (mode.equals("moco") && !name.endsWith("qkv.weight"))) {
			return Math.sqrt(2.0 / (in + out)) / scale;
		}
		if (mode.equals("moco")) {
			return Math.sqrt(6.0 / (out / 3 + in)) / Math.sqrt(3) / scale;
		}
		return 0.02 / scale; // trunc_normal at +-2 absolute: 100 sigma, the std is .02
	}

	private static long fanInOfWeight(List<ModelTensor> built, String biasName) {
		String weight = biasName.substring(0, biasName.length() - "bias".length()) + "weight";
		int[] shape = built.stream().filter((t) -> t.name().equals(weight)).findFirst().orElseThrow().spec().shape();
		long fanIn = 1;
		for (int i = 1; i < shape.length; i++) {
			fanIn *= shape[i];
		}
		return fanIn;
	}

	private static void assertZeroOrOne(ModelTensor t, Initializer init, double value) {
		assertThat(Arrays.stream(ModelSamples.draw(t, init, SEED, 100)).distinct().toArray()).as(t.name())
			.containsExactly(value);
	}

	private static double[] pooledDraws(List<FixtureTensor> tensors, Map<String, ModelTensor> ours,
			Function<ModelTensor, Initializer> rule) {
		List<double[]> parts = new ArrayList<>();
		for (FixtureTensor t : tensors) {
			ModelTensor m = ours.get(t.name());
			parts.add(draws(m, rule.apply(m), t.sample().length * OURS_PER_LIBRARY_VALUE));
		}
		return parts.stream().flatMapToDouble(Arrays::stream).toArray();
	}

	/** n values of the tensor's init; a tensor smaller than n is drawn again. */
	private static double[] draws(ModelTensor m, Initializer init, int n) {
		double[] drawn = ModelSamples.draw(m, init, SEED, n);
		if (drawn.length < n) {
			double[] more = new double[n];
			for (int k = 0; k * drawn.length < n; k++) {
				double[] again = ModelSamples.draw(m, init, SEED + k + 1, drawn.length);
				System.arraycopy(again, 0, more, k * drawn.length, Math.min(drawn.length, n - k * drawn.length));
			}
			drawn = more;
		}
		return drawn;
	}

	private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
		Map<String, Object> m = new LinkedHashMap<>(base);
		m.put(key, value);
		return m;
	}

}
