package dev.initlab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.initlab.init.Initializer;
import dev.initlab.init.NameGlob;
import dev.initlab.init.Role;
import dev.initlab.models.ArchitectureFixtures.FixtureModel;
import dev.initlab.models.ArchitectureFixtures.FixtureTensor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * The checks {@link LlamaTests} and {@link BertTests} run on every fixture model of their
 * family: a built architecture against what transformers built for the same config.
 * <p>
 * Statistics: every KS comparison is {@link ArchitectureFixtures#assertSameDistribution}
 * at {@link ArchitectureFixtures#FALSE_FAILURE_LEVEL} (1e-5 per comparison, at most); our
 * draws are fixed by {@link #SEED}, the library's samples by the fixture, so a pass or a
 * failure is reproducible, and the odds say how often a correct rule would fail over
 * fresh fixtures.
 */
final class LlamaBertChecks {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The seed of our draws. */
	static final long SEED = 20251205L;

	/** Values we draw per tensor (all of a smaller tensor). */
	static final int DRAWS = 4000;

	private LlamaBertChecks() {
	}

	/** A JSON value as Jackson reads a request (Integer, Double, Boolean, Map, ...). */
	static Object value(JsonNode node) {
		return JSON.treeToValue(node, Object.class);
	}

	/** Builds with a config edited from the fixture model's. */
	static List<ModelTensor> build(FixtureModel m, UnaryOperator<Map<String, Object>> edit) {
		Architecture a = FixtureAssertions.architecture(m);
		Map<String, Object> config = edit.apply(new LinkedHashMap<>(FixtureAssertions.config(m.config())));
		return a.build(ModelConfig.parse(a.config(), config));
	}

	/**
	 * The config's {@code initializer_range} (transformers' 0.02 where it is not
	 * positive).
	 */
	static double initializerRange(FixtureModel m) {
		double range = m.resolvedConfig().get("initializer_range").asDouble();
		return (range > 0) ? range : 0.02;
	}

	/**
	 * Negative control: every random tensor drawn at std x1.5 and pooled (2 000 library
	 * values or more) is rejected; at the right std the same pool is not.
	 */
	static void oneAndAHalfTimesTheStdIsRejected(FixtureModel m) {
		List<ModelTensor> built = FixtureAssertions.build(m);
		double std = initializerRange(m);
		assertThat(pooledPValueWithStd(m, built, (t) -> std, (n) -> true))
			.isGreaterThan(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
		assertThat(pooledPValueWithStd(m, built, (t) -> 1.5 * std, (n) -> true))
			.isLessThan(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
	}

	/**
	 * Deterministic tensors resolve to their constant (mean = the value, std 0, every
	 * drawn value equal); padding rows sit where the library zeroed them, and nowhere
	 * else.
	 */
	static void deterministicValuesAndPaddingRows(FixtureModel m, List<ModelTensor> built) {
		int checked = 0;
		for (ModelTensor t : built) {
			FixtureTensor f = m.owner(t.name());
			ModelTensor owner = (t.tiedTo() != null) ? FixtureAssertions.byName(built).get(t.tiedTo()) : t;
			assertThat(t.spec().zeroRow()).as(t.name() + " padding row")
				.isEqualTo(f.zeroRows().isEmpty() ? -1 : f.zeroRows().get(0));
			if (!Boolean.TRUE.equals(f.deterministic())) {
				continue;
			}
			assertThat(f.values()).as(f.name()).hasSize(1);
			double value = f.values()[0];
			Initializer init = ModelSamples.libraryDefault(owner);
			assertThat(init.expectedMean()).as(t.name()).isEqualTo(value);
			assertThat(init.expectedStd()).as(t.name()).isZero();
			assertThat(ModelSamples.libraryDraw(owner, SEED, 64)).as(t.name()).containsOnly(value);
			checked++;
		}
		assertThat(checked).isPositive();
	}

	/**
	 * Per group of random tensors (numeric name parts as {@code *}): our draws of each
	 * tensor's library_default, pooled, against the library's pooled samples; and each
	 * resolved init is normal(0, {@code std}) exactly. Returns the number of groups
	 * compared.
	 */
	static int randomGroupsMatchTheLibrary(FixtureModel m, List<ModelTensor> built, double std) {
		Map<String, ModelTensor> byName = FixtureAssertions.byName(built);
		int compared = 0;
		for (Map.Entry<String, List<FixtureTensor>> group : m.groups().entrySet()) {
			List<FixtureTensor> random = group.getValue().stream().filter((f) -> f.sample() != null).toList();
			if (random.isEmpty()) {
				continue;
			}
			List<double[]> ours = new ArrayList<>();
			for (FixtureTensor f : random) {
				ModelTensor t = byName.get(f.name());
				Initializer init = ModelSamples.libraryDefault(t);
				assertThat(init.resolved().get("scheme")).as(f.name()).isEqualTo("normal");
				assertThat(init.expectedMean()).as(f.name()).isZero();
				assertThat(init.expectedStd()).as(f.name()).isEqualTo(std);
				ours.add(ModelSamples.libraryDraw(t, SEED, DRAWS));
			}
			ArchitectureFixtures.assertSameDistribution(m.id() + " " + group.getKey(), concat(ours),
					ArchitectureFixtures.pooledSample(random, (f) -> 1.0));
			compared++;
		}
		return compared;
	}

	/**
	 * The KS p-value of every random tensor of the model drawn with a wrong std
	 * ({@code wrongStd(tensor)}), pooled, against the library's pooled samples.
	 */
	static double pooledPValueWithStd(FixtureModel m, List<ModelTensor> built,
			java.util.function.ToDoubleFunction<ModelTensor> wrongStd, java.util.function.Predicate<String> which) {
		Map<String, ModelTensor> byName = FixtureAssertions.byName(built);
		List<FixtureTensor> random = m.tensors()
			.stream()
			.filter((f) -> f.sample() != null && which.test(f.name()))
			.toList();
		List<double[]> ours = new ArrayList<>();
		for (FixtureTensor f : random) {
			ModelTensor t = byName.get(f.name());
			Initializer wrong = InitRule.normal(wrongStd.applyAsDouble(t), "wrong").init().resolve(t.spec());
			ours.add(ModelSamples.draw(t, wrong, SEED, DRAWS));
		}
		return ArchitectureFixtures.ksPValue(concat(ours), ArchitectureFixtures.pooledSample(random, (f) -> 1.0));
	}

	/**
	 * Every tensor's library rule text begins with the text of the last catalog rule
	 * whose glob matches its name (a tied key: its owner's rule, which names the tie).
	 */
	static void ruleTextsComeFromTheCatalog(Architecture a, List<ModelTensor> built, List<String> matched) {
		for (ModelTensor t : built) {
			Rule last = null;
			for (Rule r : a.rules()) {
				if (NameGlob.of(r.match()).matches(t.name())) {
					last = r;
					matched.add(r.match());
				}
			}
			if (last == null) {
				fail("no catalog rule matches " + t.name());
			}
			ModelTensor owner = (t.tiedTo() != null) ? FixtureAssertions.byName(built).get(t.tiedTo()) : t;
			assertThat(owner.libraryDefault().rule()).as(t.name()).startsWith(ruleOf(a, owner.name()).rule());
			if (t.tiedTo() != null) {
				assertThat(last.rule()).as(t.name()).contains(t.tiedTo());
			}
		}
	}

	private static Rule ruleOf(Architecture a, String name) {
		Rule last = null;
		for (Rule r : a.rules()) {
			if (NameGlob.of(r.match()).matches(name)) {
				last = r;
			}
		}
		return last;
	}

	/**
	 * pytorch_default against torch.nn's formulas: {@code nn.Linear} weight and bias
	 * U(-1/sqrt(in), 1/sqrt(in)) (std = bound/sqrt(3)), {@code nn.Embedding} N(0, 1),
	 * norms ones and zeros, {@code zerosParams} zeros; a tied key has its owner's.
	 */
	static void pytorchDefaultsFollowTorchNn(List<ModelTensor> built, List<String> zerosParams) {
		Map<String, ModelTensor> byName = FixtureAssertions.byName(built);
		for (ModelTensor t : built) {
			ModelTensor owner = (t.tiedTo() != null) ? byName.get(t.tiedTo()) : t;
			if (t.tiedTo() != null) {
				assertThat(t.pytorchDefault()).as(t.name()).isEqualTo(owner.pytorchDefault());
				continue;
			}
			Initializer init = ModelSamples.pytorchDefault(t);
			int[] shape = t.spec().shape();
			double[] drawn = ModelSamples.draw(t, init, SEED, 2000);
			if (zerosParams.contains(t.name()) || t.spec().role() == Role.NORM_BIAS) {
				assertThat(drawn).as(t.name()).containsOnly(0.0);
			}
			else if (t.spec().role() == Role.NORM_WEIGHT) {
				assertThat(drawn).as(t.name()).containsOnly(1.0);
			}
			else if (t.spec().role() == Role.EMBEDDING) {
				assertThat(init.resolved().get("scheme")).as(t.name()).isEqualTo("normal");
				assertThat(init.expectedStd()).as(t.name()).isEqualTo(1.0);
			}
			else {
				long in = (t.spec().role() == Role.WEIGHT) ? shape[1] : t.spec().fans().fanIn();
				double bound = 1.0 / Math.sqrt(in);
				assertThat(t.spec().layerType()).as(t.name()).isEqualTo("linear");
				assertThat(init.expectedMean()).as(t.name()).isZero();
				assertThat(init.expectedStd()).as(t.name()).isCloseTo(bound / Math.sqrt(3), within(1e-12));
				assertThat(Arrays.stream(drawn).map(Math::abs).max().orElseThrow()).as(t.name())
					.isLessThanOrEqualTo(bound);
				if (drawn.length >= 500) {
					// U(-b, b) stays below 0.9 b in 500 draws with probability 0.95^500 <
					// 1e-11
					assertThat(Arrays.stream(drawn).max().orElseThrow()).as(t.name()).isGreaterThan(0.9 * bound);
				}
			}
		}
	}

	private static double[] concat(List<double[]> parts) {
		return parts.stream().flatMapToDouble(Arrays::stream).toArray();
	}

}
