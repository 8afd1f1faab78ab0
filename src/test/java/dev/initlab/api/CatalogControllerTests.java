package dev.initlab.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.initlab.init.Scheme;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalogs ({@code /schemes}, {@code /presets}, {@code /rngs}, {@code /gains})
 * through the MVC slice, with the application's snake_case Jackson settings.
 */
@WebMvcTest(CatalogController.class)
@Import(ProblemDetailsAdvice.class)
class CatalogControllerTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Every constant of the registry, in its order: a new constant appears in the catalog
	 * with nothing else to write.
	 */
	static final List<String> SCHEMES = Scheme.names();

	@Autowired
	MockMvcTester mvc;

	@Test
	void schemesListsEveryContractSchemeWithParametersFormulaReferenceAndDistribution() {
		JsonNode body = ok("/api/v1/schemes");
		assertThat(body.propertyNames()).containsExactly("schemes");
		List<String> names = new ArrayList<>();
		for (JsonNode scheme : body.get("schemes")) {
			names.add(scheme.get("name").asString());
			assertThat(scheme.propertyNames()).containsExactlyInAnyOrder("name", "aliases", "parameters", "formula",
					"reference", "distribution", "numpy");
			assertThat(scheme.get("numpy").asString()).isNotBlank();
			assertThat(scheme.get("aliases").isArray()).isTrue();
			assertThat(scheme.get("parameters").isArray()).isTrue();
			assertThat(scheme.get("formula").asString()).isNotBlank();
			assertThat(scheme.get("reference").asString()).isNotBlank();
			assertThat(scheme.get("distribution").asString()).isNotBlank();
			// rendered from the constant's one description
			Scheme constant = Scheme.byName(scheme.get("name").asString()).orElseThrow();
			assertThat(scheme.get("formula").asString()).isEqualTo(constant.formula());
			assertThat(scheme.get("reference").asString()).isEqualTo(constant.reference()).contains("same as ");
			assertThat(scheme.get("parameters").size()).isEqualTo(constant.parameters().size());
			for (JsonNode param : scheme.get("parameters")) {
				assertThat(param.propertyNames()).contains("name", "type", "default", "min", "max", "description");
				assertThat(param.get("type").asString()).isIn("number", "integer", "string");
			}
		}
		assertThat(names).containsExactlyElementsOf(SCHEMES)
			.startsWith("zeros", "ones", "constant", "uniform", "normal", "truncated_normal", "xavier_uniform",
					"xavier_normal", "kaiming_uniform", "kaiming_normal", "lecun_uniform", "lecun_normal",
					"variance_scaling", "orthogonal", "identity", "dirac", "sparse", "delta_orthogonal",
					"unit_forget_bias");
	}

	@Test
	void schemeParametersCarryTypeDefaultAndRange() {
		JsonNode normal = ok("/api/v1/schemes/normal");
		JsonNode std = parameter(normal, "std");
		assertThat(std.get("type").asString()).isEqualTo("number");
		assertThat(std.get("default").asDouble()).isEqualTo(1.0);
		assertThat(std.get("min").asDouble()).isEqualTo(0.0);
		assertThat(std.get("max").isNull()).isTrue();
		JsonNode scaling = ok("/api/v1/schemes/variance_scaling");
		JsonNode distribution = parameter(scaling, "distribution");
		assertThat(distribution.get("default").asString()).isEqualTo("truncated_normal");
		assertThat(distribution.get("allowed").toString()).contains("truncated_normal", "normal", "uniform");
		assertThat(scaling.get("formula").asString()).contains("0.87962566103423978");
	}

	@Test
	void gainDefaultsToOneAsInPytorchsSignatures() {
		// xavier_uniform_(tensor, gain=1.0), orthogonal_(tensor, gain=1), eye_ and
		// dirac_ (scale 1), delta_orthogonal: the effective default was listed as null.
		List<String> withGain = new ArrayList<>();
		for (JsonNode scheme : ok("/api/v1/schemes").get("schemes")) {
			for (JsonNode param : scheme.get("parameters")) {
				if (param.get("name").asString().equals("gain")) {
					withGain.add(scheme.get("name").asString());
					assertThat(param.get("default").isNumber()).as(scheme.get("name").asString()).isTrue();
					assertThat(param.get("default").asDouble()).as(scheme.get("name").asString()).isEqualTo(1.0);
				}
			}
		}
		assertThat(withGain).contains("xavier_uniform", "xavier_normal", "orthogonal", "identity", "dirac",
				"delta_orthogonal");
	}

	@Test
	void aliasResolvesToTheScheme() {
		JsonNode body = ok("/api/v1/schemes/he_normal");
		assertThat(body.get("name").asString()).isEqualTo("kaiming_normal");
		assertThat(body.get("aliases").toString()).contains("he_normal");
		assertThat(body.get("distribution").asString()).isEqualTo("normal");
		assertThat(body.get("numpy").asString()).contains("randn");
		assertThat(body.get("reference").asString()).contains("1502.01852");
		assertThat(ok("/api/v1/schemes/glorot_uniform").get("name").asString()).isEqualTo("xavier_uniform");
		assertThat(ok("/api/v1/schemes/eye").get("name").asString()).isEqualTo("identity");
	}

	@Test
	void unknownSchemeIsA404ListingTheNames() {
		JsonNode p = problem(this.mvc.get().uri("/api/v1/schemes/he_normall").exchange(), HttpStatus.NOT_FOUND,
				"https://initlab.dev/problems/not-found", "Not Found");
		assertThat(p.get("detail").asString()).contains("'he_normall'").contains(String.join(", ", SCHEMES));
	}

	@Test
	void presetsListsEachWithRules() {
		JsonNode body = ok("/api/v1/presets");
		assertThat(body.propertyNames()).containsExactly("presets");
		List<String> names = new ArrayList<>();
		for (JsonNode preset : body.get("presets")) {
			names.add(preset.get("name").asString());
			assertThat(preset.get("description").asString()).isNotBlank();
			assertThat(preset.get("rules").size()).isPositive();
			for (JsonNode rule : preset.get("rules")) {
				assertThat(rule.propertyNames()).contains("layer_types", "role", "init")
					.isSubsetOf("layer_types", "role", "parameter", "init");
			}
		}
		assertThat(names).containsExactly("pytorch_default", "library_default", "keras_default", "flax_default",
				"small_random", "zeros");
		JsonNode pytorch = body.get("presets").get(0);
		assertThat(pytorch.get("rules").get(0).get("layer_types").toString()).contains("linear", "conv_transpose2d");
		List<String> ruleParameters = new ArrayList<>();
		pytorch.get("rules").forEach(rule -> {
			if (rule.has("parameter")) {
				ruleParameters.add(rule.get("parameter").asString());
			}
		});
		assertThat(ruleParameters).containsExactly("in_proj_weight", "out_proj.weight");
	}

	@Test
	void rngsListsTheCommonsMathAndCommonsRngGenerators() {
		JsonNode body = ok("/api/v1/rngs");
		assertThat(body.propertyNames()).containsExactly("rngs");
		List<String> commonsMath = new ArrayList<>();
		List<String> commonsRng = new ArrayList<>();
		for (JsonNode rng : body.get("rngs")) {
			assertThat(rng.propertyNames()).containsExactlyInAnyOrder("name", "family", "description");
			assertThat(rng.get("description").asString()).isNotBlank();
			String family = rng.get("family").asString();
			assertThat(family).isIn("commons-math3", "commons-rng", "numpy");
			if (family.equals("commons-math3")) {
				commonsMath.add(rng.get("name").asString());
			}
			else if (family.equals("commons-rng")) {
				commonsRng.add(rng.get("name").asString());
			}
		}
		assertThat(commonsMath).contains("mt19937", "well19937c", "well44497b", "well512a", "isaac");
		assertThat(commonsRng).contains("xoshiro256pp", "l64x128mix", "splitmix64");
	}

	@Test
	void leakyReluWithoutParamUsesPytorchsSlope() {
		JsonNode body = ok("/api/v1/gains?nonlinearity=leaky_relu");
		assertThat(body.get("nonlinearity").asString()).isEqualTo("leaky_relu");
		assertThat(body.get("param").asDouble()).isEqualTo(0.01);
		// calculate_gain('leaky_relu') = sqrt(2 / (1 + 0.01^2))
		assertThat(body.get("gain").asDouble()).isEqualTo(Math.sqrt(2.0 / 1.0001));
		assertThat(body.get("method").asString()).isEqualTo("table");
		assertThat(body.propertyNames()).contains("quadrature_gain");
	}

	@Test
	void leakyReluEchoesTheParamItUsed() {
		JsonNode body = ok("/api/v1/gains?nonlinearity=leaky_relu&param=0.2");
		assertThat(body.get("param").asDouble()).isEqualTo(0.2);
		assertThat(body.get("gain").asDouble()).isEqualTo(Math.sqrt(2.0 / (1 + 0.2 * 0.2)));
	}

	@Test
	void computedGainsForActivationsThePytorchTableLacks() {
		JsonNode gelu = ok("/api/v1/gains?nonlinearity=gelu");
		assertThat(gelu.get("method").asString()).isEqualTo("quadrature");
		assertThat(gelu.get("gain").asDouble()).isEqualTo(gelu.get("quadrature_gain").asDouble());
		assertThat(gelu.get("gain").asDouble()).isBetween(1.5, 1.8);
		JsonNode tanh = ok("/api/v1/gains?nonlinearity=tanh");
		// both numbers, both methods named: the table's 5/3 and the computed ~1.59
		assertThat(tanh.get("method").asString()).isEqualTo("table");
		assertThat(tanh.get("gain").asDouble()).isEqualTo(5.0 / 3);
		assertThat(tanh.get("quadrature_gain").asDouble()).isBetween(1.58, 1.60);
		JsonNode relu = ok("/api/v1/gains?nonlinearity=relu");
		assertThat(relu.get("quadrature_gain").asDouble()).isCloseTo(Math.sqrt(2),
				org.assertj.core.api.Assertions.within(1e-12));
		JsonNode elu = ok("/api/v1/gains?nonlinearity=elu&param=0.5");
		assertThat(elu.get("param").asDouble()).isEqualTo(0.5);
	}

	@Test
	void tableGainsWithoutAParamEchoNull() {
		assertThat(ok("/api/v1/gains?nonlinearity=tanh").get("gain").asDouble()).isEqualTo(5.0 / 3);
		assertThat(ok("/api/v1/gains?nonlinearity=relu").get("gain").asDouble()).isEqualTo(Math.sqrt(2));
		assertThat(ok("/api/v1/gains?nonlinearity=selu").get("gain").asDouble()).isEqualTo(0.75);
		JsonNode sigmoid = ok("/api/v1/gains?nonlinearity=sigmoid");
		assertThat(sigmoid.get("gain").asDouble()).isEqualTo(1.0);
		assertThat(sigmoid.get("param").isNull()).isTrue();
	}

	@Test
	void unknownNonlinearityIsA400ListingTheAllowedOnes() {
		JsonNode p = invalid("/api/v1/gains?nonlinearity=relu6", "nonlinearity");
		assertThat(message(p)).contains("'relu6'")
			.contains("linear, identity, conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, "
					+ "conv_transpose3d, sigmoid, tanh, relu, leaky_relu, selu");
	}

	@Test
	void missingNonlinearityIsA400() {
		JsonNode p = invalid("/api/v1/gains", "nonlinearity");
		assertThat(message(p)).contains("missing");
	}

	@ParameterizedTest(name = "param={0}")
	@ValueSource(strings = { "abc", "0.2x" })
	void nonNumericParamIsA400(String param) {
		JsonNode p = invalid("/api/v1/gains?nonlinearity=leaky_relu&param=" + param, "param");
		assertThat(message(p)).contains("'" + param + "'").contains("a number");
	}

	@ParameterizedTest(name = "param={0}")
	@ValueSource(strings = { "NaN", "Infinity" })
	void nonFiniteParamIsA400(String param) {
		JsonNode p = invalid("/api/v1/gains?nonlinearity=leaky_relu&param=" + param, "param");
		assertThat(message(p)).contains("finite");
	}

	@Test
	void architecturesListEachWithConfigAndRules() {
		JsonNode body = ok("/api/v1/architectures");
		assertThat(body.propertyNames()).containsExactly("architectures");
		List<String> names = new ArrayList<>();
		for (JsonNode a : body.get("architectures")) {
			names.add(a.get("name").asString());
			assertThat(a.get("name").asString()).startsWith(a.get("library").asString() + "/");
			assertThat(a.get("library_version").asString()).isNotBlank();
			assertThat(a.get("config").size()).isPositive();
			for (JsonNode f : a.get("config")) {
				assertThat(f.propertyNames()).contains("name", "type", "default", "nullable", "ignored");
			}
			assertThat(a.get("rules").size()).isPositive();
			for (JsonNode r : a.get("rules")) {
				assertThat(r.propertyNames()).containsExactlyInAnyOrder("match", "rule");
			}
		}
		assertThat(names).contains("transformers/GPT2LMHeadModel", "nanogpt/GPT");
		JsonNode gpt2 = ok("/api/v1/architectures/transformers/GPT2LMHeadModel");
		assertThat(gpt2.get("library_version").asString()).isEqualTo("5.18.0");
		JsonNode nInner = null;
		for (JsonNode f : gpt2.get("config")) {
			if (f.get("name").asString().equals("n_inner")) {
				nInner = f;
			}
		}
		// GPT2Config's None default shows as null, not as a missing field
		assertThat(nInner.get("default").isNull()).isTrue();
		assertThat(nInner.get("type").asString()).isEqualTo("integer");
		assertThat(gpt2.get("rules").toString())
			.contains("GPT2 residual projection: normal(0, initializer_range/sqrt(2*n_layer))");
	}

	@Test
	void unknownArchitectureIsA404ListingTheNames() {
		JsonNode p = problem(this.mvc.get().uri("/api/v1/architectures/transformers/GPT3").exchange(),
				HttpStatus.NOT_FOUND, "https://initlab.dev/problems/not-found", "Not Found");
		assertThat(p.get("detail").asString()).contains("'transformers/GPT3'").contains("nanogpt/GPT");
	}

	@Test
	void recipesListFormulaPaperParametersAndWhereEachApplies() {
		JsonNode body = ok("/api/v1/recipes");
		List<String> names = new ArrayList<>();
		for (JsonNode r : body.get("recipes")) {
			names.add(r.get("name").asString());
			assertThat(r.propertyNames()).contains("formula", "paper", "reference", "parameters", "architectures",
					"stacks");
			assertThat(r.get("paper").asString()).matches(".*(19|20)\\d\\d.*");
			assertThat(r.get("architectures").size() + r.get("stacks").size()).isPositive();
		}
		assertThat(names).contains("scaled_residual", "deepnorm", "t_fixup", "fixup", "mup", "skipinit");
		JsonNode deepnorm = ok("/api/v1/recipes/deepnorm");
		assertThat(deepnorm.get("formula").asString()).contains("(8N)^(-1/4)", "0.87");
		assertThat(deepnorm.get("reference").asString()).contains("1.15");
		assertThat(deepnorm.get("architectures").toString()).contains("transformers/GPT2LMHeadModel")
			.doesNotContain("torchvision/resnet18");
		JsonNode scaled = ok("/api/v1/recipes/scaled_residual");
		assertThat(scaled.get("parameters").get(0).get("name").asString()).isEqualTo("factor");
		assertThat(scaled.get("parameters").get(0).get("default").asDouble()).isEqualTo(2.0);
		JsonNode gpt2 = ok("/api/v1/architectures/transformers/GPT2LMHeadModel");
		assertThat(gpt2.get("parts").toString()).contains("transformer.h.*.mlp.c_proj.weight", "ffn_out",
				"\"residual_output\":true");
		JsonNode p = problem(this.mvc.get().uri("/api/v1/recipes/deepnet").exchange(), HttpStatus.NOT_FOUND,
				"https://initlab.dev/problems/not-found", "Not Found");
		assertThat(p.get("detail").asString()).contains("deepnorm");
	}

	@Test
	void catalogsAreReadOnly() {
		MvcTestResult result = this.mvc.post().uri("/api/v1/schemes").exchange();
		JsonNode p = problem(result, HttpStatus.METHOD_NOT_ALLOWED, "about:blank", "Method Not Allowed");
		assertThat(p.get("detail").asString()).contains("'POST'").contains("GET");
	}

	private JsonNode ok(String uri) {
		MvcTestResult result = this.mvc.get().uri(uri).exchange();
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		return JSON.readTree(new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8));
	}

	private JsonNode invalid(String uri, String field) {
		JsonNode p = problem(this.mvc.get().uri(uri).exchange(), HttpStatus.BAD_REQUEST,
				"https://initlab.dev/problems/invalid-request", "Invalid request");
		assertThat(p.get("errors").size()).isEqualTo(1);
		assertThat(p.get("errors").get(0).get("field").asString()).isEqualTo(field);
		assertThat(p.get("detail").asString()).isEqualTo(field + ": " + message(p));
		return p;
	}

	private static JsonNode problem(MvcTestResult result, HttpStatus status, String type, String title) {
		assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		String raw = new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
		InitializationControllerTests.assertNoInternals(raw);
		JsonNode p = JSON.readTree(raw);
		assertThat(p.get("status").asInt()).isEqualTo(status.value());
		assertThat(p.get("type").asString()).isEqualTo(type);
		assertThat(p.get("title").asString()).isEqualTo(title);
		assertThat(p.get("detail").asString()).isNotBlank();
		assertThat(p.get("instance").asString()).isEqualTo(result.getRequest().getRequestURI());
		return p;
	}

	private static String message(JsonNode problem) {
		return problem.get("errors").get(0).get("message").asString();
	}

	private static JsonNode parameter(JsonNode scheme, String name) {
		for (JsonNode p : scheme.get("parameters")) {
			if (p.get("name").asString().equals(name)) {
				return p;
			}
		}
		throw new AssertionError("no parameter " + name + " in " + scheme);
	}

}
