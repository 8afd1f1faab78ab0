package dev.initlab.api;

import dev.initlab.admission.Admission;
import dev.initlab.admission.AdmissionProperties;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.initlab.experiments.PropagationLimits;
import dev.initlab.experiments.PropagationRunner;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code /api/v1/propagation} through the MVC slice with the real runner: per-layer
 * overrides and LSUV on the wire, and the 400s that name the field.
 */
@WebMvcTest(PropagationController.class)
@Import({ Planner.class, PropagationRunner.class, ProblemDetailsAdvice.class, Admission.class })
@EnableConfigurationProperties({ GenerationLimits.class, PropagationLimits.class, AdmissionProperties.class })
class PropagationControllerTests {

	static final String URI = "/api/v1/propagation";

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** A small stack; {@code OVERRIDES} is replaced by the policy's {@code layers}. */
	static final String SMALL = """
			{"seed": 0, "depth": 6, "width": 32, "activation": "relu", "batch_size": 32,
			 "policies": [{"label": "p", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}},
			               "layers": OVERRIDES}]}
			""";

	@Autowired
	MockMvcTester mvc;

	@Test
	void theOverridesAndLsuvExampleRuns() {
		MvcTestResult result = post(Examples.PROPAGATION_OVERRIDES);
		assertThat(result).hasStatus(HttpStatus.OK);
		JsonNode results = json(result).get("results");
		assertThat(results).hasSize(3);
		assertThat(results.get(0).get("verdict").asString()).isEqualTo("vanishing");
		assertThat(results.get(0).has("lsuv_iterations")).isFalse();
		assertThat(results.get(1).get("label").asString()).isEqualTo("xavier, he on 11-20");
		assertThat(results.get(1).get("layers")).hasSize(30);
		assertThat(results.get(1).has("lsuv_iterations")).isFalse();
		// He on a third of the layers: the signal shrinks less than with Xavier alone
		assertThat(results.get(1).get("std_ratio_per_layer").asDouble())
			.isGreaterThan(results.get(0).get("std_ratio_per_layer").asDouble());
		JsonNode lsuv = results.get(2);
		assertThat(lsuv.get("lsuv_iterations")).hasSize(30);
		assertThat(lsuv.get("verdict").asString()).isEqualTo("stable");
	}

	@Test
	void lsuvIterationsAreNullForTheLayersAnOverrideKeepsOutOfIt() {
		String body = """
				{"seed": 0, "depth": 4, "width": 32, "batch_size": 32,
				 "policies": [{"label": "lsuv", "init": {"weight": {"scheme": "lsuv"}},
				               "layers": [{"layers": [2], "init": {"preset": "pytorch_default"}}]}]}
				""";
		MvcTestResult result = post(body);
		assertThat(result).hasStatus(HttpStatus.OK);
		JsonNode iterations = json(result).get("results").get(0).get("lsuv_iterations");
		assertThat(iterations).hasSize(4);
		assertThat(iterations.get(0).isInt()).isTrue();
		assertThat(iterations.get(1).isNull()).isTrue();
		assertThat(iterations.get(2).isInt()).isTrue();
	}

	@Test
	void invalidOverridesAreProblemsNamingTheFieldAndTheAllowedValues() {
		problem(SMALL.replace("OVERRIDES", "[{\"layer\": 2, \"init\": {\"preset\": \"zeros\"}}]"),
				"policies[0].layers[0].layer", "unknown field 'layer'; allowed: init, layers");
		problem(SMALL.replace("OVERRIDES", "[{\"layers\": [7], \"init\": {\"preset\": \"zeros\"}}]"),
				"policies[0].layers[0].layers[0]", "no layer 7; allowed: 1 to 6 (depth is 6)");
		problem(SMALL.replace("OVERRIDES",
				"[{\"layers\": [1, 2], \"init\": {\"preset\": \"zeros\"}}, {\"layers\": [2], \"init\": {\"preset\": \"zeros\"}}]"),
				"policies[0].layers[1].layers[0]", "layer 2 is already named by policies[0].layers[0]");
		problem(SMALL.replace("OVERRIDES", "[{\"layers\": [], \"init\": {\"preset\": \"zeros\"}}]"),
				"policies[0].layers[0].layers", "must not be empty");
		problem(SMALL.replace("OVERRIDES", "[{\"layers\": [1]}]"), "policies[0].layers[0].init", "must not be null");
		problem(SMALL.replace("OVERRIDES", "[{\"layers\": [1], \"init\": {\"preset\": \"he\"}}]"),
				"policies[0].layers[0].init.preset", "pytorch_default");
		problem(SMALL.replace("OVERRIDES", "[{\"layers\": [1], \"init\": {\"weight\": {\"scheme\": \"glorot\"}}}]"),
				"policies[0].layers[0].init.weight.scheme", "xavier_normal");
		problem(SMALL.replace("OVERRIDES",
				"[{\"layers\": [1], \"init\": {\"weight\": {\"scheme\": \"lsuv\", \"tol\": 0.1}}}]"),
				"policies[0].layers[0].init.weight.tol", "allowed: tolerance, max_iterations");
		problem(SMALL.replace("OVERRIDES",
				"[{\"layers\": [1], \"init\": {\"weight\": {\"scheme\": \"lsuv\", \"max_iterations\": 1000}}}]"),
				"policies[0].layers[0].init.weight.max_iterations", "initlab.propagation.max-lsuv-iterations");
	}

	/** API.md section 4's own example, verbatim. */
	static final String CONTRACT_EXAMPLE = """
			{"seed": 0, "depth": 50, "width": 512, "activation": "relu", "batch_size": 256,
			 "policies": [{"label": "xavier", "init": {"weight": {"scheme": "xavier_normal"}}},
			              {"label": "he",     "init": {"weight": {"scheme": "kaiming_normal"}}}]}
			""";

	@Test
	void theContractsExampleRunsForItReturnsNoTensorData() {
		// 50 × 512² = 13.1M weights: over /initializations' JSON-data limit (2^22), which
		// is about a response body that propagation never writes
		MvcTestResult result = post(CONTRACT_EXAMPLE);
		assertThat(result).hasStatus(HttpStatus.OK);
		JsonNode results = json(result).get("results");
		assertThat(results).hasSize(2);
		assertThat(results.get(0).get("layers")).hasSize(50);
		assertThat(results.get(0).get("verdict").asString()).isEqualTo("vanishing");
		assertThat(results.get(1).get("verdict").asString()).isEqualTo("stable");
	}

	/**
	 * API.md section 8: the section 4 example with a residual block answers 200 under the
	 * default limits (its pass holds 34.3M elements: every branch weight and the block
	 * inputs kept for the backward pass).
	 */
	@Test
	void theContractsExampleWithAResidualBlockRunsUnderTheDefaultLimits() {
		MvcTestResult result = post("""
				{"seed": 0, "depth": 50, "width": 512, "activation": "relu", "batch_size": 256,
				 "block": {"type": "residual", "branch_layers": 2, "norm": "pre_ln", "alpha": 1.0},
				 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}
				""");
		assertThat(result).hasStatus(HttpStatus.OK);
		JsonNode body = json(result);
		assertThat(body.get("block").toString())
			.isEqualTo("{\"type\":\"residual\",\"branch_layers\":2,\"norm\":\"pre_ln\",\"alpha\":1.0}");
		JsonNode layers = body.get("results").get(0).get("layers");
		assertThat(layers).hasSize(50);
		assertThat(layers.get(49).get("layer").asInt()).isEqualTo(50);
		// pre_ln: Var_l ≈ 1 + l, so std_50 ≈ sqrt(51) ≈ 7.1 (a loose sanity bound; the
		// closed forms are tested in ResidualPropagationRunnerTests)
		assertThat(layers.get(49).get("activation_std").asDouble()).isBetween(5.0, 10.0);
	}

	@Test
	void theResidualExampleKeepsThePlainOnesBytesAndPlotsAgainstBlocks() throws Exception {
		MvcTestResult residual = post(Examples.PROPAGATION_RESIDUAL);
		assertThat(residual).hasStatus(HttpStatus.OK);
		JsonNode results = json(residual).get("results");
		assertThat(results).hasSize(3);
		assertThat(results.get(0).get("verdict").asString()).isEqualTo("exploding");
		assertThat(results.get(1).get("verdict").asString()).isEqualTo("stable");
		assertThat(results.get(2).get("verdict").asString()).isEqualTo("stable");
		assertThat(results.get(2).get("layers").get(11).get("preactivation_std").asDouble()).isZero();
		MvcTestResult svg = this.mvc.post()
			.uri(URI + "?format=svg")
			.contentType(MediaType.APPLICATION_JSON)
			.content(Examples.PROPAGATION_RESIDUAL)
			.exchange();
		assertThat(svg).hasStatus(HttpStatus.OK);
		assertThat(svg.getResponse().getContentAsString(StandardCharsets.UTF_8)).contains("Activation std by block");
		// without block, no block in the answer: a plain stack's response is as before
		JsonNode plain = json(post(SMALL.replace("OVERRIDES", "null")));
		assertThat(plain.has("block")).isFalse();
	}

	@Test
	void theRecipesExampleKeepsTheResidualStackBoundedAndEchoesEachRecipe() {
		MvcTestResult result = post(Examples.PROPAGATION_RECIPES);
		assertThat(result).hasStatus(HttpStatus.OK);
		JsonNode results = json(result).get("results");
		assertThat(results).hasSize(4);
		assertThat(results.get(0).get("verdict").asString()).isEqualTo("exploding");
		assertThat(results.get(0).has("recipe")).isFalse();
		for (int p = 1; p < 4; p++) {
			assertThat(results.get(p).get("verdict").asString()).as(results.get(p).get("label").asString())
				.isEqualTo("stable");
		}
		assertThat(results.get(1).get("recipe").get("name").asString()).isEqualTo("scaled_residual");
		assertThat(results.get(2).get("recipe").get("scale").asDouble()).isCloseTo(1 / Math.sqrt(24), within(1e-15));
		assertThat(results.get(3).get("recipe").get("name").asString()).isEqualTo("skipinit");
		problem(SMALL.replace("OVERRIDES", "null").replace("\"layers\": null", "\"recipe\": {\"name\": \"fixup\"}"),
				"policies[0].recipe", "recipes apply to residual stacks here");
	}

	@Test
	void invalidBlocksAreProblemsNamingTheFieldAndTheAllowedValues() {
		String small = SMALL.replace("OVERRIDES", "null")
			.replace("\"batch_size\": 32,", "\"batch_size\": 32, \"block\": BLOCK,");
		problem(small.replace("BLOCK", "{\"type\": \"residual\", \"norm\": \"layernorm\"}"), "block.norm",
				"unknown norm 'layernorm'; allowed: none, pre_ln, post_ln");
		problem(small.replace("BLOCK", "{\"type\": \"resnet\"}"), "block.type",
				"unknown block type 'resnet'; allowed: residual");
		problem(small.replace("BLOCK", "{\"type\": \"residual\", \"branch_layers\": 0}"), "block.branch_layers",
				"must be an integer in [1, 8]");
		problem(small.replace("BLOCK", "{\"type\": \"residual\", \"alpha\": 1e400}"), "block.alpha",
				"must be a finite number");
		problem(small.replace("BLOCK", "{\"type\": \"residual\", \"gate\": 1}"), "block.gate", "unknown field");
		MvcTestResult tooMany = post(small.replace("BLOCK", "{\"type\": \"residual\", \"branch_layers\": 9}"));
		assertThat(tooMany).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(json(tooMany).get("property").asString()).isEqualTo("initlab.propagation.max-branch-layers");
		MvcTestResult huge = post(small.replace("BLOCK", "{\"type\": \"residual\", \"branch_layers\": 1e30}"));
		assertThat(huge).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(json(huge).get("property").asString()).isEqualTo("initlab.propagation.max-branch-layers");
		// with a residual block, overrides count branch layers and the message says how
		problem(SMALL.replace("OVERRIDES", "[{\"layers\": [13], \"init\": {\"preset\": \"zeros\"}}]")
			.replace("\"batch_size\": 32,", "\"batch_size\": 32, \"block\": {\"type\": \"residual\"},"),
				"policies[0].layers[0].layers[0]",
				"no layer 13; allowed: 1 to 12 (depth is 6 blocks × 2 branch layers; block b's branch layer j is "
						+ "layer (b − 1) × 2 + j)");
	}

	@Test
	void aPassLargerThanTheMemoryLimitIsAProblemNamingAmountLimitAndProperty() {
		// within max-depth, max-width, max-batch and max-work (2.1·10^9 multiply-adds),
		// but
		// the weights alone are 500 × 2048² doubles: 16 GiB
		MvcTestResult result = post("""
				{"seed": 0, "depth": 500, "width": 2048, "batch_size": 1,
				 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}
				""");
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		JsonNode body = json(result);
		long requested = 500L * 2048 * (2048 + 3);
		assertThat(body.get("requested").asLong()).isEqualTo(requested);
		assertThat(body.get("limit").asLong()).isEqualTo(5L << 23);
		assertThat(body.get("property").asString()).isEqualTo("initlab.propagation.max-elements");
		assertThat(body.get("detail").asString()).contains(Long.toString(requested))
			.contains(Long.toString(5L << 23))
			.contains("initlab.propagation.max-elements");
	}

	private void problem(String request, String field, String message) {
		MvcTestResult result = post(request);
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
		JsonNode body = json(result);
		assertThat(body.get("errors")).hasSize(1);
		assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo(field);
		assertThat(body.get("errors").get(0).get("message").asString()).contains(message);
		assertThat(body.get("detail").asString()).startsWith(field + ": ");
	}

	private MvcTestResult post(String body) {
		return this.mvc.post().uri(URI).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	private static JsonNode json(MvcTestResult result) {
		return JSON.readTree(new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8));
	}

}
