package dev.initlab.api;

import org.junit.jupiter.api.Test;
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

/**
 * {@code ?format=hf} (or {@code Accept: application/x-tar}) on
 * {@code POST /api/v1/initializations}, as the wire sees it: a tar with its exact
 * Content-Length for a transformers model, a problem naming the allowed architectures
 * otherwise. What the tar holds is {@code HfDirectoryTests}'; that transformers loads it
 * is {@code clients/python/tests/test_hf_directory.py}'.
 */
@WebMvcTest(InitializationController.class)
@Import({ Planner.class, GenerationExecutor.class, SymmetryCheckRunner.class, ProblemDetailsAdvice.class,
		Admission.class })
@EnableConfigurationProperties({ GenerationLimits.class, ExperimentLimits.class, AdmissionProperties.class })
class HfFormatRequestTests {

	static final String URI = "/api/v1/initializations";

	static final String GPT2 = """
			{"seed": 3, "model": {"architecture": "transformers/GPT2LMHeadModel",
			 "config": {"n_layer": 1, "n_embd": 8, "n_head": 2, "vocab_size": 20, "n_positions": 4}}}""";

	@Autowired
	MockMvcTester mvc;

	@Test
	void aTransformersModelIsATarWithItsExactLength() {
		for (MvcTestResult result : new MvcTestResult[] { post("?format=hf", GPT2, null),
				post("", GPT2, "application/x-tar") }) {
			assertThat(result).hasStatusOk().hasContentType("application/x-tar");
			byte[] tar = result.getResponse().getContentAsByteArray();
			assertThat(result.getResponse().getHeader(HttpHeaders.CONTENT_LENGTH))
				.isEqualTo(Integer.toString(tar.length));
			assertThat(result.getResponse().getHeader(HttpHeaders.CONTENT_DISPOSITION))
				.isEqualTo("attachment; filename=\"initlab-3.tar\"");
			assertThat(tar.length % 512).isZero();
			assertThat(new String(tar, 0, 11)).isEqualTo("config.json");
		}
	}

	@Test
	void layersAndOtherArchitecturesAreProblemsNamingTheAllowedOnes() {
		JsonNode layers = problem(post("?format=hf",
				"{\"layers\": [{\"name\": \"fc\", \"type\": \"linear\", \"in_features\": 2, \"out_features\": 3}]}",
				null));
		assertThat(layers.get("errors").get(0).get("field").asString()).isEqualTo("format");
		assertThat(layers.get("detail").asString()).contains("transformers/BertForMaskedLM")
			.contains("ask for format safetensors");
		JsonNode resnet = problem(post("?format=hf",
				"{\"model\": {\"architecture\": \"torchvision/resnet18\", \"config\": {\"num_classes\": 10}}}", null));
		assertThat(resnet.get("errors").get(0).get("field").asString()).isEqualTo("model.architecture");
		assertThat(resnet.get("detail").asString()).contains("transformers/LlamaForCausalLM")
			.contains("format safetensors for torchvision/resnet18");
		JsonNode unknown = problem(post("?format=tar", GPT2, null));
		assertThat(unknown.get("detail").asString()).contains("allowed: json, npy, npz, safetensors, hf");
	}

	MvcTestResult post(String query, String json, String accept) {
		var request = this.mvc.post().uri(URI + query).contentType(MediaType.APPLICATION_JSON).content(json);
		if (accept != null) {
			request = request.accept(MediaType.parseMediaType(accept));
		}
		return request.exchange();
	}

	static JsonNode problem(MvcTestResult result) {
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return JsonMapper.builder().build().readTree(result.getResponse().getContentAsByteArray());
	}

}
