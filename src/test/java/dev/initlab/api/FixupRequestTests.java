package dev.initlab.api;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
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
import dev.initlab.init.Preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Fixup's ResNets ({@code fixup/resnet18} ... {@code fixup/resnet152}) on the wire: the
 * catalog lists them, a request answers Fixup's init per tensor, and every preset either
 * answers or is a 400 naming {@code init.preset} (the scalar multipliers have no rule in
 * presets made for layers). The values against the reference implementation are checked
 * in {@code FixupResNetTests}.
 */
@WebMvcTest({ InitializationController.class, CatalogController.class })
@Import({ Planner.class, GenerationExecutor.class, SymmetryCheckRunner.class, ProblemDetailsAdvice.class,
		Admission.class })
@EnableConfigurationProperties({ GenerationLimits.class, ExperimentLimits.class, AdmissionProperties.class })
class FixupRequestTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String RESNET18 = """
			{"architecture": "fixup/resnet18", "config": {"num_classes": 10}}""";

	@Autowired
	MockMvcTester mvc;

	@Test
	void theCatalogListsEveryDepth() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/architectures").exchange();
		assertThat(result).hasStatusOk();
		List<String> names = new ArrayList<>();
		JSON.readTree(result.getResponse().getContentAsByteArray())
			.get("architectures")
			.forEach((a) -> names.add(a.get("name").asString()));
		assertThat(names).containsSubsequence("fixup/resnet18", "fixup/resnet34", "fixup/resnet50", "fixup/resnet101",
				"fixup/resnet152");
		MvcTestResult one = this.mvc.get().uri("/api/v1/architectures/fixup/resnet50").exchange();
		assertThat(one).hasStatusOk();
		JsonNode r50 = JSON.readTree(one.getResponse().getContentAsByteArray());
		assertThat(r50.get("library").asString()).isEqualTo("fixup");
		assertThat(r50.get("rules").toString()).contains("layer*.*.conv3.weight").contains("num_layers^(-1/4)");
	}

	@Test
	void libraryDefaultIsFixupsInit() {
		JsonNode body = ok("{\"seed\": 1, \"model\": " + RESNET18 + ", \"include\": [\"stats\"]}");
		List<String> names = ModelRequestTests.names(body);
		assertThat(names).hasSize(64).startsWith("bias1", "bias2", "conv1.weight", "layer1.0.bias1a");
		JsonNode conv1 = ModelRequestTests.tensor(body, "layer1.0.conv1.weight");
		// sqrt(2 / (64 * 3 * 3)) * 8^(-1/2) = 1/48
		assertThat(conv1.get("init").get("std").asDouble()).isCloseTo(1.0 / 48, within(1e-15));
		assertThat(conv1.get("init").get("rule").asString()).contains("num_layers^(-1/2)").contains("num_layers 8");
		assertThat(ModelRequestTests.tensor(body, "layer1.0.conv2.weight").get("stats").get("max").asDouble()).isZero();
		assertThat(ModelRequestTests.tensor(body, "fc.weight").get("stats").get("min").asDouble()).isZero();
		JsonNode scale = ModelRequestTests.tensor(body, "layer3.1.scale");
		assertThat(scale.get("shape").toString()).isEqualTo("[1]");
		assertThat(scale.get("stats").get("mean").asDouble()).isEqualTo(1.0);
	}

	static List<String> presets() {
		return Preset.names();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("presets")
	void everyPresetAnswersOrNamesTheField(String preset) {
		MvcTestResult result = post("{\"seed\": 1, \"model\": " + RESNET18 + ", \"init\": {\"preset\": \"" + preset
				+ "\"}, \"include\": [\"stats\"]}");
		if (result.getResponse().getStatus() != 200) {
			JsonNode p = ModelRequestTests.problem(result);
			assertThat(ModelRequestTests.fields(p)).containsOnly("init.preset");
			assertThat(p.toString()).contains("layer1.0.scale").contains("give its init");
		}
	}

	MvcTestResult post(String json) {
		return this.mvc.post()
			.uri(ModelRequestTests.URI)
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	JsonNode ok(String json) {
		MvcTestResult result = post(json);
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		return JSON.readTree(result.getResponse().getContentAsByteArray());
	}

}
