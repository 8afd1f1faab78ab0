package dev.initlab.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
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

import dev.initlab.admission.Admission;
import dev.initlab.admission.AdmissionProperties;
import dev.initlab.experiments.ExperimentLimits;
import dev.initlab.experiments.SymmetryCheckRunner;
import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Whole architectures ({@code "model"}) and {@code overrides} on
 * {@code POST /api/v1/initializations}, through the MVC slice as the wire sees them.
 * Which tensors and values the libraries give is checked against the libraries in
 * {@code ArchitectureReferenceTests} and {@code ModelInitReferenceTests}; nothing here is
 * statistical.
 */
@WebMvcTest(InitializationController.class)
@Import({ Planner.class, GenerationExecutor.class, SymmetryCheckRunner.class, ProblemDetailsAdvice.class,
		Admission.class })
@EnableConfigurationProperties({ GenerationLimits.class, ExperimentLimits.class, AdmissionProperties.class })
class ModelRequestTests {

	static final String URI = "/api/v1/initializations";

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String GPT2 = """
			{"architecture": "transformers/GPT2LMHeadModel",
			 "config": {"n_layer": 2, "n_embd": 16, "n_head": 4, "vocab_size": 50, "n_positions": 8}}""";

	@Autowired
	MockMvcTester mvc;

	@Test
	void libraryDefaultNamesEachTensorsRuleAndTheTieGroup() {
		JsonNode body = ok("{\"seed\": 1, \"model\": " + GPT2 + ", \"include\": [\"stats\"]}");
		List<String> names = names(body);
		assertThat(names.get(0)).isEqualTo("transformer.wte.weight");
		assertThat(names.get(names.size() - 1)).isEqualTo("lm_head.weight");
		assertThat(names).hasSize(2 + 2 * 12 + 2 + 1);
		JsonNode proj = tensor(body, "transformer.h.1.attn.c_proj.weight");
		assertThat(proj.get("shape").toString()).isEqualTo("[16,16]");
		assertThat(proj.get("init").get("preset").asString()).isEqualTo("library_default");
		assertThat(proj.get("init").get("rule").asString())
			.isEqualTo("GPT2 residual projection: normal(0, initializer_range/sqrt(2*n_layer))");
		assertThat(proj.get("init").get("std").asDouble()).isEqualTo(0.02 / 2);
		JsonNode head = tensor(body, "lm_head.weight");
		assertThat(head.get("init").get("tied_to").asString()).isEqualTo("transformer.wte.weight");
		assertThat(head.get("init").get("tie_group").toString())
			.isEqualTo("[\"transformer.wte.weight\",\"lm_head.weight\"]");
		assertThat(tensor(body, "transformer.wte.weight").get("init").get("tie_group"))
			.isEqualTo(head.get("init").get("tie_group"));
		// every member names the group, the first key included
		assertThat(tensor(body, "transformer.wte.weight").get("init").get("tied_to").asString())
			.isEqualTo("transformer.wte.weight");
		// same stored values: the same stats to the last digit
		assertThat(head.get("stats")).isEqualTo(tensor(body, "transformer.wte.weight").get("stats"));
		// as model.num_parameters(): the tied head once
		long count = 0;
		for (JsonNode t : body.get("tensors")) {
			if (!t.get("name").asString().equals("lm_head.weight")) {
				long numel = 1;
				for (JsonNode d : t.get("shape")) {
					numel *= d.asLong();
				}
				count += numel;
			}
		}
		assertThat(body.get("parameter_count").asLong()).isEqualTo(count);
	}

	@Test
	void pytorchDefaultIsTheBareModules() {
		JsonNode body = ok("{\"seed\": 1, \"model\": " + GPT2
				+ ", \"init\": {\"preset\": \"pytorch_default\"}, \"include\": [\"stats\"]}");
		// transformers' Conv1D draws normal(0, 0.02) in its constructor; nn.Embedding
		// N(0, 1)
		assertThat(tensor(body, "transformer.h.0.attn.c_proj.weight").get("init").get("std").asDouble())
			.isEqualTo(0.02);
		assertThat(tensor(body, "transformer.wte.weight").get("init").get("std").asDouble()).isEqualTo(1.0);
		assertThat(tensor(body, "transformer.h.0.ln_1.weight").get("init").get("scheme").asString()).isEqualTo("ones");
	}

	@Test
	void rolePoliciesAndOtherPresetsApplyByRoleWithTheModulesFans() {
		JsonNode body = ok("{\"seed\": 1, \"model\": " + GPT2
				+ ", \"init\": {\"preset\": \"small_random\", \"weight\": {\"scheme\": \"xavier_uniform\"}},"
				+ " \"include\": [\"stats\"]}");
		JsonNode fc = tensor(body, "transformer.h.0.mlp.c_fc.weight").get("init");
		assertThat(fc.get("scheme").asString()).isEqualTo("xavier_uniform");
		// Conv1D [in, out] = [16, 64]: fans of the map 16 -> 64
		assertThat(fc.get("fan_in").asLong()).isEqualTo(16);
		assertThat(fc.get("fan_out").asLong()).isEqualTo(64);
		assertThat(tensor(body, "transformer.wpe.weight").get("init").get("std").asDouble()).isEqualTo(0.01);
		assertThat(tensor(body, "transformer.wpe.weight").get("init").get("preset").asString())
			.isEqualTo("small_random");
	}

	@Test
	void overridesApplyInOrderLastMatchWinsAndATieGroupAsOne() {
		JsonNode body = ok("""
				{"seed": 1, "model": %s, "include": ["stats"],
				 "overrides": [{"match": "**.weight", "init": {"scheme": "normal", "std": 0.5}},
				               {"match": "transformer.h.*.mlp.c_fc.weight", "init": {"scheme": "kaiming_normal"}},
				               {"match": "lm_head.weight", "init": {"scheme": "normal", "std": 0.3}}]}
				""".formatted(GPT2));
		JsonNode fc = tensor(body, "transformer.h.1.mlp.c_fc.weight").get("init");
		assertThat(fc.get("scheme").asString()).isEqualTo("kaiming_normal");
		assertThat(fc.get("override").asInt()).isEqualTo(1);
		assertThat(fc.has("preset")).isFalse();
		assertThat(tensor(body, "transformer.h.0.ln_1.weight").get("init").get("std").asDouble()).isEqualTo(0.5);
		// the override naming the head applies to the embedding it is tied to
		JsonNode wte = tensor(body, "transformer.wte.weight").get("init");
		assertThat(wte.get("std").asDouble()).isEqualTo(0.3);
		assertThat(wte.get("override").asInt()).isEqualTo(2);
		assertThat(tensor(body, "lm_head.weight").get("init").get("std").asDouble()).isEqualTo(0.3);
		// * stays within one part: no tensor is named transformer.h.<i>.c_fc.weight
		JsonNode p = problem(post("""
				{"model": %s, "overrides": [{"match": "transformer.*.mlp.c_fc.weight", "init": {"scheme": "zeros"}},
				                            {"match": "transformer.h.*.mlp.c_fc.weight", "init": {"scheme": "ones"}},
				                            {"match": "encoder.**", "init": {"scheme": "ones"}}]}
				""".formatted(GPT2)));
		assertThat(fields(p)).containsExactly("overrides[0].match", "overrides[2].match");
		assertThat(message(p, "overrides[2].match")).contains("'encoder.**' matches no tensor")
			.contains("transformer.wte.weight");
	}

	@Test
	void overridesWorkForLayersToo() {
		JsonNode body = ok(Examples.LAYER_OVERRIDES);
		assertThat(tensor(body, "block.1.fc.weight").get("init").get("scheme").asString()).isEqualTo("orthogonal");
		assertThat(tensor(body, "head.weight").get("init").get("scheme").asString()).isEqualTo("kaiming_uniform");
		assertThat(tensor(body, "head.bias").get("init").get("scheme").asString()).isEqualTo("zeros");
		assertThat(tensor(body, "head.bias").get("init").get("override").asInt()).isEqualTo(1);
		JsonNode p = problem(post("""
				{"layers": [{"name": "fc", "type": "linear", "in_features": 2, "out_features": 2}],
				 "overrides": [{"match": "fc.kernel", "init": {"scheme": "zeros"}}]}"""));
		assertThat(fields(p)).containsExactly("overrides[0].match");
		JsonNode bad = problem(post("""
				{"layers": [{"name": "fc", "type": "linear", "in_features": 2, "out_features": 2}],
				 "overrides": [{"match": "fc.weight", "init": {"scheme": "kaiming_normal", "mode": "sideways"}}]}"""));
		assertThat(fields(bad)).containsExactly("overrides[0].init.mode");
	}

	/**
	 * For layers, whose library is torch.nn itself, library_default is pytorch_default.
	 */
	@Test
	void libraryDefaultOfLayersIsPytorchDefault() {
		String layers = """
				{"seed": 4, "init": {"preset": "%s"},
				 "layers": [{"name": "emb", "type": "embedding", "num_embeddings": 10, "embedding_dim": 4},
				            {"name": "fc", "type": "linear", "in_features": 4, "out_features": 3}]}""";
		JsonNode library = ok(layers.formatted("library_default"));
		JsonNode pytorch = ok(layers.formatted("pytorch_default"));
		for (int i = 0; i < 3; i++) {
			JsonNode a = library.get("tensors").get(i);
			JsonNode b = pytorch.get("tensors").get(i);
			assertThat(a.get("data")).isEqualTo(b.get("data"));
			assertThat(a.get("init").get("preset").asString()).isEqualTo("library_default");
			assertThat(((tools.jackson.databind.node.ObjectNode) a.get("init")).without("preset"))
				.isEqualTo(((tools.jackson.databind.node.ObjectNode) b.get("init")).without("preset"));
		}
	}

	@Test
	void tiedKeysCarryIdenticalBytesInSafetensors() {
		MvcTestResult result = this.mvc.post()
			.uri(URI + "?format=safetensors")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"seed\": 5, \"model\": " + GPT2 + "}")
			.exchange();
		assertThat(result).hasStatusOk();
		byte[] file = result.getResponse().getContentAsByteArray();
		assertThat(result.getResponse().getHeader(HttpHeaders.CONTENT_LENGTH)).isEqualTo(Integer.toString(file.length));
		long headerLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
		JsonNode header = JSON.readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8));
		byte[] wte = slice(file, headerLength, header.get("transformer.wte.weight"));
		byte[] head = slice(file, headerLength, header.get("lm_head.weight"));
		assertThat(wte).hasSize(50 * 16 * 4);
		assertThat(head).isEqualTo(wte);
		assertThat(header.get("lm_head.weight").get("dtype").asString()).isEqualTo("F32");
		assertThat(header.get("__metadata__").get("init.lm_head.weight").asString())
			.contains("\"tied_to\":\"transformer.wte.weight\"");
	}

	@Test
	void nanoGptWithoutBiasHasNoBiases() {
		JsonNode body = ok(Examples.NANOGPT);
		assertThat(names(body)).noneMatch(n -> n.endsWith(".bias"));
		assertThat(tensor(body, "transformer.h.1.mlp.c_proj.weight").get("init").get("std").asDouble())
			.isCloseTo(0.02 / 2, within(1e-15));
		assertThat(tensor(body, "lm_head.weight").get("init").get("tied_to").asString())
			.isEqualTo("transformer.wte.weight");
	}

	@Test
	void theGpt2ExampleRuns() {
		JsonNode body = ok(Examples.GPT2);
		assertThat(tensor(body, "transformer.h.0.mlp.c_fc.weight").get("init").get("scheme").asString())
			.isEqualTo("kaiming_normal");
	}

	/**
	 * The Swagger example of each family runs, names every tensor's library rule, and
	 * answers the parameter count and state_dict size the library's own model has for
	 * that config ({@code sum(p.numel() for p in model.parameters())},
	 * {@code len(model.state_dict())}, printed by transformers 5.18.0, torchvision 0.28.0
	 * and timm 1.0.29 for the same configs).
	 */
	@ParameterizedTest
	@CsvSource({ "LLAMA, 202048, 21", "BERT_MLM, 144680, 44", "T5, 228864, 50", "RESNET18, 11181642, 122",
			"VIT, 114250, 32" })
	void eachFamilysExampleRunsWithTheLibrarysCounts(String example, long parameters, int tensors) throws Exception {
		String request = (String) Examples.class.getDeclaredField(example).get(null);
		JsonNode body = ok(request);
		assertThat(body.get("parameter_count").asLong()).isEqualTo(parameters);
		assertThat(body.get("tensors")).hasSize(tensors);
		for (JsonNode t : body.get("tensors")) {
			assertThat(t.get("init").get("rule").asString()).as(t.get("name").asString()).isNotBlank();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = {
			// both
			"{\"model\": %s, \"layers\": [{\"name\": \"fc\", \"type\": \"linear\", \"in_features\": 2, \"out_features\": 2}]}|model",
			// neither
			"{\"seed\": 1}|layers", "{\"model\": {\"architecture\": \"transformers/GPT3\"}}|model.architecture",
			"{\"model\": {\"config\": {}}}|model.architecture",
			"{\"model\": {\"architecture\": \"nanogpt/GPT\", \"config\": {\"n_embd\": 64, \"n_head\": 5}}}|model.config.n_head",
			"{\"model\": {\"architecture\": \"nanogpt/GPT\", \"config\": {\"hidden_size\": 64}}}|model.config.hidden_size",
			"{\"model\": {\"architecture\": \"nanogpt/GPT\", \"config\": {\"bias\": 1}}}|model.config.bias",
			"{\"model\": %s, \"layout\": \"keras\"}|layout",
			"{\"model\": %s, \"init\": {\"preset\": \"keras\"}}|init.preset" })
	void aModelTheServiceCannotBuildIsA400NamingTheField(String caseText) {
		String[] parts = caseText.split("\\|");
		JsonNode p = problem(post(parts[0].replace("%s", GPT2)));
		assertThat(fields(p)).containsExactly(parts[1]);
		if (parts[1].equals("model.architecture")) {
			assertThat(message(p, parts[1])).contains("transformers/GPT2LMHeadModel", "nanogpt/GPT");
		}
		if (parts[1].equals("model.config.hidden_size")) {
			assertThat(message(p, parts[1])).contains("allowed: block_size, vocab_size, n_layer");
		}
	}

	@Test
	void aSymmetryCheckOfAModelIsA400() {
		JsonNode p = problem(post("""
				{"model": %s, "symmetry_check": {"dataset": {"name": "xor"}, "training": {"iterations": 10}}}
				""".formatted(GPT2)));
		assertThat(fields(p)).containsExactly("symmetry_check");
	}

	private static byte[] slice(byte[] file, long headerLength, JsonNode entry) {
		int start = (int) (8 + headerLength + entry.get("data_offsets").get(0).asLong());
		int end = (int) (8 + headerLength + entry.get("data_offsets").get(1).asLong());
		return Arrays.copyOfRange(file, start, end);
	}

	MvcTestResult post(String json) {
		return this.mvc.post().uri(URI).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
	}

	JsonNode ok(String json) {
		MvcTestResult result = post(json);
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		return JSON.readTree(result.getResponse().getContentAsByteArray());
	}

	static JsonNode problem(MvcTestResult result) {
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return JSON.readTree(result.getResponse().getContentAsByteArray());
	}

	static List<String> fields(JsonNode problem) {
		List<String> fields = new ArrayList<>();
		problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
		return fields;
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
		body.get("tensors").forEach(t -> names.add(t.get("name").asString()));
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

}
