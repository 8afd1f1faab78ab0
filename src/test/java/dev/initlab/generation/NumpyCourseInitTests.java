package dev.initlab.generation;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.layers.Linear;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code seeding: sequential} with NumPy's streams reproduces a notebook's init loop: the
 * expected values come from NumPy itself
 * (src/test/resources/reference/make_course_init.py).
 */
class NumpyCourseInitTests {

	private final Planner planner = new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24));

	@Test
	void course1InitializeParametersWithSeed2IsReproducedBitForBit() throws IOException {
		// np.random.seed(2); W1 = randn(4, 2) * 0.01; b1 = 0; W2 = randn(1, 4) * 0.01; b2
		// = 0
		List<double[]> tensors = generate("numpy_legacy", 2, new int[] { 2, 4, 1 }, InitSpec.of("normal", "std", 0.01));
		JsonNode expected = reference().get("course1_seed2");
		assertThat(tensors.get(0)).isEqualTo(flatten(expected.get("W1")));
		assertThat(tensors.get(1)).containsOnly(0.0);
		assertThat(tensors.get(2)).isEqualTo(flatten(expected.get("W2")));
		assertThat(tensors.get(3)).containsOnly(0.0);
	}

	@Test
	void course2RandomTimesTenIsReproducedBitForBit() throws IOException {
		List<double[]> tensors = generate("numpy_legacy", 3, new int[] { 2, 10, 5, 1 },
				InitSpec.of("normal", "std", 10.0));
		JsonNode expected = reference().get("course2_random_seed3");
		for (int l = 1; l <= 3; l++) {
			assertThat(tensors.get(2 * (l - 1))).as("W%d", l).isEqualTo(flatten(expected.get("W" + l)));
		}
	}

	@Test
	void course2HeIsReproducedToTheLastUlp() throws IOException {
		// The course scales by np.sqrt(2. / n); kaiming_normal by sqrt(2) / sqrt(n) as
		// PyTorch:
		// the two scales differ by at most one ulp, so the weights do too.
		List<double[]> tensors = generate("numpy_legacy", 3, new int[] { 2, 10, 5, 1 },
				InitSpec.of("kaiming_normal", "nonlinearity", "relu"));
		JsonNode expected = reference().get("course2_he_seed3");
		for (int l = 1; l <= 3; l++) {
			double[] want = flatten(expected.get("W" + l));
			double[] got = tensors.get(2 * (l - 1));
			for (int i = 0; i < want.length; i++) {
				assertThat(Math.abs(got[i] - want[i])).as("W%d[%d]", l, i).isLessThanOrEqualTo(2 * Math.ulp(want[i]));
			}
		}
	}

	@Test
	void pcg64SequentialMatchesDefaultRng() throws IOException {
		// rng = default_rng(5); W1 = rng.standard_normal((3, 2)) * 0.5; W2 =
		// rng.uniform(-1, 1, (2, 3))
		List<LayerSpec> layers = List.of(
				new Linear("l1", "linear", 2, 3, false, null,
						new Policy(null, InitSpec.of("normal", "std", 0.5), null, null, null, null, null)),
				new Linear("l2", "linear", 3, 2, false, null, new Policy(null,
						InitSpec.of("uniform", "low", -1.0, "high", 1.0), null, null, null, null, null)));
		List<double[]> tensors = generate(new Blueprint(5L, Generator.NUMPY_PCG64, DType.FLOAT64, Layout.PYTORCH,
				Seeding.SEQUENTIAL, null, layers, false, true));
		JsonNode expected = reference().get("pcg64_seed5");
		assertThat(tensors.get(0)).isEqualTo(flatten(expected.get("W1")));
		assertThat(tensors.get(1)).isEqualTo(flatten(expected.get("W2")));
	}

	@Test
	void float32IsNumpysValueRoundedOnce() throws IOException {
		List<double[]> tensors = generate(
				new Blueprint(2L, Generator.NUMPY_LEGACY, DType.FLOAT32, Layout.PYTORCH, Seeding.SEQUENTIAL,
						policy(InitSpec.of("normal", "std", 0.01)), linears(new int[] { 2, 4, 1 }), false, true));
		double[] w1 = flatten(reference().get("course1_seed2").get("W1"));
		for (int i = 0; i < w1.length; i++) {
			assertThat(tensors.get(0)[i]).isEqualTo((double) (float) w1[i]);
		}
	}

	@Test
	void schemesNumpyCannotReproduceAreRefusedWithNumpyStreams() {
		Blueprint request = new Blueprint(2L, Generator.NUMPY_LEGACY, DType.FLOAT32, Layout.PYTORCH, Seeding.PER_TENSOR,
				policy(InitSpec.of("truncated_normal")), linears(new int[] { 2, 4 }), true, true);
		assertThatThrownBy(() -> this.planner.plan(request, OutputFormat.JSON, null))
			.isInstanceOf(InvalidRequestException.class)
			.hasMessageContaining("cannot be reproduced with NumPy");
		// negative control: the same request with the default generator is fine
		Blueprint fast = new Blueprint(2L, Generator.DEFAULT, DType.FLOAT32, Layout.PYTORCH, Seeding.PER_TENSOR,
				policy(InitSpec.of("truncated_normal")), linears(new int[] { 2, 4 }), true, true);
		assertThat(this.planner.plan(fast, OutputFormat.JSON, null).tensors()).hasSize(2);
	}

	@Test
	void legacySeedsOutsideNumpysRangeAreRefused() {
		Blueprint request = new Blueprint(1L << 32, Generator.NUMPY_LEGACY, DType.FLOAT32, Layout.PYTORCH,
				Seeding.SEQUENTIAL, null, linears(new int[] { 2, 4 }), true, true);
		assertThatThrownBy(() -> this.planner.plan(request, OutputFormat.JSON, null))
			.isInstanceOf(InvalidRequestException.class)
			.hasMessageContaining("0..4294967295");
	}

	@Test
	void perTensorNumpyStreamsReportTheSeedThatReproducesThem() {
		Blueprint request = new Blueprint(9L, Generator.NUMPY_LEGACY, DType.FLOAT64, Layout.PYTORCH, Seeding.PER_TENSOR,
				policy(InitSpec.of("normal", "std", 1.0)), linears(new int[] { 3, 2 }), false, true);
		Plan plan = this.planner.plan(request, OutputFormat.JSON, null);
		long streamSeed = ((Number) plan.tensors().get(0).init().get("stream_seed")).longValue();
		double[] values = new TensorSource(plan).materialize(0);
		dev.initlab.rng.NumpyLegacyStream numpy = new dev.initlab.rng.NumpyLegacyStream(streamSeed);
		for (double v : values) {
			assertThat(v).isEqualTo(numpy.normal(0.0, 1.0));
		}
	}

	private List<double[]> generate(String rng, long seed, int[] dims, InitSpec weight) {
		return generate(new Blueprint(seed, Generator.byName(rng).orElseThrow(), DType.FLOAT64, Layout.PYTORCH,
				Seeding.SEQUENTIAL, policy(weight), linears(dims), false, true));
	}

	private List<double[]> generate(Blueprint request) {
		Plan plan = this.planner.plan(request, OutputFormat.JSON, null);
		TensorSource source = new TensorSource(plan);
		List<double[]> out = new ArrayList<>();
		for (int i = 0; i < plan.tensors().size(); i++) {
			out.add(source.materialize(i));
		}
		return out;
	}

	private static Policy policy(InitSpec weight) {
		return new Policy(null, weight, InitSpec.of("zeros"), null, null, null, null);
	}

	private static List<LayerSpec> linears(int[] dims) {
		List<LayerSpec> layers = new ArrayList<>();
		for (int l = 1; l < dims.length; l++) {
			layers.add(new Linear("layer" + l, "linear", dims[l - 1], dims[l], true, "relu", null));
		}
		return layers;
	}

	private static double[] flatten(JsonNode matrix) {
		List<Double> values = new ArrayList<>();
		for (JsonNode row : matrix) {
			for (JsonNode v : row) {
				values.add(v.asDouble());
			}
		}
		return values.stream().mapToDouble(Double::doubleValue).toArray();
	}

	private static JsonNode reference() throws IOException {
		try (InputStream in = NumpyCourseInitTests.class.getResourceAsStream("/reference/course_init.json")) {
			return JsonMapper.builder().build().readTree(in);
		}
	}

}
