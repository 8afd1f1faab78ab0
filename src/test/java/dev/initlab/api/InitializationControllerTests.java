package dev.initlab.api;

import dev.initlab.admission.Admission;
import dev.initlab.admission.AdmissionProperties;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.initlab.experiments.ExperimentLimits;
import dev.initlab.experiments.SymmetryCheckRunner;
import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code POST /api/v1/initializations} through the MVC slice: the controller, the
 * planner, the problem-details advice and the Jackson settings of
 * {@code application.properties} (snake_case, strict reading), as the wire sees them.
 * <p>
 * Nothing here is statistical: values are checked against closed-form bounds, exact
 * representability and byte equality, all with fixed seeds.
 */
@WebMvcTest(InitializationController.class)
@Import({ Planner.class, GenerationExecutor.class, SymmetryCheckRunner.class, ProblemDetailsAdvice.class,
		Admission.class })
@EnableConfigurationProperties({ GenerationLimits.class, ExperimentLimits.class, AdmissionProperties.class })
class InitializationControllerTests {

	static final String URI = "/api/v1/initializations";

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final JsonMapper DECIMALS = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	@Autowired
	MockMvcTester mvc;

	@Autowired
	Admission admission;

	// ---------------------------------------------------------------- admission control

	@Test
	void whenTheMemoryBudgetIsTakenARequestWaitsThenGets503WithRetryAfter() {
		String body = """
				{"seed": 1, "layers": [{"name": "fc", "type": "linear", "in_features": 3, "out_features": 2}]}""";
		try (Admission.Permit all = this.admission.acquire(this.admission.budget(), "the test")) {
			MvcTestResult busy = post(body);
			assertThat(busy).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
				.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
				.hasHeader("Retry-After", "1");
			assertThat(read(busy).get("detail").asString()).contains("initlab.admission.max-elements-in-flight");
		}
		assertThat(post(body)).hasStatusOk();
	}

	@Test
	void aResponseGivesItsRoomBackOnceWritten() {
		String body = """
				{"seed": 1, "layers": [{"name": "fc", "type": "linear", "in_features": 300, "out_features": 200}]}""";
		for (String format : new String[] { "json", "npz", "safetensors" }) {
			assertThat(this.mvc.post()
				.uri(URI + "?format=" + format)
				.contentType(MediaType.APPLICATION_JSON)
				.content(body)).hasStatusOk();
			assertThat(this.admission.inFlight()).as(format).isZero();
		}
		// and so does a request that fails after it was admitted (npy needs ?tensor= for
		// two)
		assertThat(this.mvc.post().uri(URI + "?format=npy").contentType(MediaType.APPLICATION_JSON).content("""
				{"seed": 1, "layers": [{"name": "fc", "type": "linear", "in_features": 3, "out_features": 2}]}"""))
			.hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(this.admission.inFlight()).isZero();
	}

	// ---------------------------------------------------------------- symmetry_check

	@Test
	void symmetryCheckTrainsFromTheGeneratedTensorsAndReports() {
		String stack = """
				{"seed": 3, "dtype": "float64", "init": {"preset": "%s"},
				 "layers": [{"name": "fc1", "type": "linear", "in_features": 2, "out_features": 4, "activation": "tanh"},
				            {"name": "out", "type": "linear", "in_features": 4, "out_features": 1}],
				 "symmetry_check": {"dataset": {"name": "planar_flower", "n_samples": 100},
				                    "training": {"learning_rate": 1.2, "iterations": 200, "record_every": 100}}}
				""";
		JsonNode zeros = ok(stack.formatted("zeros"));
		JsonNode report = zeros.get("symmetry_report");
		assertThat(report.get("history")).hasSize(3);
		assertThat(report.get("final").get("symmetry").get("distinct_units").asInt()).isEqualTo(1);
		assertThat(report.get("final").has("test_accuracy")).isTrue();
		assertThat(report.get("verdict").asString()).contains("symmetry was never broken");
		// the tensors in the response are the ones it trained from
		assertThat(zeros.get("tensors").get(0).get("data").get(0).get(0).asDouble()).isZero();
		JsonNode random = ok(stack.formatted("small_random"));
		assertThat(random.get("symmetry_report").get("final").get("symmetry").get("distinct_units").asInt())
			.isEqualTo(4);
		// without symmetry_check there is no report
		assertThat(ok(stack.formatted("zeros").replaceAll(",\\s*\"symmetry_check\"[\\s\\S]*}}\\s*}\\s*$", "}"))
			.has("symmetry_report")).isFalse();
		// it is for stacks of linear layers, and a JSON answer
		MvcTestResult conv = post("""
				{"layers": [{"name": "c", "type": "conv1d", "in_channels": 2, "out_channels": 4, "kernel_size": 1},
				            {"name": "out", "type": "linear", "in_features": 4, "out_features": 1}],
				 "symmetry_check": {"dataset": {"name": "xor"}}}
				""");
		assertThat(conv).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(conv.getResponse().getContentAsByteArray()).asString(StandardCharsets.UTF_8)
			.contains("layers[0].type");
		MvcTestResult binary = this.mvc.post()
			.uri(URI + "?format=npz")
			.contentType(MediaType.APPLICATION_JSON)
			.content(stack.formatted("zeros"))
			.exchange();
		assertThat(binary).hasStatus(HttpStatus.BAD_REQUEST);
	}

	// ---------------------------------------------------------------- success

	@Test
	void slicePlansWithTheSnakeCaseJacksonSettingsOfTheApplication() {
		JsonNode body = ok("""
				{"seed": 1, "layers": [{"name": "fc1", "type": "linear", "in_features": 2, "out_features": 1}]}
				""");
		assertThat(body.propertyNames()).contains("parameter_count").doesNotContain("parameterCount");
		assertThat(body.get("tensors").get(0).get("stats").propertyNames()).contains("expected_std", "expected_mean");
		assertThat(body.get("tensors").get(0).get("init").propertyNames()).contains("fan_in", "fan_out");
		// camelCase on the way in is a typo, not an alias
		problem(post("""
				{"layers": [{"name": "fc1", "type": "linear", "inFeatures": 2, "out_features": 1}]}
				"""), HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request");
	}

	@Test
	void linearLayersGiveStateDictNamesShapesFansAndResolvedInit() {
		JsonNode body = ok("""
				{
				  "seed": 42, "rng": "xoshiro256pp", "dtype": "float32", "layout": "pytorch",
				  "init": {
				    "weight": {"scheme": "kaiming_normal", "mode": "fan_in", "nonlinearity": "relu"},
				    "bias": {"scheme": "zeros"}
				  },
				  "layers": [
				    {"name": "fc1", "type": "linear", "in_features": 4, "out_features": 3, "activation": "relu"},
				    {"name": "out", "type": "linear", "in_features": 3, "out_features": 2,
				     "init": {"weight": {"scheme": "xavier_uniform"}}}
				  ],
				  "include": ["stats", "data"]
				}
				""");
		assertThat(body.get("seed").asLong()).isEqualTo(42);
		assertThat(body.get("rng").asString()).isEqualTo("xoshiro256pp");
		assertThat(body.get("dtype").asString()).isEqualTo("float32");
		assertThat(body.get("layout").asString()).isEqualTo("pytorch");
		assertThat(body.get("seeding").asString()).isEqualTo("per_tensor");
		assertThat(body.get("parameter_count").asLong()).isEqualTo(4 * 3 + 3 + 3 * 2 + 2);
		assertThat(names(body)).containsExactly("fc1.weight", "fc1.bias", "out.weight", "out.bias");

		JsonNode fc1 = tensor(body, "fc1.weight");
		assertThat(shape(fc1)).containsExactly(3, 4);
		assertThat(fc1.get("dtype").asString()).isEqualTo("float32");
		JsonNode init = fc1.get("init");
		assertThat(init.get("scheme").asString()).isEqualTo("kaiming_normal");
		assertThat(init.get("mode").asString()).isEqualTo("fan_in");
		assertThat(init.get("nonlinearity").asString()).isEqualTo("relu");
		assertThat(init.get("fan_in").asLong()).isEqualTo(4);
		assertThat(init.get("fan_out").asLong()).isEqualTo(3);
		assertThat(init.get("gain").asDouble()).isEqualTo(Math.sqrt(2));
		assertThat(init.get("std").asDouble()).isCloseTo(Math.sqrt(2) / 2, within(1e-15));
		assertThat(fc1.get("stats").get("expected_std").asDouble()).isCloseTo(Math.sqrt(2) / 2, within(1e-15));
		assertNestedTo(fc1.get("data"), 3, 4);

		JsonNode bias = tensor(body, "fc1.bias");
		assertThat(shape(bias)).containsExactly(3);
		assertThat(bias.get("init").get("scheme").asString()).isEqualTo("zeros");
		assertThat(values(bias.get("data"))).containsOnly(0.0);

		JsonNode out = tensor(body, "out.weight");
		assertThat(shape(out)).containsExactly(2, 3);
		assertThat(out.get("init").get("scheme").asString()).isEqualTo("xavier_uniform");
		assertThat(out.get("init").get("gain").asDouble()).isEqualTo(1.0);
		double bound = Math.sqrt(6.0 / (3 + 2));
		assertThat(out.get("init").get("bound").asDouble()).isCloseTo(bound, within(1e-15));
		assertThat(values(out.get("data"))).allSatisfy((v) -> assertThat(Math.abs(v)).isLessThanOrEqualTo(bound));
		// the request's bias policy still applies to the layer that overrides only weight
		assertThat(tensor(body, "out.bias").get("init").get("scheme").asString()).isEqualTo("zeros");
	}

	static Stream<Arguments> convolutions() {
		return Stream.of(Arguments.of("conv1d", "[5]", new int[] { 5 }),
				Arguments.of("conv2d", "[3, 2]", new int[] { 3, 2 }), Arguments.of("conv2d", "3", new int[] { 3, 3 }),
				Arguments.of("conv3d", "[2, 3, 1]", new int[] { 2, 3, 1 }),
				Arguments.of("conv3d", "2", new int[] { 2, 2, 2 }));
	}

	@ParameterizedTest(name = "{0} kernel_size {1}")
	@MethodSource("convolutions")
	void convolutionWeightIsOutInOverGroupsKernel(String type, String kernelSize, int[] kernel) {
		JsonNode body = ok("""
				{"seed": 3, "layers": [{"name": "c", "type": "%s", "in_channels": 4, "out_channels": 6,
				  "kernel_size": %s, "groups": 2, "stride": 2, "padding": 1}]}
				""".formatted(type, kernelSize));
		int receptive = product(kernel);
		JsonNode weight = tensor(body, "c.weight");
		int[] expected = concat(new int[] { 6, 4 / 2 }, kernel);
		assertThat(shape(weight)).containsExactly(expected);
		assertNestedTo(weight.get("data"), expected);
		assertThat(weight.get("init").get("fan_in").asLong()).isEqualTo(2L * receptive);
		assertThat(weight.get("init").get("fan_out").asLong()).isEqualTo(6L * receptive);
		assertThat(shape(tensor(body, "c.bias"))).containsExactly(6);
		assertThat(body.get("parameter_count").asLong()).isEqualTo(6L * 2 * receptive + 6);
	}

	@ParameterizedTest(name = "{0} kernel_size {1}")
	@MethodSource("convolutions")
	void transposedConvolutionWeightIsInOutOverGroupsKernelWithPytorchsFans(String conv, String kernelSize,
			int[] kernel) {
		String type = conv.replace("conv", "conv_transpose");
		JsonNode body = ok("""
				{"seed": 3, "layers": [{"name": "up", "type": "%s", "in_channels": 4, "out_channels": 6,
				  "kernel_size": %s, "groups": 2, "output_padding": 1}]}
				""".formatted(type, kernelSize));
		int receptive = product(kernel);
		JsonNode weight = tensor(body, "up.weight");
		int[] expected = concat(new int[] { 4, 6 / 2 }, kernel);
		assertThat(shape(weight)).containsExactly(expected);
		assertNestedTo(weight.get("data"), expected);
		// PyTorch's rule on [in, out/groups, *k]: fan_in = (out/groups) * prod(k)
		long fanIn = 3L * receptive;
		assertThat(weight.get("init").get("fan_in").asLong()).isEqualTo(fanIn);
		assertThat(weight.get("init").get("fan_out").asLong()).isEqualTo(4L * receptive);
		// pytorch_default: kaiming_uniform(a = sqrt 5) = U(-1/sqrt(fan_in),
		// 1/sqrt(fan_in))
		assertThat(weight.get("init").get("bound").asDouble()).isCloseTo(1 / Math.sqrt(fanIn), within(1e-15));
		JsonNode bias = tensor(body, "up.bias");
		assertThat(shape(bias)).containsExactly(6);
		assertThat(bias.get("init").get("high").asDouble()).isCloseTo(1 / Math.sqrt(fanIn), within(1e-15));
	}

	@Test
	void tensorLayerIsOneTensorNamedExactlyAsTheLayer() {
		JsonNode body = ok("""
				{"seed": 5, "init": {"weight": {"scheme": "lecun_normal"}}, "layers": [
				  {"name": "pos_embedding", "type": "tensor", "shape": [2, 3, 4]},
				  {"name": "scale", "type": "tensor", "shape": [2, 3, 4], "fan_in": 7, "fan_out": 9},
				  {"name": "gate_bias", "type": "tensor", "shape": [5], "role": "bias", "fan_in": 25, "fan_out": 5}
				]}
				""");
		assertThat(names(body)).containsExactly("pos_embedding", "scale", "gate_bias");
		JsonNode rule = tensor(body, "pos_embedding");
		assertThat(shape(rule)).containsExactly(2, 3, 4);
		assertNestedTo(rule.get("data"), 2, 3, 4);
		assertThat(rule.get("init").get("fan_in").asLong()).isEqualTo(3 * 4);
		assertThat(rule.get("init").get("fan_out").asLong()).isEqualTo(2 * 4);
		JsonNode given = tensor(body, "scale");
		assertThat(given.get("init").get("fan_in").asLong()).isEqualTo(7);
		assertThat(given.get("init").get("fan_out").asLong()).isEqualTo(9);
		assertThat(given.get("init").get("std").asDouble()).isCloseTo(1 / Math.sqrt(7), within(1e-15));
		JsonNode bias = tensor(body, "gate_bias");
		assertThat(bias.get("init").get("preset").asString()).isEqualTo("pytorch_default");
		assertThat(bias.get("init").get("high").asDouble()).isCloseTo(0.2, within(1e-15));
	}

	@Test
	void includeStatsAloneOmitsDataAndIncludeDataAloneOmitsStats() {
		String layers = """
				"layers": [{"name": "fc1", "type": "linear", "in_features": 5, "out_features": 4}]""";
		JsonNode statsOnly = ok("{\"seed\": 1, \"include\": [\"stats\"], " + layers + "}");
		JsonNode dataOnly = ok("{\"seed\": 1, \"include\": [\"data\"], " + layers + "}");
		JsonNode both = ok("{\"seed\": 1, " + layers + "}");
		for (JsonNode t : statsOnly.get("tensors")) {
			assertThat(t.propertyNames()).contains("name", "shape", "dtype", "init", "stats").doesNotContain("data");
		}
		for (JsonNode t : dataOnly.get("tensors")) {
			assertThat(t.propertyNames()).contains("name", "shape", "dtype", "init", "data").doesNotContain("stats");
		}
		for (JsonNode t : both.get("tensors")) {
			assertThat(t.propertyNames()).contains("stats", "data");
		}
		// leaving data out changes what is written, not what is drawn
		assertThat(tensor(statsOnly, "fc1.weight").get("stats")).isEqualTo(tensor(both, "fc1.weight").get("stats"));
		assertThat(tensor(dataOnly, "fc1.weight").get("data")).isEqualTo(tensor(both, "fc1.weight").get("data"));
	}

	@Test
	void aLayersOwnInitOverridesTheRequestsForThatLayerOnly() {
		JsonNode body = ok("""
				{"seed": 9,
				 "init": {"weight": {"scheme": "normal", "std": 0.5}, "bias": {"scheme": "ones"}},
				 "layers": [
				  {"name": "a", "type": "linear", "in_features": 3, "out_features": 3},
				  {"name": "b", "type": "linear", "in_features": 3, "out_features": 3,
				   "init": {"weight": {"scheme": "constant", "value": 0.25}}},
				  {"name": "c", "type": "linear", "in_features": 3, "out_features": 3, "init": {"preset": "zeros"}}
				]}
				""");
		assertThat(tensor(body, "a.weight").get("init").get("scheme").asString()).isEqualTo("normal");
		assertThat(tensor(body, "a.weight").get("init").get("std").asDouble()).isEqualTo(0.5);
		assertThat(tensor(body, "b.weight").get("init").get("scheme").asString()).isEqualTo("constant");
		assertThat(values(tensor(body, "b.weight").get("data"))).containsOnly(0.25);
		assertThat(values(tensor(body, "b.bias").get("data"))).containsOnly(1.0);
		// a layer's preset covers the roles its own policy names, ahead of the request's
		assertThat(tensor(body, "c.weight").get("init").get("preset").asString()).isEqualTo("zeros");
		assertThat(values(tensor(body, "c.weight").get("data"))).containsOnly(0.0);
		assertThat(values(tensor(body, "c.bias").get("data"))).containsOnly(0.0);
	}

	@Test
	void rolesNoPolicyNamesFallBackToPytorchDefaultAndSaySo() {
		JsonNode body = ok("""
				{"seed": 11, "init": {"weight": {"scheme": "xavier_normal"}},
				 "layers": [{"name": "fc", "type": "linear", "in_features": 16, "out_features": 8}]}
				""");
		JsonNode weight = tensor(body, "fc.weight");
		assertThat(weight.get("init").get("scheme").asString()).isEqualTo("xavier_normal");
		assertThat(weight.get("init").has("preset")).isFalse();
		JsonNode bias = tensor(body, "fc.bias");
		JsonNode init = bias.get("init");
		assertThat(init.get("preset").asString()).isEqualTo("pytorch_default");
		assertThat(init.get("scheme").asString()).isEqualTo("uniform");
		double bound = 1 / Math.sqrt(16);
		assertThat(init.get("low").asDouble()).isEqualTo(-bound);
		assertThat(init.get("high").asDouble()).isEqualTo(bound);
		assertThat(values(bias.get("data"))).allSatisfy((v) -> assertThat(Math.abs(v)).isLessThanOrEqualTo(bound));
	}

	@Test
	void aNamedPresetIsReportedOnEveryTensorItInitializes() {
		JsonNode body = ok("""
				{"seed": 11, "init": {"preset": "small_random"},
				 "layers": [{"name": "fc", "type": "linear", "in_features": 16, "out_features": 8}]}
				""");
		JsonNode weight = tensor(body, "fc.weight").get("init");
		assertThat(weight.get("preset").asString()).isEqualTo("small_random");
		assertThat(weight.get("scheme").asString()).isEqualTo("normal");
		assertThat(weight.get("std").asDouble()).isEqualTo(0.01);
		assertThat(tensor(body, "fc.bias").get("init").get("scheme").asString()).isEqualTo("zeros");
	}

	@Test
	void withoutASeedOneIsDrawnAndReturnedAndReproducesTheResponse() {
		String layers = """
				"layers": [{"name": "fc1", "type": "linear", "in_features": 6, "out_features": 5}]}""";
		MvcTestResult first = post("{" + layers);
		assertThat(first).hasStatusOk();
		JsonNode body = read(first);
		assertThat(body.get("seed").isIntegralNumber()).isTrue();
		long seed = body.get("seed").asLong();
		MvcTestResult again = post("{\"seed\": " + seed + ", " + layers);
		assertThat(again).hasStatusOk();
		assertThat(bytes(again)).isEqualTo(bytes(first));
	}

	@Test
	void theSameRequestGivesTheSameBytes() {
		String request = """
				{"seed": 123456789012, "rng": "well19937c", "dtype": "float64",
				 "init": {"weight": {"scheme": "orthogonal", "gain": 2.0}},
				 "layers": [
				  {"name": "fc1", "type": "linear", "in_features": 7, "out_features": 5},
				  {"name": "c", "type": "conv2d", "in_channels": 2, "out_channels": 3, "kernel_size": 3},
				  {"name": "t", "type": "tensor", "shape": [4, 4], "init": {"weight": {"scheme": "truncated_normal"}}}
				 ]}
				""";
		MvcTestResult first = post(request);
		MvcTestResult second = post(request);
		assertThat(first).hasStatusOk();
		assertThat(second).hasStatusOk();
		assertThat(bytes(second)).isEqualTo(bytes(first));
		// and a different seed gives different values (false failure: never, the streams
		// differ)
		MvcTestResult other = post(request.replace("123456789012", "123456789013"));
		assertThat(bytes(other)).isNotEqualTo(bytes(first));
	}

	@Test
	void perTensorSeedingKeepsOtherTensorsWhenALayerIsAdded() {
		String fc1 = """
				{"name": "fc1", "type": "linear", "in_features": 8, "out_features": 4}""";
		String fc2 = """
				{"name": "fc2", "type": "linear", "in_features": 4, "out_features": 2}""";
		String stem = """
				{"name": "stem", "type": "linear", "in_features": 3, "out_features": 8}""";
		JsonNode small = ok("{\"seed\": 5, \"layers\": [" + fc1 + ", " + fc2 + "]}");
		JsonNode larger = ok("{\"seed\": 5, \"layers\": [" + stem + ", " + fc1 + ", " + fc2 + "]}");
		for (String name : List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")) {
			assertThat(tensor(larger, name).get("data")).as(name).isEqualTo(tensor(small, name).get("data"));
		}
		assertThat(larger.get("seeding").asString()).isEqualTo("per_tensor");
	}

	@Test
	void sequentialSeedingIsDeterministicAndDiffersFromPerTensor() {
		String layers = """
				"layers": [
				  {"name": "fc1", "type": "linear", "in_features": 8, "out_features": 4},
				  {"name": "fc2", "type": "linear", "in_features": 4, "out_features": 2}]}""";
		MvcTestResult sequential = post("{\"seed\": 5, \"seeding\": \"sequential\", " + layers);
		MvcTestResult again = post("{\"seed\": 5, \"seeding\": \"sequential\", " + layers);
		assertThat(sequential).hasStatusOk();
		assertThat(bytes(again)).isEqualTo(bytes(sequential));
		JsonNode seq = read(sequential);
		JsonNode perTensor = ok("{\"seed\": 5, \"seeding\": \"per_tensor\", " + layers);
		assertThat(seq.get("seeding").asString()).isEqualTo("sequential");
		assertThat(tensor(seq, "fc1.weight").get("data")).isNotEqualTo(tensor(perTensor, "fc1.weight").get("data"));
		assertThat(tensor(seq, "fc2.weight").get("data")).isNotEqualTo(tensor(perTensor, "fc2.weight").get("data"));
		// one stream in layer order: a layer in front shifts what the others draw
		JsonNode shifted = ok("""
				{"seed": 5, "seeding": "sequential", "layers": [
				  {"name": "stem", "type": "linear", "in_features": 3, "out_features": 8},
				  {"name": "fc1", "type": "linear", "in_features": 8, "out_features": 4},
				  {"name": "fc2", "type": "linear", "in_features": 4, "out_features": 2}]}
				""");
		assertThat(tensor(shifted, "fc1.weight").get("data")).isNotEqualTo(tensor(seq, "fc1.weight").get("data"));
	}

	/*
	 * Values are drawn in float64 and rounded once to the dtype, so the float64 response
	 * of the same request holds the unrounded values of every other dtype: the tests
	 * below compare against it.
	 */

	@Test
	void float32ValuesAreTheFloat64ValuesRoundedOnceAndWrittenShort() {
		List<Double> exact = values(tensor(ok(normals("float64")), "t").get("data"));
		JsonNode t = tensor(readDecimals(post(normals("float32"))), "t");
		assertThat(t.get("dtype").asString()).isEqualTo("float32");
		List<BigDecimal> written = decimals(t.get("data"));
		assertThat(written).hasSize(256);
		List<Double> stored = new ArrayList<>();
		for (int i = 0; i < written.size(); i++) {
			// the decimal reads back (correctly rounded) to the nearest-even float32
			float f = Float.parseFloat(written.get(i).toString());
			assertThat(f).isEqualTo((float) exact.get(i).doubleValue());
			// and is no longer than a float32 needs (9 significant digits always suffice)
			assertThat(written.get(i).precision()).isLessThanOrEqualTo(9);
			stored.add((double) f);
		}
		assertStatsDescribe(t.get("stats"), stored);
	}

	@Test
	void float64ValuesKeepDoublePrecision() {
		JsonNode t = tensor(ok(normals("float64")), "t");
		assertThat(t.get("dtype").asString()).isEqualTo("float64");
		List<Double> v = values(t.get("data"));
		// A N(0,1) double is a float32 with probability about 2^-29; that all 256 are is
		// impossible in practice, so at least one value must need double precision.
		assertThat(v).anySatisfy((x) -> assertThat((double) x.floatValue()).isNotEqualTo(x));
		assertStatsDescribe(t.get("stats"), v);
	}

	@Test
	void float16ValuesAreTheNearestBinary16AndStatsDescribeThem() {
		List<Double> exact = values(tensor(ok(normals("float64")), "t").get("data"));
		JsonNode t = tensor(ok(normals("float16")), "t");
		assertThat(t.get("dtype").asString()).isEqualTo("float16");
		List<Double> v = values(t.get("data"));
		for (int i = 0; i < v.size(); i++) {
			double x = v.get(i);
			assertThat(isFloat16(x)).as("%s is a float16", x).isTrue();
			// nearest: within half a float16 spacing of the unrounded value
			double spacing = Math.scalb(1.0,
					Math.max(Math.getExponent(Math.min(Math.abs(x), Math.abs(exact.get(i)))), -14) - 10);
			assertThat(Math.abs(x - exact.get(i))).isLessThanOrEqualTo(spacing / 2);
		}
		// rounding happened: float16 keeps 11 significant bits, N(0,1) doubles have 53
		assertThat(v).isNotEqualTo(exact);
		assertStatsDescribe(t.get("stats"), v);
		// the stats are not those of the unrounded values
		assertThat(t.get("stats").get("mean").asDouble()).isNotEqualTo(mean(exact));
	}

	@Test
	void float16CheckItselfRejectsWhatBinary16CannotHold() {
		assertThat(isFloat16(1.0 + Math.scalb(1.0, -10))).isTrue();
		assertThat(isFloat16(1.0 + Math.scalb(1.0, -11))).isFalse();
		assertThat(isFloat16(Math.scalb(1.0, -24))).isTrue();
		assertThat(isFloat16(Math.scalb(3.0, -24))).isTrue();
		assertThat(isFloat16(Math.scalb(3.0, -25))).isFalse();
		assertThat(isFloat16(Math.scalb(1.0, -25))).isFalse();
		assertThat(isFloat16(65504.0)).isTrue();
		assertThat(isFloat16(65536.0)).isFalse();
		assertThat(isFloat16(-0.333251953125)).isTrue();
		assertThat(isFloat16(0.1)).isFalse();
	}

	@Test
	void bfloat16ValuesAreTheNearestBfloat16AndStatsDescribeThem() {
		List<Double> exact = values(tensor(ok(normals("float64")), "t").get("data"));
		JsonNode t = tensor(ok(normals("bfloat16")), "t");
		assertThat(t.get("dtype").asString()).isEqualTo("bfloat16");
		List<Double> v = values(t.get("data"));
		for (int i = 0; i < v.size(); i++) {
			double x = v.get(i);
			assertThat(isBfloat16(x)).as("%s is a bfloat16", x).isTrue();
			double spacing = Math.scalb(1.0, Math.getExponent(Math.min(Math.abs(x), Math.abs(exact.get(i)))) - 7);
			assertThat(Math.abs(x - exact.get(i))).isLessThanOrEqualTo(spacing / 2);
		}
		assertStatsDescribe(t.get("stats"), v);
		assertThat(isBfloat16(1.0 + Math.scalb(1.0, -7))).isTrue();
		assertThat(isBfloat16(1.0 + Math.scalb(1.0, -8))).isFalse();
	}

	@Test
	void kerasLayoutNamesKernelsAndPutsTheOutputAxisLast() {
		JsonNode body = ok("""
				{"seed": 2, "layout": "keras", "layers": [
				  {"name": "fc1", "type": "linear", "in_features": 4, "out_features": 3},
				  {"name": "conv", "type": "conv2d", "in_channels": 4, "out_channels": 6, "kernel_size": [3, 2],
				   "groups": 2, "bias": false}]}
				""");
		assertThat(body.get("layout").asString()).isEqualTo("keras");
		assertThat(names(body)).containsExactly("fc1/kernel", "fc1/bias", "conv/kernel");
		JsonNode kernel = tensor(body, "fc1/kernel");
		assertThat(shape(kernel)).containsExactly(4, 3);
		assertNestedTo(kernel.get("data"), 4, 3);
		// fans are PyTorch's rule on the PyTorch-layout weight, in both layouts
		assertThat(kernel.get("init").get("fan_in").asLong()).isEqualTo(4);
		assertThat(kernel.get("init").get("fan_out").asLong()).isEqualTo(3);
		assertThat(shape(tensor(body, "fc1/bias"))).containsExactly(3);
		JsonNode conv = tensor(body, "conv/kernel");
		assertThat(shape(conv)).containsExactly(3, 2, 2, 6);
		assertThat(conv.get("init").get("fan_in").asLong()).isEqualTo(2 * 6);
		assertThat(conv.get("init").get("fan_out").asLong()).isEqualTo(6 * 6);
	}

	// ---------------------------------------------------------------- problems

	/**
	 * Each class of client mistake: status, media type, {@code type}, {@code title},
	 * {@code detail}, {@code instance}, the field path and the allowed values; and never
	 * a Java class name or a stack trace.
	 */
	@Nested
	class Problems {

		static final String FC1 = """
				{"name": "fc1", "type": "linear", "in_features": 4, "out_features": 3}""";

		@Test
		void unknownLayerTypeListsTheTypes() {
			JsonNode p = invalid("""
					{"layers": [{"name": "a", "type": "lineer", "in_features": 4, "out_features": 3}]}
					""", "layers[0].type");
			assertThat(message(p)).contains("'lineer'")
				.contains(
						"linear, conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, embedding, rnn, lstm, gru, layer_norm, batch_norm1d, batch_norm2d, batch_norm3d, multihead_attention, tensor");
		}

		@Test
		void missingLayerTypeListsTheTypes() {
			JsonNode p = invalid("""
					{"layers": [%s, {"name": "a", "in_features": 4, "out_features": 3}]}
					""".formatted(FC1), "layers[1].type");
			assertThat(message(p)).contains("needs a \"type\"").contains("linear, conv1d").contains("tensor");
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "\"in_features\": 0,", "\"in_features\": -3,", "" })
		void beanValidationNamesTheSnakeCaseField(String inFeatures) {
			JsonNode p = invalid("""
					{"layers": [{"name": "a", "type": "linear", %s "out_features": 3}]}
					""".formatted(inFeatures), "layers[0].in_features");
			assertThat(message(p)).isIn("must be greater than 0", "must not be null");
		}

		@Test
		void emptyLayersIsInvalid() {
			invalid("{\"layers\": []}", "layers");
		}

		@Test
		void unknownFieldListsTheKnownOnes() {
			JsonNode p = invalid("""
					{"layers": [{"name": "a", "type": "linear", "in_featurs": 4, "out_features": 3}]}
					""", "layers[0].in_featurs");
			assertThat(message(p)).contains("'in_featurs'")
				.contains("allowed: activation, bias, in_features, init, name, out_features, type");
		}

		@Test
		void unknownTopLevelAndPolicyFieldsAreReportedToo() {
			assertThat(message(invalid("{\"sead\": 1, \"layers\": [" + FC1 + "]}", "sead"))).contains("seed");
			assertThat(message(invalid("{\"init\": {\"wieght\": {\"scheme\": \"zeros\"}}, \"layers\": [" + FC1 + "]}",
					"init.wieght")))
				.contains("weight", "bias", "preset");
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "\"x\"", "3.5", "true", "[4]" })
		void wrongJsonTypeForAnIntegerSaysWhatIsExpected(String value) {
			JsonNode p = invalid("""
					{"layers": [{"name": "a", "type": "linear", "in_features": %s, "out_features": 3}]}
					""".formatted(value), "layers[0].in_features");
			assertThat(message(p)).contains("an integer");
		}

		@Test
		void wrongJsonTypeInsideAListNamesTheElement() {
			JsonNode p = invalid("""
					{"layers": [{"name": "c", "type": "conv2d", "in_channels": 4, "out_channels": 6,
					  "kernel_size": [3, "x"]}]}
					""", "layers[0].kernel_size[1]");
			assertThat(message(p)).contains("'x'").contains("an integer");
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "99999999999", "-99999999999" })
		void anIntegerOutOfRangeNamesTheFieldAndTheRange(String value) {
			JsonNode p = invalid("""
					{"layers": [{"name": "a", "type": "linear", "in_features": %s, "out_features": 3}]}
					""".formatted(value), "layers[0].in_features");
			assertThat(message(p)).contains(value).contains("-2147483648").contains("2147483647");
		}

		@Test
		void aSeedBeyondInt64NamesTheSeed() {
			JsonNode p = invalid("{\"seed\": 99999999999999999999, \"layers\": [" + FC1 + "]}", "seed");
			assertThat(message(p)).contains("99999999999999999999").contains("9223372036854775807");
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "{\"layers\": [", "{\"layers\": [}", "{\"layers\": []]}", "{layers: []}",
				"{\"layers\": [" + FC1 + ",]}", "{\"layers\": [" + FC1 + "]} trailing" })
		void malformedJsonIsReportedWithItsPosition(String body) {
			JsonNode p = problem(post(body), HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON");
			assertThat(p.get("detail").asString()).startsWith("The body is not valid JSON: ")
				.contains("(line 1, column ");
			assertThat(p.has("errors")).isFalse();
		}

		@Test
		void emptyBodyIsUnreadable() {
			JsonNode p = problem(post(""), HttpStatus.BAD_REQUEST, "malformed-json", "Unreadable request body");
			assertThat(p.get("detail").asString()).contains("missing");
		}

		@Test
		void aBodyThatIsNotAnObjectSaysWhatIsExpected() {
			assertThat(message(invalid("[]", "body"))).isEqualTo("expected an object");
			assertThat(message(invalid("{\"layers\": {}}", "layers"))).isEqualTo("expected an array");
			assertThat(message(invalid("{\"init\": {\"weight\": 3}, \"layers\": [" + FC1 + "]}", "init.weight")))
				.isEqualTo("expected an object");
		}

		@Test
		void wrongMediaTypeIs415NamingTheSupportedOne() {
			MvcTestResult result = mvc.post()
				.uri(URI)
				.contentType(MediaType.TEXT_PLAIN)
				.content("{\"layers\": [" + FC1 + "]}")
				.exchange();
			JsonNode p = problem(result, HttpStatus.UNSUPPORTED_MEDIA_TYPE, null, "Unsupported Media Type");
			assertThat(p.get("detail").asString()).contains("'text/plain'").contains("application/json");
			assertThat(result.getResponse().getHeader(HttpHeaders.ACCEPT)).isEqualTo("application/json");
		}

		@Test
		void wrongMethodIs405NamingTheAllowedOne() {
			MvcTestResult result = mvc.get().uri(URI).exchange();
			JsonNode p = problem(result, HttpStatus.METHOD_NOT_ALLOWED, null, "Method Not Allowed");
			assertThat(p.get("detail").asString()).contains("'GET'").contains("POST");
			assertThat(result.getResponse().getHeader(HttpHeaders.ALLOW)).isEqualTo("POST");
		}

		@Test
		void unknownSchemeListsTheSchemes() {
			JsonNode p = invalid("""
					{"layers": [%s, {"name": "b", "type": "linear", "in_features": 3, "out_features": 1,
					  "init": {"weight": {"scheme": "he_normall"}}}]}
					""".formatted(FC1), "layers[1].init.weight.scheme");
			assertThat(message(p)).contains("'he_normall'")
				.contains("zeros, ones, constant, uniform, normal, truncated_normal, xavier_uniform, xavier_normal, "
						+ "kaiming_uniform, kaiming_normal, lecun_uniform, lecun_normal, variance_scaling, "
						+ "orthogonal, identity, dirac, sparse, delta_orthogonal");
		}

		@Test
		void missingSchemeListsTheSchemes() {
			JsonNode p = invalid("{\"init\": {\"weight\": {\"gain\": 2}}, \"layers\": [" + FC1 + "]}",
					"init.weight.scheme");
			assertThat(message(p)).contains("needs a scheme").contains("kaiming_normal");
		}

		@Test
		void unknownSchemeParameterListsTheSchemesParameters() {
			JsonNode p = invalid("{\"init\": {\"weight\": {\"scheme\": \"xavier_uniform\", \"gian\": 2}}, \"layers\": ["
					+ FC1 + "]}", "init.weight.gian");
			assertThat(message(p)).contains("'gian'")
				.contains("'xavier_uniform'")
				.contains("gain, nonlinearity, param");
		}

		@Test
		void outOfRangeSchemeParameterStatesTheRange() {
			JsonNode p = invalid(
					"{\"init\": {\"weight\": {\"scheme\": \"normal\", \"std\": -1}}, \"layers\": [" + FC1 + "]}",
					"init.weight.std");
			assertThat(message(p)).contains("[0, ").contains("-1");
		}

		@Test
		void orthogonalOnABiasNamesTheTensor() {
			JsonNode p = invalid("{\"init\": {\"bias\": {\"scheme\": \"orthogonal\"}}, \"layers\": [" + FC1 + "]}",
					"init.bias.scheme");
			assertThat(message(p)).contains("'orthogonal'").contains("fc1.bias [3]").contains("at least 2 dimensions");
		}

		@Test
		void diracOnALinearWeightNamesTheTensor() {
			JsonNode p = invalid("""
					{"layers": [{"name": "fc1", "type": "linear", "in_features": 4, "out_features": 3,
					  "init": {"weight": {"scheme": "dirac"}}}]}
					""", "layers[0].init.weight.scheme");
			assertThat(message(p)).contains("'dirac'").contains("fc1.weight [3, 4]").contains("3, 4 or 5 dimensions");
		}

		@Test
		void unknownPresetListsThePresets() {
			JsonNode p = invalid("{\"init\": {\"preset\": \"pytorch\"}, \"layers\": [" + FC1 + "]}", "init.preset");
			assertThat(message(p)).contains("'pytorch'")
				.contains("pytorch_default, library_default, keras_default, flax_default, small_random, zeros");
			JsonNode layer = invalid("""
					{"layers": [{"name": "fc1", "type": "linear", "in_features": 4, "out_features": 3,
					  "init": {"preset": "keras"}}]}
					""", "layers[0].init.preset");
			assertThat(message(layer)).contains("keras_default");
		}

		@Test
		void unknownEnumValuesAreEachNamedWithTheirAllowedValues() {
			JsonNode p = problem(post("""
					{"rng": "mt", "dtype": "float8", "layout": "jax", "seeding": "random",
					 "include": ["stats", "datta"], "layers": [%s]}
					""".formatted(FC1)), HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request");
			assertThat(p.get("detail").asString()).isEqualTo("5 fields are invalid; see errors");
			assertThat(fields(p)).containsExactly("rng", "dtype", "layout", "seeding", "include[1]");
			assertThat(message(p, "rng")).contains("'mt'")
				.contains(
						"allowed: mt19937, well19937c, well44497b, well512a, isaac, xoshiro256pp, l64x128mix, splitmix64");
			assertThat(message(p, "dtype")).contains("'float8'").contains("float32, float64, float16, bfloat16");
			assertThat(message(p, "layout")).contains("'jax'").contains("pytorch, keras");
			assertThat(message(p, "seeding")).contains("'random'").contains("per_tensor, sequential");
			assertThat(message(p, "include[1]")).contains("'datta'").contains("stats, data");
		}

		/**
		 * The wire names are converted before planning, and what the conversion finds is
		 * reported with what the planner finds: one response names every field at fault.
		 */
		@Test
		void unknownNamesAndLayerErrorsAreReportedTogether() {
			JsonNode p = problem(post("""
					{"rng": "mt", "include": ["datta"], "layers": [%s, %s]}
					""".formatted(FC1, FC1)), HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request");
			assertThat(fields(p)).containsExactly("rng", "include[0]", "layers[1].name");
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "rng", "dtype", "layout", "seeding" })
		void eachUnknownEnumValueAloneIsTheDetail(String field) {
			JsonNode p = invalid("{\"" + field + "\": \"nope\", \"layers\": [" + FC1 + "]}", field);
			assertThat(p.get("detail").asString()).startsWith(field + ": unknown " + field + " 'nope'; allowed: ");
		}

		@Test
		void duplicateLayerNamesNameTheSecond() {
			JsonNode p = invalid("{\"layers\": [" + FC1 + ", " + FC1 + "]}", "layers[1].name");
			assertThat(message(p)).contains("'fc1'").contains("unique");
		}

		@Test
		void groupsMustDivideTheChannels() {
			JsonNode p = invalid("""
					{"layers": [{"name": "c", "type": "conv2d", "in_channels": 4, "out_channels": 6,
					  "kernel_size": 3, "groups": 4}]}
					""", "layers[0].groups");
			assertThat(message(p)).contains("out_channels (6)").contains("groups (4)");
			JsonNode in = invalid("""
					{"layers": [{"name": "c", "type": "conv_transpose1d", "in_channels": 5, "out_channels": 6,
					  "kernel_size": 3, "groups": 2}]}
					""", "layers[0].groups");
			assertThat(message(in)).contains("in_channels (5)");
		}

		@Test
		void kernelSizeNeedsOneValueOrOnePerDimension() {
			JsonNode p = invalid("""
					{"layers": [{"name": "c", "type": "conv2d", "in_channels": 4, "out_channels": 6,
					  "kernel_size": [3, 3, 3]}]}
					""", "layers[0].kernel_size");
			assertThat(message(p)).contains("1 or 2 values").contains("got 3");
		}

		@Test
		void unknownActivationListsTheNonlinearities() {
			JsonNode p = invalid("""
					{"layers": [{"name": "a", "type": "linear", "in_features": 4, "out_features": 3,
					  "activation": "relu6"}]}
					""", "layers[0].activation");
			assertThat(message(p)).contains("'relu6'").contains("tanh").contains("leaky_relu");
		}

		@Test
		void elementLimitNamesAmountLimitAndProperty() {
			// 32768 x 16384 weights + 16384 biases = 536887296 > 2^28; refused before
			// drawing
			JsonNode p = problem(post("""
					{"include": ["stats"],
					 "layers": [{"name": "big", "type": "linear", "in_features": 32768, "out_features": 16384}]}
					"""), HttpStatus.BAD_REQUEST, "limit-exceeded", "Limit exceeded");
			assertThat(p.get("detail").asString()).contains("536887296")
				.contains("268435456")
				.contains("initlab.generation.max-elements");
			assertThat(p.get("requested").asLong()).isEqualTo(536887296L);
			assertThat(p.get("limit").asLong()).isEqualTo(1L << 28);
			assertThat(p.get("property").asString()).isEqualTo("initlab.generation.max-elements");
		}

		@Test
		void jsonDataLimitSuggestsBinaryFormats() {
			String layers = """
					"layers": [{"name": "wide", "type": "linear", "in_features": 2048, "out_features": 2048}]}""";
			// 2048 x 2048 + 2048 = 4196352 > 2^22 elements of data
			JsonNode p = problem(post("{" + layers), HttpStatus.BAD_REQUEST, "limit-exceeded", "Limit exceeded");
			assertThat(p.get("detail").asString()).contains("4196352")
				.contains("4194304")
				.contains("initlab.generation.max-json-elements")
				.contains("npz")
				.contains("safetensors");
			assertThat(p.get("property").asString()).isEqualTo("initlab.generation.max-json-elements");
			// the same model without data is within limits
			JsonNode stats = ok("{\"seed\": 1, \"include\": [\"stats\"], " + layers);
			assertThat(stats.get("parameter_count").asLong()).isEqualTo(4196352L);
		}

		@Test
		void tensorCountLimitNamesAmountLimitAndProperty() {
			List<String> layers = new ArrayList<>();
			for (int i = 0; i < 4097; i++) {
				layers.add("{\"name\": \"t" + i + "\", \"type\": \"tensor\", \"shape\": [1]}");
			}
			JsonNode p = problem(post("{\"layers\": [" + String.join(", ", layers) + "]}"), HttpStatus.BAD_REQUEST,
					"limit-exceeded", "Limit exceeded");
			assertThat(p.get("detail").asString()).contains("4097 tensors")
				.contains("4096")
				.contains("initlab.generation.max-tensors");
		}

		/** A 400 invalid-request problem whose only error is {@code field}. */
		private JsonNode invalid(String body, String field) {
			JsonNode p = problem(post(body), HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request");
			assertThat(fields(p)).containsExactly(field);
			assertThat(p.get("detail").asString()).isEqualTo(field + ": " + message(p));
			return p;
		}

	}

	// ---------------------------------------------------------------- helpers

	MvcTestResult post(String json) {
		return this.mvc.post().uri(URI).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
	}

	JsonNode ok(String json) {
		MvcTestResult result = post(json);
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		return read(result);
	}

	static byte[] bytes(MvcTestResult result) {
		return result.getResponse().getContentAsByteArray();
	}

	/** Numbers as written: floats as {@link BigDecimal}, not rounded to double. */
	static JsonNode readDecimals(MvcTestResult result) {
		assertThat(result).hasStatusOk();
		return DECIMALS.readTree(new String(bytes(result), StandardCharsets.UTF_8));
	}

	static List<BigDecimal> decimals(JsonNode data) {
		List<BigDecimal> out = new ArrayList<>();
		if (data.isArray()) {
			data.forEach((child) -> out.addAll(decimals(child)));
		}
		else {
			out.add(data.decimalValue());
		}
		return out;
	}

	static JsonNode read(MvcTestResult result) {
		return JSON.readTree(new String(bytes(result), StandardCharsets.UTF_8));
	}

	/**
	 * Asserts an RFC 9457 body: status, media type, {@code type} (an initlab slug, or
	 * {@code about:blank} when {@code slug} is null), title, a detail, the request path
	 * as instance, and nothing a client should not see.
	 */
	static JsonNode problem(MvcTestResult result, HttpStatus status, String slug, String title) {
		assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		String raw = new String(bytes(result), StandardCharsets.UTF_8);
		assertNoInternals(raw);
		JsonNode p = JSON.readTree(raw);
		assertThat(p.get("status").asInt()).isEqualTo(status.value());
		assertThat(p.get("type").asString())
			.isEqualTo((slug != null) ? "https://initlab.dev/problems/" + slug : "about:blank");
		assertThat(p.get("title").asString()).isEqualTo(title);
		assertThat(p.get("detail").asString()).isNotBlank();
		assertThat(p.get("instance").asString()).isEqualTo(result.getRequest().getRequestURI());
		return p;
	}

	/** No stack trace, exception or Java/Jackson type on the wire. */
	static void assertNoInternals(String body) {
		assertThat(body).doesNotContain("Exception", "at dev.", "dev.initlab", "java.", "tools.jackson",
				"com.fasterxml", "StreamReadFeature", "[Source:", "trace");
	}

	static List<String> fields(JsonNode problem) {
		List<String> fields = new ArrayList<>();
		problem.get("errors").forEach((e) -> fields.add(e.get("field").asString()));
		return fields;
	}

	static String message(JsonNode problem) {
		assertThat(problem.get("errors").size()).isEqualTo(1);
		return problem.get("errors").get(0).get("message").asString();
	}

	static String message(JsonNode problem, String field) {
		for (JsonNode e : problem.get("errors")) {
			if (e.get("field").asString().equals(field)) {
				return e.get("message").asString();
			}
		}
		throw new AssertionError("no error for " + field + " in " + problem);
	}

	static List<String> names(JsonNode body) {
		List<String> names = new ArrayList<>();
		body.get("tensors").forEach((t) -> names.add(t.get("name").asString()));
		return names;
	}

	static JsonNode tensor(JsonNode body, String name) {
		for (JsonNode t : body.get("tensors")) {
			if (t.get("name").asString().equals(name)) {
				return t;
			}
		}
		throw new AssertionError("no tensor " + name + " in " + names(body));
	}

	static int[] shape(JsonNode tensor) {
		JsonNode shape = tensor.get("shape");
		int[] out = new int[shape.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = shape.get(i).asInt();
		}
		return out;
	}

	/**
	 * {@code np.array(data).shape == shape}: arrays nested to the shape, numbers at the
	 * leaves.
	 */
	static void assertNestedTo(JsonNode data, int... shape) {
		if (shape.length == 0) {
			assertThat(data.isNumber()).as("leaf %s is a number", data).isTrue();
			return;
		}
		assertThat(data.isArray()).as("%s is an array", data).isTrue();
		assertThat(data.size()).isEqualTo(shape[0]);
		int[] rest = java.util.Arrays.copyOfRange(shape, 1, shape.length);
		data.forEach((child) -> assertNestedTo(child, rest));
	}

	/** The values of nested {@code data}, row-major. */
	static List<Double> values(JsonNode data) {
		List<Double> out = new ArrayList<>();
		collect(data, out);
		return out;
	}

	private static void collect(JsonNode node, List<Double> out) {
		if (node.isArray()) {
			node.forEach((child) -> collect(child, out));
		}
		else {
			out.add(node.doubleValue());
		}
	}

	/** 256 N(0, 1) values in the given dtype, with data and stats. */
	static String normals(String dtype) {
		return """
				{"seed": 17, "dtype": "%s", "init": {"weight": {"scheme": "normal"}},
				 "layers": [{"name": "t", "type": "tensor", "shape": [16, 16]}]}
				""".formatted(dtype);
	}

	/**
	 * Stats are those of the stored (rounded) values: min and max are stored values, mean
	 * and population std (ddof 0) recomputed from them.
	 */
	static void assertStatsDescribe(JsonNode stats, List<Double> stored) {
		double mean = mean(stored);
		double m2 = 0;
		double min = Double.POSITIVE_INFINITY;
		double max = Double.NEGATIVE_INFINITY;
		for (double x : stored) {
			m2 += (x - mean) * (x - mean);
			min = Math.min(min, x);
			max = Math.max(max, x);
		}
		assertThat(stats.get("min").asDouble()).isEqualTo(min);
		assertThat(stats.get("max").asDouble()).isEqualTo(max);
		assertThat(stats.get("mean").asDouble()).isCloseTo(mean, within(1e-15));
		assertThat(stats.get("std").asDouble()).isCloseTo(Math.sqrt(m2 / stored.size()), within(1e-14));
		assertThat(stats.get("expected_mean").asDouble()).isEqualTo(0.0);
		assertThat(stats.get("expected_std").asDouble()).isEqualTo(1.0);
	}

	static double mean(List<Double> values) {
		double sum = 0;
		for (double x : values) {
			sum += x;
		}
		return sum / values.size();
	}

	/**
	 * Whether {@code v} is exactly an IEEE binary16 value, decided from the float32 bit
	 * layout (binary16 is a subset of binary32): a normal binary16 keeps 10 of float32's
	 * 23 fraction bits, a subnormal one is a multiple of 2^-24, and nothing exceeds
	 * 65504. Written independently of the service's rounding.
	 */
	static boolean isFloat16(double v) {
		if (v == 0) {
			return true;
		}
		float f = (float) v;
		if (f != v || Float.isInfinite(f)) {
			return false;
		}
		int bits = Float.floatToRawIntBits(f);
		int exponent = ((bits >>> 23) & 0xff) - 127;
		int fraction = bits & 0x7fffff;
		if (exponent > 15 || exponent < -24) {
			return false;
		}
		int dropped = (exponent >= -14) ? 13 : -1 - exponent;
		return (fraction & ((1 << dropped) - 1)) == 0;
	}

	/** Whether {@code v} is exactly a bfloat16: a float32 whose low 16 bits are zero. */
	static boolean isBfloat16(double v) {
		float f = (float) v;
		return f == v && (Float.floatToRawIntBits(f) & 0xffff) == 0;
	}

	static int product(int[] values) {
		int p = 1;
		for (int v : values) {
			p *= v;
		}
		return p;
	}

	static int[] concat(int[] head, int[] tail) {
		int[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
		System.arraycopy(tail, 0, out, head.length, tail.length);
		return out;
	}

}
