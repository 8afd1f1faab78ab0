package dev.initlab.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.layers.Embedding;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.layers.RawTensor;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;
import dev.initlab.tensor.TensorStats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * A large tensor's {@code stats} describe its first {@code stats-max-elements} stored
 * values, exactly those the full generation stores first, and say so; everything else
 * keeps exact stats in the shape it had.
 * <p>
 * Nothing here is statistical: sampled stats are compared with the stats of the first
 * values of a full generation of the same tensors (same seed, same streams), computed
 * here with a plain two-pass loop, to rounding (sums of at most 10^5 terms of magnitude
 * below 3: the bounds, 1e-13 on the mean and 1e-12 relative on the std, are far above the
 * rounding and far below the difference between two samples, which the negative control
 * shows).
 */
class StatsSampleTests {

	private static final JsonMapper JSON = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	/**
	 * In plan order: 3.2 blocks of normals; an embedding whose padding row (elements
	 * 300..599) is zero; an orthogonal matrix (the whole tensor at once); a small tensor.
	 */
	private static final List<LayerSpec> LAYERS = List.of(tensor("big", 7, 30000, InitSpec.of("normal", "std", 0.5)),
			new Embedding("emb", "embedding", 500, 300, 1, null, null, null, null, null),
			tensor("orth", 300, 400, InitSpec.of("orthogonal")), tensor("small", 10, 20, InitSpec.of("uniform")));

	@ParameterizedTest(name = "first {0} values, {1}")
	@CsvSource({ "1000, xoshiro256pp", "65536, xoshiro256pp", "100000, xoshiro256pp", "1000, numpy_pcg64",
			"100000, numpy_pcg64", "100000, mt19937" })
	void sampledStatsAreTheExactStatsOfTheFirstStoredValues(long limit, String rng) {
		Generator generator = Generator.byName(rng).orElseThrow();
		List<GeneratedTensor> statsOnly = generated(Seeding.PER_TENSOR, generator, limit, false);
		List<double[]> full = full(Seeding.PER_TENSOR, generator);
		for (int i : new int[] { 0, 1 }) {
			TensorStats stats = statsOnly.get(i).stats();
			String name = statsOnly.get(i).name();
			assertThat(stats.sampleSize()).as(name).isEqualTo(limit);
			assertThat(stats.sampled()).as(name).isTrue();
			assertDescribes(stats, Arrays.copyOf(full.get(i), (int) limit), name);
		}
		// the padding row lies in the sample: the sample is of the stored values
		assertThat(Arrays.copyOfRange(full.get(1), 300, 600)).containsOnly(0.0);
		// the distribution's moments stay exact
		assertThat(statsOnly.get(0).stats().expectedStd()).isEqualTo(0.5);
		assertThat(statsOnly.get(0).stats().expectedMean()).isEqualTo(0.0);
	}

	/**
	 * Negative control: the comparison above tells the first values from any other sample
	 * of the same tensor, and from the whole tensor.
	 */
	@Test
	void otherValuesOfTheSameTensorDoNotMatchTheSample() {
		int limit = 1000;
		TensorStats stats = generated(Seeding.PER_TENSOR, Generator.DEFAULT, limit, false).get(0).stats();
		double[] big = full(Seeding.PER_TENSOR, Generator.DEFAULT).get(0);
		List<double[]> others = List.of(Arrays.copyOfRange(big, limit, 2 * limit),
				Arrays.copyOfRange(big, TensorSource.BLOCK, TensorSource.BLOCK + limit), big);
		for (double[] other : others) {
			TensorStats exact = exact(other);
			assertThat(Math.abs(stats.mean() - exact.mean())).as("%d values", other.length).isGreaterThan(1e-13);
			assertThat(Math.abs(stats.std() / exact.std() - 1)).as("%d values", other.length).isGreaterThan(1e-12);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "xoshiro256pp", "numpy_pcg64" })
	void smallTensorsAndWholeTensorFillsKeepExactStatsInTheirShape(String rng) {
		Generator generator = Generator.byName(rng).orElseThrow();
		List<GeneratedTensor> statsOnly = generated(Seeding.PER_TENSOR, generator, 1000, false);
		List<double[]> full = full(Seeding.PER_TENSOR, generator);
		// orthogonal draws the whole tensor anyway; the small one has fewer values
		for (int i : new int[] { 2, 3 }) {
			TensorStats stats = statsOnly.get(i).stats();
			assertThat(stats.sampleSize()).as(statsOnly.get(i).name()).isNull();
			assertDescribes(stats, full.get(i), statsOnly.get(i).name());
			assertThat(wire(stats).propertyNames()).as(statsOnly.get(i).name())
				.containsExactly("mean", "std", "min", "max", "expected_mean", "expected_std");
		}
		// the sampled ones say so on the wire, after the exact stats' fields
		assertThat(wire(statsOnly.get(0).stats()).propertyNames()).containsExactly("mean", "std", "min", "max",
				"expected_mean", "expected_std", "sampled", "sample_size");
		assertThat(wire(statsOnly.get(0).stats()).get("sampled").asBoolean()).isTrue();
		assertThat(wire(statsOnly.get(0).stats()).get("sample_size").asLong()).isEqualTo(1000);
	}

	/** A tensor of exactly the threshold's size is exact; one element fewer, sampled. */
	@Test
	void theThresholdIsTheLargestTensorWithExactStats() {
		double[] small = full(Seeding.PER_TENSOR, Generator.DEFAULT).get(3);
		TensorStats at = generated(Seeding.PER_TENSOR, Generator.DEFAULT, 200, false).get(3).stats();
		assertThat(at.sampleSize()).isNull();
		assertDescribes(at, small, "200 of 200");
		TensorStats below = generated(Seeding.PER_TENSOR, Generator.DEFAULT, 199, false).get(3).stats();
		assertThat(below.sampleSize()).isEqualTo(199);
		assertDescribes(below, Arrays.copyOf(small, 199), "199 of 200");
	}

	/**
	 * With sequential seeding a tensor's first values cannot be drawn alone (the next
	 * tensor continues the stream where it ends): every tensor is drawn whole and its
	 * stats are exact.
	 */
	@Test
	void sequentialSeedingKeepsExactStats() {
		List<GeneratedTensor> statsOnly = generated(Seeding.SEQUENTIAL, Generator.DEFAULT, 1000, false);
		List<double[]> full = full(Seeding.SEQUENTIAL, Generator.DEFAULT);
		for (int i = 0; i < full.size(); i++) {
			assertThat(statsOnly.get(i).stats().sampleSize()).as(statsOnly.get(i).name()).isNull();
			assertDescribes(statsOnly.get(i).stats(), full.get(i), statsOnly.get(i).name());
		}
	}

	/** A tensor's stats are the same whether its data comes along or not. */
	@ParameterizedTest
	@ValueSource(longs = { 1000, 100000, 1L << 16 })
	void statsDoNotDependOnData(long limit) {
		List<GeneratedTensor> statsOnly = generated(Seeding.PER_TENSOR, Generator.DEFAULT, limit, false);
		List<GeneratedTensor> withData = generated(Seeding.PER_TENSOR, Generator.DEFAULT, limit, true);
		for (int i = 0; i < statsOnly.size(); i++) {
			assertThat(withData.get(i).data()).isNotNull();
			assertThat(withData.get(i).stats()).as(statsOnly.get(i).name()).isEqualTo(statsOnly.get(i).stats());
		}
	}

	/**
	 * A request whose reported tensors hold at most {@code stats-exact-max-elements}
	 * values gets exact stats everywhere, however large one tensor is; one value more and
	 * its large tensors are sampled (the negative control). LAYERS hold 210,000 + 150,000
	 * + 120,000 + 200 = 480,200 values.
	 */
	@ParameterizedTest(name = "budget {0}: sampled {1}")
	@CsvSource({ "480200, false", "480199, true", "16777216, false", "0, true" })
	void aRequestWithinTheExactStatsBudgetGetsExactStats(long budget, boolean sampled) {
		Planner planner = new Planner(
				new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24, 0, 1L << 33, 1000, budget));
		Plan plan = planner.plan(new Blueprint(5L, Generator.XOSHIRO256PP, DType.FLOAT32, Layout.PYTORCH,
				Seeding.PER_TENSOR, null, LAYERS, true, false), OutputFormat.JSON, null);
		List<GeneratedTensor> tensors = new ArrayList<>(GeneratedTensor.of(plan));
		List<double[]> stored = full(Seeding.PER_TENSOR, Generator.XOSHIRO256PP);
		TensorStats big = tensors.get(0).stats();
		assertThat(wire(big).has("sampled")).as("big").isEqualTo(sampled);
		if (sampled) {
			assertDescribes(big, Arrays.copyOf(stored.get(0), 1000), "big, first 1000");
		}
		else {
			assertDescribes(big, stored.get(0), "big, every value");
		}
	}

	@Test
	void theThresholdMustBePositive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24, 0, 1L << 33, 0))
			.withMessageContaining("initlab.generation.stats-max-elements");
		assertThat(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24).statsMaxElements()).isEqualTo(1L << 16);
	}

	private static void assertDescribes(TensorStats stats, double[] values, String what) {
		TensorStats exact = exact(values);
		assertThat(stats.min()).as(what).isEqualTo(exact.min());
		assertThat(stats.max()).as(what).isEqualTo(exact.max());
		assertThat(stats.mean()).as(what).isCloseTo(exact.mean(), within(1e-13));
		assertThat(stats.std()).as(what).isCloseTo(exact.std(), within(1e-12 * exact.std()));
	}

	/** Mean, population std, min and max by the textbook two-pass loop. */
	private static TensorStats exact(double[] values) {
		double sum = 0;
		double min = Double.POSITIVE_INFINITY;
		double max = Double.NEGATIVE_INFINITY;
		for (double v : values) {
			sum += v;
			min = Math.min(min, v);
			max = Math.max(max, v);
		}
		double mean = sum / values.length;
		double m2 = 0;
		for (double v : values) {
			m2 += (v - mean) * (v - mean);
		}
		return new TensorStats(mean, Math.sqrt(m2 / values.length), min, max, 0, 0);
	}

	private static JsonNode wire(TensorStats stats) {
		return JSON.readTree(JSON.writeValueAsString(stats));
	}

	/** The JSON response's tensors, generated one by one as the writer reads them. */
	private static List<GeneratedTensor> generated(Seeding seeding, Generator generator, long limit, boolean data) {
		List<GeneratedTensor> lazy = GeneratedTensor.of(plan(seeding, generator, limit, data));
		return new ArrayList<>(lazy);
	}

	/** Every stored value of every tensor, from a full generation. */
	private static List<double[]> full(Seeding seeding, Generator generator) {
		Plan plan = plan(seeding, generator, Long.MAX_VALUE, true);
		List<double[]> out = new ArrayList<>();
		try (TensorSource source = new TensorSource(plan)) {
			for (int i = 0; i < plan.tensors().size(); i++) {
				out.add(source.materialize(i));
			}
		}
		return out;
	}

	private static Plan plan(Seeding seeding, Generator generator, long statsMaxElements, boolean data) {
		Planner planner = new Planner(
				new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24, 0, 1L << 33, statsMaxElements));
		return planner.plan(
				new Blueprint(5L, generator, DType.FLOAT32, Layout.PYTORCH, seeding, null, LAYERS, true, data),
				OutputFormat.JSON, null);
	}

	private static RawTensor tensor(String name, int rows, int cols, InitSpec init) {
		return new RawTensor(name, "tensor", List.of(rows, cols), null, null, null, null,
				new Policy(null, init, null, null, null, null, null));
	}

}
