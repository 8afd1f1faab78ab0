package dev.initlab.api;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.admission.Admission;
import dev.initlab.admission.AdmissionProperties;
import dev.initlab.experiments.ExperimentLimits;
import dev.initlab.experiments.SymmetryCheckRunner;
import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code "recipe"} on {@code POST /api/v1/initializations} as the wire sees it: the
 * Swagger examples run, each tensor's {@code init.recipe} names the step, the top-level
 * {@code recipe} echoes the constants, and a recipe that cannot apply is a 400 naming
 * {@code recipe.FIELD}. The numbers are checked against the papers in
 * {@code RecipeReferenceTests}.
 */
@WebMvcTest(InitializationController.class)
@Import({ Planner.class, GenerationExecutor.class, SymmetryCheckRunner.class, ProblemDetailsAdvice.class,
		Admission.class })
@EnableConfigurationProperties({ GenerationLimits.class, ExperimentLimits.class, AdmissionProperties.class })
class RecipeRequestTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	MockMvcTester mvc;

	@ParameterizedTest
	@ValueSource(strings = { "RECIPE_DEEPNORM", "RECIPE_SCALED_RESIDUAL", "RECIPE_T_FIXUP", "RECIPE_MUP" })
	void eachRecipeExampleRunsAndSaysWhatItChanged(String example) throws Exception {
		String request = (String) Examples.class.getDeclaredField(example).get(null);
		JsonNode body = ok(request);
		String name = JSON.readTree(request).get("recipe").get("name").asString();
		assertThat(body.get("recipe").get("name").asString()).isEqualTo(name);
		List<String> steps = new ArrayList<>();
		for (JsonNode t : body.get("tensors")) {
			if (t.get("init").has("recipe")) {
				steps.add(t.get("init").get("recipe").asString());
			}
		}
		assertThat(steps).isNotEmpty().allMatch((s) -> s.startsWith(name + ":"));
	}

	@Test
	void deepnormEchoesAlphaAndBetaOfTheEncoder() {
		JsonNode body = ok(Examples.RECIPE_DEEPNORM);
		JsonNode recipe = body.get("recipe");
		assertThat(recipe.get("alpha").asDouble()).isEqualTo(Math.pow(24, 0.25));
		assertThat(recipe.get("beta").asDouble()).isEqualTo(Math.pow(96, -0.25));
		assertThat(recipe.has("note")).as("BERT is Post-LN: no switch needed").isFalse();
		JsonNode value = tensor(body, "encoder.layer.3.attention.self.value.weight");
		assertThat(value.get("init").get("scheme").asString()).isEqualTo("xavier_normal");
		assertThat(value.get("init").get("gain").asDouble()).isEqualTo(Math.pow(96, -0.25));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"name\": \"deepnorm\"}|torchvision/resnet18|recipe.name",
			"{\"name\": \"fixupp\"}|transformers/GPT2LMHeadModel|recipe.name",
			"{\"factor\": 2}|transformers/GPT2LMHeadModel|recipe.name",
			"{\"name\": \"scaled_residual\", \"factor\": \"two\"}|transformers/GPT2LMHeadModel|recipe.factor",
			"{\"name\": \"scaled_residual\", \"factor\": 0}|transformers/GPT2LMHeadModel|recipe.factor",
			"{\"name\": \"mup\"}|transformers/GPT2LMHeadModel|recipe.base_config",
			"{\"name\": \"mup\", \"base_config\": {\"n_embd\": 8, \"n_head\": 3}}|transformers/GPT2LMHeadModel|recipe.base_config.n_head" })
	void aRecipeThatCannotApplyIsA400NamingTheField(String caseText) {
		String[] parts = caseText.split("\\|");
		String config = parts[1].startsWith("transformers") ? ", \"config\": {\"n_layer\": 2, \"n_embd\": 16, "
				+ "\"n_head\": 4, \"vocab_size\": 50, \"n_positions\": 8}" : "";
		MvcTestResult result = this.mvc.post()
			.uri("/api/v1/initializations")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\": {\"architecture\": \"" + parts[1] + "\"" + config + "}, \"recipe\": " + parts[0]
					+ ", \"include\": [\"stats\"]}")
			.exchange();
		assertThat(result).hasStatus(400);
		JsonNode problem = JSON.readTree(result.getResponse().getContentAsByteArray());
		assertThat(problem.has("errors")).as(problem.toString()).isTrue();
		List<String> fields = new ArrayList<>();
		problem.get("errors").forEach((e) -> fields.add(e.get("field").asString()));
		assertThat(fields).containsExactly(parts[2]);
	}

	private JsonNode ok(String request) {
		MvcTestResult result = this.mvc.post()
			.uri("/api/v1/initializations")
			.contentType(MediaType.APPLICATION_JSON)
			.content(request)
			.exchange();
		assertThat(result).hasStatusOk();
		return JSON.readTree(result.getResponse().getContentAsByteArray());
	}

	private static JsonNode tensor(JsonNode body, String name) {
		for (JsonNode t : body.get("tensors")) {
			if (t.get("name").asString().equals(name)) {
				return t;
			}
		}
		throw new AssertionError("no tensor " + name);
	}

}
