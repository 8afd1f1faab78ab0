package dev.initlab.recipes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.generation.Blueprint;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.PlannedTensor;
import dev.initlab.generation.Planner;
import dev.initlab.generation.Seeding;
import dev.initlab.generation.TensorSource;
import dev.initlab.init.InitOverride;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.layers.Layout;
import dev.initlab.models.ArchitectureFixtures;
import dev.initlab.models.Architectures;
import dev.initlab.models.Model;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code scaled_residual}, {@code deepnorm}, {@code t_fixup} and {@code skipinit} on the
 * real transformers models against {@code reference/recipes/recipes.json}, which
 * {@code make_recipes.py} beside it wrote by applying each recipe as its paper writes it
 * (GPT-2 section 2.3 and Megatron's {@code scaled_init_method_normal}, timm's
 * {@code fix_init_weight}; DeepNet Table 1 and Figure 2; T-Fixup Algorithm 1; SkipInit)
 * in PyTorch to {@code GPT2LMHeadModel} (also with cross-attention),
 * {@code LlamaForCausalLM} (also from torch's bare nn.Linear defaults, initlab's
 * {@code pytorch_default}), {@code BertModel} (Post-LN, a padding row),
 * {@code T5ForConditionalGeneration} (N = 3 encoder and M = 2 decoder blocks) and timm's
 * {@code VisionTransformer} (packed qkv rows; {@code fix_init} by timm's own
 * {@code fix_init_weight}), without reading initlab's code. Each case is planned here
 * with the same architecture, config and recipe, then:
 * <ul>
 * <li>every tensor the recipe sets has the paper's analytic std to
 * {@value #STD_TOLERANCE} relative (both compute it in double from the same formula: only
 * the rounding of {@code pow} differs), and the echoed constants (α, β, scales, depths)
 * the paper's;
 * <li>per tensor group (block index as {@code *}, a packed projection's slice apart), our
 * values over the analytic std against torch's (a sample of at most 1024, 4096 for
 * DeepNorm on T5) by a two-sample Kolmogorov–Smirnov test at {@value #LEVEL}; zero
 * tensors exactly;
 * <li>every tensor the recipe must not touch is, initializer and values, what the plan
 * without the recipe gives.
 * </ul>
 * False-failure odds: a correct implementation fails a group with probability at most
 * {@value #LEVEL} (the two-sample KS test is conservative for continuous samples; torch's
 * values are rounded to 5 significant digits, a CDF shift below 1e-4, far inside the
 * critical distance of about 0.06 at these sizes), so the {@value #GROUPS} groups fail
 * falsely with odds below {@value #GROUPS}e-5 (Bonferroni) — and, every seed being fixed,
 * the outcome never changes between runs. Negative controls ({@link #WRONG_VARIANTS}):
 * the same KS, at the same level, rejects each deliberately wrong variant.
 */
class RecipeReferenceTests {

	static final double STD_TOLERANCE = 1e-12;

	/** Per-group false-failure probability of the KS comparison. */
	static final double LEVEL = 1e-5;

	/** The random groups over all cases (checked below). */
	static final int GROUPS = 115;

	private static final Planner PLANNER = new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<Case> CASES = load();

	/**
	 * A fixture entry: a tensor (or a packed tensor's column slice) the recipe sets, with
	 * the paper's std.
	 */
	record Entry(String name, int[] shape, String dist, double std, String part, String axis, int[] range,
			List<Integer> zeroRows) {

		String group() {
			return groupOf(this.name) + ((this.part != null) ? "[" + this.part + "]" : "");
		}

	}

	/** A group's torch sample, each value over its tensor's analytic std. */
	record Group(String group, int values, double[] sample) {
	}

	record Case(String id, Map<String, Object> recipe, String architecture, Map<String, Object> config, String preset,
			Map<String, Double> constants, List<String> touched, List<Entry> tensors, List<Group> groups) {

		Group group(String name) {
			return this.groups.stream().filter((g) -> g.group().equals(name)).findFirst().orElseThrow();
		}

		@Override
		public String toString() {
			return this.id;
		}

	}

	static Stream<Named<Case>> cases() {
		return CASES.stream().map((c) -> Named.of(c.id(), c));
	}

	@Test
	void fixtureCoversEachRecipeOnAtLeastTwoArchitecturesAndTheStatedGroups() {
		for (String recipe : List.of("scaled_residual", "deepnorm", "t_fixup", "skipinit")) {
			assertThat(CASES.stream()
				.filter((c) -> c.recipe().get("name").equals(recipe))
				.map(Case::architecture)
				.distinct()).as(recipe).hasSizeGreaterThanOrEqualTo(2);
		}
		assertThat(CASES.stream().mapToInt((c) -> c.groups().size()).sum()).isEqualTo(GROUPS);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void stdsAndConstantsAreThePapers(Case c) {
		Plan plan = plan(c, true, List.of());
		Map<String, List<Entry>> byName = new LinkedHashMap<>();
		c.tensors().forEach((e) -> byName.computeIfAbsent(e.name(), (n) -> new ArrayList<>()).add(e));
		byName.forEach((name, entries) -> {
			PlannedTensor t = tensor(plan, name);
			assertThat(t.spec().shape()).as("shape of %s", name).containsExactly(entries.get(0).shape());
			assertThat(t.initializer().expectedMean()).as("mean of %s", name).isZero();
			if (entries.get(0).part() == null) {
				assertThat(entries).hasSize(1);
				assertClose(t.initializer().expectedStd(), entries.get(0).std(), "std of " + name);
				return;
			}
			// a packed projection: each slice is its own part, in the order and columns
			// torch
			// split it; the whole tensor's variance is the slices' mean variance
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> slices = (List<Map<String, Object>>) t.init().get("slices");
			assertThat(slices).as("slices of %s", name).hasSize(entries.size());
			double variance = 0;
			for (int s = 0; s < entries.size(); s++) {
				Entry e = entries.get(s);
				assertThat(slices.get(s)).as("slice %d of %s", s, name)
					.containsEntry("part", e.part())
					.containsEntry(e.axis(), e.range()[0] + ":" + e.range()[1]);
				variance += e.std() * e.std() / entries.size();
			}
			assertClose(t.initializer().expectedStd(), Math.sqrt(variance), "std of packed " + name);
		});
		c.constants().forEach((key, value) -> {
			assertThat(plan.recipe()).as("echo of %s", c.id()).containsKey(key);
			assertClose(((Number) plan.recipe().get(key)).doubleValue(), value, "echoed " + key);
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void valuesFollowThePapersDistribution(Case c) {
		Map<String, double[]> ours = values(plan(c, true, List.of()));
		for (Entry e : c.tensors()) {
			if (e.dist().equals("zeros")) {
				assertThat(ours.get(e.name())).as("%s is zero", e.name()).containsOnly(0.0);
			}
			int width = e.shape()[e.shape().length - 1];
			for (int row : e.zeroRows()) {
				assertThat(Arrays.copyOfRange(ours.get(e.name()), row * width, (row + 1) * width))
					.as("padding row %d of %s", row, e.name())
					.containsOnly(0.0);
			}
		}
		for (Group g : c.groups()) {
			ArchitectureFixtures.assertSameDistribution(c.id() + " " + g.group() + " against torch",
					pooled(c, ours, g.group(), 1.0), g.sample());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void tensorsTheRecipeMustNotTouchAreUnchanged(Case c) {
		Plan with = plan(c, true, List.of());
		Plan without = plan(c, false, List.of());
		Map<String, double[]> withValues = values(with);
		Map<String, double[]> withoutValues = values(without);
		assertThat(with.tensors()).hasSameSizeAs(without.tensors());
		Set<String> touched = new LinkedHashSet<>(c.touched());
		int untouched = 0;
		for (int i = 0; i < with.tensors().size(); i++) {
			PlannedTensor t = with.tensors().get(i);
			String name = t.spec().name();
			assertThat(name).isEqualTo(without.tensors().get(i).spec().name());
			if (touched.contains(name)) {
				assertThat(t.init()).as("init of %s names the recipe step", name).containsKey("recipe");
				continue;
			}
			assertThat(t.init()).as("init of %s", name).isEqualTo(without.tensors().get(i).init());
			assertThat(withValues.get(name)).as("values of %s", name).isEqualTo(withoutValues.get(name));
			untouched++;
		}
		assertThat(untouched).isPositive();
		assertThat(with.tensors()).extracting((t) -> t.spec().name()).containsAll(touched);
	}

	/**
	 * A deliberately wrong variant of a case: {@code factor} multiplies our values of the
	 * groups {@code groups} selects (a scale error of a normal or uniform is exactly a
	 * wrong std or gain drawn from the same stream).
	 */
	record Wrong(String caseId, String what, Predicate<String> groups, double factor) {

		@Override
		public String toString() {
			return this.caseId + ": " + this.what;
		}

	}

	/**
	 * Negative controls. Powers at the fixture's sizes: the critical KS distance at 1e-5
	 * is sqrt(ln(2/1e-5) / (2·n_eff)), 0.080 for 1024 torch values against 12 288 of ours
	 * and 0.045 for 4096; the distance between the right and the wrong distribution is,
	 * for DeepNorm without β (gain 1 instead of β = 0.42–0.45, a normal ×2.2–2.4) or with
	 * β on query and key too, 0.18–0.20; T-Fixup without its 0.67 (a uniform ×1.49) 0.16,
	 * its embeddings without (9M)^(-1/4) 0.19; torchscale's 1.15 for the encoder–decoder
	 * β_e instead of the paper's 0.87 (a normal ×1.32) 0.067, which 1024 torch values do
	 * not reject reliably (p about 1e-3 in simulation) but the 4096 written for DeepNorm
	 * on T5 do (p below 1e-13 here; see make_recipes.py LARGE). Seen: every wrong variant
	 * at p below 1e-13, the right ones at p above 0.01.
	 */
	static final List<Wrong> WRONG_VARIANTS = List.of(
			new Wrong("deepnorm/gpt2", "β omitted (gain 1)",
					(g) -> g.endsWith("[value]") || g.contains("c_proj") || g.contains("c_fc"),
					1 / beta("deepnorm/gpt2", "beta")),
			new Wrong("deepnorm/bert", "β omitted (gain 1)", (g) -> g.contains("value") || g.contains("dense"),
					1 / beta("deepnorm/bert", "beta")),
			new Wrong("deepnorm/llama", "β on query and key too", (g) -> g.contains("q_proj") || g.contains("k_proj"),
					beta("deepnorm/llama", "beta")),
			new Wrong("deepnorm/gpt2", "β on the whole packed c_attn (query and key slices too)",
					(g) -> g.endsWith("[query]") || g.endsWith("[key]"), beta("deepnorm/gpt2", "beta")),
			new Wrong("deepnorm/vit", "β on the whole packed qkv (query and key rows too)",
					(g) -> g.endsWith("[query]") || g.endsWith("[key]"), beta("deepnorm/vit", "beta")),
			new Wrong("deepnorm/gpt2_cross", "β omitted in the cross-attention (gain 1 for its value and output)",
					(g) -> g.contains("crossattention") && (g.endsWith("[value]") || g.contains("c_proj")),
					1 / beta("deepnorm/gpt2_cross", "beta")),
			new Wrong("deepnorm/t5", "torchscale's 1.15 for β_e instead of the paper's 0.87",
					(g) -> g.startsWith("encoder.") && !g.contains(".q.") && !g.contains(".k."), 1.15 / 0.87),
			new Wrong("t_fixup/bert", "without the 0.67 factor", (g) -> g.contains("value") || g.contains("dense"),
					1 / 0.67),
			new Wrong("t_fixup/t5", "encoder without the 0.67 factor",
					(g) -> g.startsWith("encoder.") && !g.contains(".q.") && !g.contains(".k."), 1 / 0.67),
			new Wrong("t_fixup/llama", "embeddings without (9M)^(-1/4)", (g) -> g.contains("embed_tokens"),
					1 / constant("t_fixup/llama", "decoder_scale")));

	static Stream<Wrong> wrongVariants() {
		return WRONG_VARIANTS.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("wrongVariants")
	void theSameTestRejectsAWrongVariant(Wrong wrong) {
		Case c = byId(wrong.caseId());
		Map<String, double[]> ours = values(plan(c, true, List.of()));
		int rejected = 0;
		for (Group g : c.groups()) {
			if (wrong.groups().test(g.group())) {
				double p = ArchitectureFixtures.ksPValue(pooled(c, ours, g.group(), wrong.factor()), g.sample());
				assertThat(p).as("KS p-value of %s, %s", g.group(), wrong.what()).isLessThan(LEVEL);
				rejected++;
			}
		}
		assertThat(rejected).as("groups the variant changes").isPositive();
	}

	/**
	 * scaled_residual on GPT-2's library_default must not compound: a plan that divides
	 * c_proj twice (initializer_range/(2·n_layer) as an override) is rejected, and so is
	 * Llama's library_default without the recipe (its o_proj and down_proj undamped).
	 */
	@Test
	void compoundingOnGpt2AndNoScalingOnLlamaAreRejected() {
		Case gpt2 = byId("scaled_residual/gpt2");
		int layers = ((Number) gpt2.config().get("n_layer")).intValue();
		Plan twice = plan(gpt2, true, List.of(new InitOverride("transformer.h.*.*.c_proj.weight",
				InitSpec.of("normal", "mean", 0.0, "std", 0.02 / (2.0 * layers)))));
		Map<String, double[]> compounded = values(twice);
		for (Group g : gpt2.groups()) {
			assertThat(ArchitectureFixtures.ksPValue(pooled(gpt2, compounded, g.group(), 1.0), g.sample()))
				.as("compounded %s", g.group())
				.isLessThan(LEVEL);
		}
		Case llama = byId("scaled_residual/llama");
		Map<String, double[]> plain = values(plan(llama, false, List.of()));
		for (Group g : llama.groups()) {
			assertThat(ArchitectureFixtures.ksPValue(pooled(llama, plain, g.group(), 1.0), g.sample()))
				.as("unscaled %s", g.group())
				.isLessThan(LEVEL);
		}
	}

	/**
	 * SkipInit: without the recipe the residual outputs are not zero (the check can
	 * fail).
	 */
	@Test
	void skipinitsZeroCheckFailsWithoutTheRecipe() {
		for (Case c : CASES) {
			if (!c.recipe().get("name").equals("skipinit")) {
				continue;
			}
			Map<String, double[]> plain = values(plan(c, false, List.of()));
			// the libraries' own biases are zero already: the weights show the difference
			for (Entry e : c.tensors().stream().filter((e) -> e.name().endsWith(".weight")).toList()) {
				assertThat(Arrays.stream(plain.get(e.name())).anyMatch((v) -> v != 0))
					.as("%s %s without the recipe", c.id(), e.name())
					.isTrue();
			}
		}
	}

	/**
	 * SkipInit (De and Smith 2020, section 4) makes every block x + α·f(x) with α = 0 the
	 * identity at initialization; a zero last layer gives the same forward pass only if
	 * its bias is zero too. Under {@code pytorch_default} nn.Linear's bias is
	 * U(±1/sqrt(fan_in)), so the recipe must zero the residual output projections' biases
	 * as well (BERT's attention and FFN outputs; Llama with {@code attention_bias} and
	 * {@code mlp_bias}).
	 */
	@Test
	void skipinitsBranchesAddNothingEvenWhereThePresetGivesBiases() {
		Map<String, Object> llama = new LinkedHashMap<>(byId("skipinit/llama").config());
		llama.put("attention_bias", true);
		llama.put("mlp_bias", true);
		for (Map.Entry<String, Map<String, Object>> m : Map
			.of("transformers/BertModel", byId("skipinit/bert").config(), "transformers/LlamaForCausalLM", llama)
			.entrySet()) {
			Model model = Model.of(Architectures.byName(m.getKey()).orElseThrow(), m.getValue());
			Plan plan = PLANNER.plan(new Blueprint(20261205L, Generator.DEFAULT, DType.FLOAT32, Layout.PYTORCH,
					Seeding.PER_TENSOR, Policy.preset("pytorch_default"), List.of(), model, List.of(),
					RecipeSpec.of("skipinit"), false, true), OutputFormat.SAFETENSORS, null);
			Map<String, double[]> values = values(plan);
			int biases = 0;
			for (PlannedTensor t : plan.tensors()) {
				String name = t.spec().name();
				if (name.endsWith(".bias") && values.containsKey(name.replaceAll("bias$", "weight"))
						&& tensor(plan, name.replaceAll("bias$", "weight")).init().containsKey("recipe")) {
					assertThat(values.get(name)).as("%s of a zeroed branch output", name).containsOnly(0.0);
					assertThat(t.init()).as("init of %s", name).containsKey("recipe");
					biases++;
				}
			}
			assertThat(biases).as("output biases of %s", m.getKey()).isEqualTo(2 * 3);
		}
	}

	// ---------------------------------------------------------------------------

	/**
	 * Our values of a group, each over its tensor's analytic std, times {@code factor}.
	 */
	private static double[] pooled(Case c, Map<String, double[]> values, String group, double factor) {
		List<double[]> parts = new ArrayList<>();
		for (Entry e : c.tensors()) {
			if (!e.group().equals(group)) {
				continue;
			}
			double[] all = values.get(e.name());
			assertThat(all).as("our %s", e.name()).isNotNull();
			double[] v = (e.axis() == null) ? withoutRows(e, all) : slice(e, all);
			double[] z = new double[v.length];
			for (int i = 0; i < v.length; i++) {
				z[i] = v[i] / e.std() * factor;
			}
			parts.add(z);
		}
		assertThat(parts).as("tensors of %s", group).isNotEmpty();
		double[] pooled = parts.stream().flatMapToDouble(Arrays::stream).toArray();
		assertThat(pooled.length).as("values of %s", group).isEqualTo(c.group(group).values());
		return pooled;
	}

	/**
	 * A packed tensor's slice: columns [start, end) of an [in, out] row-major tensor
	 * (transformers' Conv1D), or rows [start, end) of an [out, in] one (nn.Linear).
	 */
	private static double[] slice(Entry e, double[] all) {
		int rows = e.shape()[0];
		int width = e.shape()[1];
		int start = e.range()[0];
		int end = e.range()[1];
		if (e.axis().equals("rows")) {
			return Arrays.copyOfRange(all, start * width, end * width);
		}
		double[] out = new double[rows * (end - start)];
		for (int r = 0; r < rows; r++) {
			System.arraycopy(all, r * width + start, out, r * (end - start), end - start);
		}
		return out;
	}

	/**
	 * A tensor without its zero (padding) rows, which the fixture leaves out of its
	 * sample.
	 */
	private static double[] withoutRows(Entry e, double[] all) {
		if (e.zeroRows().isEmpty()) {
			return all;
		}
		int width = e.shape()[e.shape().length - 1];
		int rows = all.length / width;
		double[] out = new double[all.length - e.zeroRows().size() * width];
		int k = 0;
		for (int r = 0; r < rows; r++) {
			if (!e.zeroRows().contains(r)) {
				System.arraycopy(all, r * width, out, k, width);
				k += width;
			}
		}
		return out;
	}

	private static void assertClose(double actual, double expected, String what) {
		assertThat(actual).as(what).isCloseTo(expected, within(STD_TOLERANCE * Math.abs(expected)));
	}

	static Plan plan(Case c, boolean withRecipe, List<InitOverride> overrides) {
		Model model = Model.of(Architectures.byName(c.architecture()).orElseThrow(), c.config());
		RecipeSpec recipe = null;
		if (withRecipe) {
			Map<String, Object> params = new LinkedHashMap<>(c.recipe());
			recipe = new RecipeSpec((String) params.remove("name"), params);
		}
		return PLANNER.plan(new Blueprint(20261205L, Generator.DEFAULT, DType.FLOAT32, Layout.PYTORCH,
				Seeding.PER_TENSOR, (c.preset() != null) ? Policy.preset(c.preset()) : null, List.of(), model,
				overrides, recipe, false, true), OutputFormat.SAFETENSORS, null);
	}

	static PlannedTensor tensor(Plan plan, String name) {
		return plan.tensors().stream().filter((t) -> t.spec().name().equals(name)).findFirst().orElseThrow();
	}

	static Map<String, double[]> values(Plan plan) {
		Map<String, double[]> values = new LinkedHashMap<>();
		try (TensorSource source = new TensorSource(plan)) {
			for (int i = 0; i < plan.tensors().size(); i++) {
				values.put(plan.tensors().get(i).spec().name(), source.materialize(i));
			}
		}
		return values;
	}

	static String groupOf(String name) {
		return String.join(".",
				Arrays.stream(name.split("\\.")).map((p) -> p.matches("\\d+") ? "*" : p).toArray(String[]::new));
	}

	private static Case byId(String id) {
		return CASES.stream().filter((c) -> c.id().equals(id)).findFirst().orElseThrow();
	}

	private static double beta(String id, String key) {
		return constant(id, key);
	}

	private static double constant(String id, String key) {
		return byId(id).constants().get(key);
	}

	private static int[] ints(JsonNode array) {
		int[] out = new int[array.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = array.get(i).asInt();
		}
		return out;
	}

	@SuppressWarnings("unchecked")
	private static List<Case> load() {
		JsonNode root;
		try (InputStream in = RecipeReferenceTests.class.getResourceAsStream("/reference/recipes/recipes.json")) {
			root = JSON.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Case> cases = new ArrayList<>();
		for (JsonNode c : root.get("cases")) {
			Map<String, Double> constants = new LinkedHashMap<>();
			c.get("constants").properties().forEach((e) -> constants.put(e.getKey(), e.getValue().asDouble()));
			List<String> touched = new ArrayList<>();
			c.get("touched").forEach((n) -> touched.add(n.asString()));
			List<Entry> tensors = new ArrayList<>();
			for (JsonNode t : c.get("tensors")) {
				String axis = t.has("columns") ? "columns" : t.has("rows") ? "rows" : null;
				int[] range = (axis != null) ? ints(t.get(axis)) : null;
				List<Integer> zeroRows = t.has("zero_rows") ? Arrays.stream(ints(t.get("zero_rows"))).boxed().toList()
						: List.of();
				tensors.add(new Entry(t.get("name").asString(), ints(t.get("shape")), t.get("dist").asString(),
						t.get("std").asDouble(), t.has("part") ? t.get("part").asString() : null, axis, range,
						zeroRows));
			}
			List<Group> groups = new ArrayList<>();
			for (JsonNode g : c.get("groups")) {
				double[] sample = new double[g.get("sample").size()];
				for (int i = 0; i < sample.length; i++) {
					sample[i] = g.get("sample").get(i).asDouble();
				}
				groups.add(new Group(g.get("group").asString(), g.get("values").asInt(), sample));
			}
			cases.add(new Case(c.get("id").asString(), JSON.treeToValue(c.get("recipe"), Map.class),
					c.get("architecture").asString(), JSON.treeToValue(c.get("config"), Map.class),
					c.get("init").isNull() ? null : c.get("init").get("preset").asString(), constants, touched, tensors,
					groups));
		}
		return cases;
	}

}
