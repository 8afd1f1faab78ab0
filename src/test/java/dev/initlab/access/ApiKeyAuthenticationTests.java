package dev.initlab.access;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application with API keys and CORS on: 401 problem details without a valid
 * key, the probes and the API description open, each key seeing only its own experiments,
 * and browser preflights answered before authentication.
 */
@SpringBootTest(properties = { "initlab.security.enabled=true",
		"initlab.security.api-keys=alice:alice-secret-0123456789,bob:bob-secret-9876543210,bare-secret-42",
		"initlab.cors.allowed-origins=https://notebooks.example.org", "initlab.jobs.workers=1" })
@AutoConfigureMockMvc
class ApiKeyAuthenticationTests {

	static final String ALICE = "alice-secret-0123456789";

	static final String BOB = "bob-secret-9876543210";

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String EXPERIMENT = """
			{"seed": 1, "dataset": {"name": "xor"},
			 "model": {"hidden_layers": [2], "activation": "tanh"},
			 "training": {"learning_rate": 1.2, "iterations": 20, "record_every": 10},
			 "policies": [{"label": "zeros", "init": {"preset": "zeros"}}]}
			""";

	@Autowired
	MockMvcTester mvc;

	@Test
	void withoutAKeyTheApiAnswers401ProblemDetails() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/schemes").exchange();
		assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"initlab\"");
		JsonNode body = json(result);
		assertThat(body.get("type").asString()).isEqualTo("https://initlab.dev/problems/unauthorized");
		assertThat(body.get("title").asString()).isEqualTo("Unauthorized");
		assertThat(body.get("status").asInt()).isEqualTo(401);
		assertThat(body.get("detail").asString()).contains("X-API-Key", "Authorization: Bearer",
				"initlab.security.enabled");
		assertThat(body.get("instance").asString()).isEqualTo("/api/v1/schemes");
	}

	@Test
	void aBrowserAskingForHtmlGetsTheProblemDocumentNotALoginPage() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/schemes").accept(MediaType.TEXT_HTML).exchange();
		assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.doesNotContainHeader(HttpHeaders.LOCATION);
		assertThat(json(result).get("status").asInt()).isEqualTo(401);
	}

	@Test
	void aWrongKeyIs401InvalidTokenAndIsNotEchoed() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/schemes").header("X-API-Key", "guessed-" + ALICE).exchange();
		assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer realm=\"initlab\"")
			.contains("error=\"invalid_token\"");
		JsonNode body = json(result);
		assertThat(body.get("type").asString()).isEqualTo("https://initlab.dev/problems/unauthorized");
		assertThat(body.get("detail").asString()).contains("initlab.security.api-keys");
		assertThat(body.toString()).doesNotContain(ALICE);
	}

	@Test
	void aPostWithoutAKeyIs401Too() {
		MvcTestResult result = this.mvc.post()
			.uri("/api/v1/experiments")
			.contentType(MediaType.APPLICATION_JSON)
			.content(EXPERIMENT)
			.exchange();
		assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void aKeyGetsInByEitherHeader() {
		assertThat(this.mvc.get().uri("/api/v1/schemes").header("X-API-Key", ALICE).exchange())
			.hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri("/api/v1/schemes").header("Authorization", "Bearer " + BOB).exchange())
			.hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri("/api/v1/schemes").header("Authorization", "bearer bare-secret-42").exchange())
			.hasStatus(HttpStatus.OK);
		// another scheme is not a key
		assertThat(this.mvc.get().uri("/api/v1/schemes").header("Authorization", "Basic " + ALICE).exchange())
			.hasStatus(HttpStatus.UNAUTHORIZED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
			"/actuator/info", "/v3/api-docs" })
	void probesAndTheApiDescriptionNeedNoKey(String path) {
		assertThat(this.mvc.get().uri(path).exchange()).hasStatus(HttpStatus.OK);
	}

	@Test
	void swaggerUiNeedsNoKey() {
		assertThat(this.mvc.get().uri("/swagger-ui.html").exchange()).hasStatus(HttpStatus.FOUND);
		assertThat(this.mvc.get().uri("/swagger-ui/index.html").exchange()).hasStatus(HttpStatus.OK);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/index.html", "/lab.js", "/lab.css", "/webjars/chart.js/dist/chart.umd.js" })
	void theLabPageAndItsAssetsNeedNoKey(String path) {
		// the page holds no data; what it asks of /api/** carries the key its user types
		assertThat(this.mvc.get().uri(path).exchange()).hasStatus(HttpStatus.OK);
	}

	@Test
	void whatTheLabPageCallsStillNeedsAKey() {
		assertThat(this.mvc.get().uri("/api/v1/experiments/anything/events").exchange())
			.hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(this.mvc.get().uri("/lab.js/../api/v1/schemes").exchange()).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(this.mvc.get().uri("/webjars/../api/v1/schemes").exchange()).hasStatus(HttpStatus.BAD_REQUEST);
	}

	@Test
	void prometheusAndEverythingElseNeedAKey() {
		assertThat(this.mvc.get().uri("/actuator/prometheus").exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(this.mvc.get().uri("/actuator").exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(this.mvc.get().uri("/actuator/env").exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
		// with a key, what is not exposed is still not there
		assertThat(this.mvc.get().uri("/actuator/env").header("X-API-Key", ALICE).exchange())
			.hasStatus(HttpStatus.NOT_FOUND);
		assertThat(this.mvc.get().uri("/actuator/beans").header("X-API-Key", ALICE).exchange())
			.hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void theOpenApiDocumentDeclaresTheKeySoSwaggerUiOffersAuthorize() {
		JsonNode doc = json(this.mvc.get().uri("/v3/api-docs").exchange());
		JsonNode scheme = doc.get("components").get("securitySchemes").get("api_key");
		assertThat(scheme.get("type").asString()).isEqualTo("apiKey");
		assertThat(scheme.get("in").asString()).isEqualTo("header");
		assertThat(scheme.get("name").asString()).isEqualTo("X-API-Key");
		assertThat(doc.get("security").toString()).isEqualTo("[{\"api_key\":[]}]");
	}

	@Test
	void anExperimentIsVisibleOnlyToTheKeyThatCreatedIt() {
		MvcTestResult created = this.mvc.post()
			.uri("/api/v1/experiments")
			.header("X-API-Key", ALICE)
			.header("Prefer", "wait=60")
			.contentType(MediaType.APPLICATION_JSON)
			.content(EXPERIMENT)
			.exchange();
		assertThat(created).hasStatus(HttpStatus.OK);
		String location = created.getResponse().getHeader(HttpHeaders.LOCATION);
		String id = json(created).get("id").asString();
		assertThat(this.mvc.get().uri(location).header("X-API-Key", ALICE).exchange()).hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri(location + "/plots/loss.svg").header("X-API-Key", ALICE).exchange())
			.hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri(location + "/plots/boundary.svg").header("X-API-Key", ALICE).exchange())
			.hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri(location + "/boundary").header("X-API-Key", ALICE).exchange())
			.hasStatus(HttpStatus.OK);

		// to bob it does not exist: the same 404 as an id that never did
		JsonNode missing = json(
				this.mvc.get().uri("/api/v1/experiments/no-such-id").header("X-API-Key", BOB).exchange());
		for (MvcTestResult other : new MvcTestResult[] {
				this.mvc.get().uri(location).header("X-API-Key", BOB).exchange(),
				this.mvc.get().uri(location + "/events").header("X-API-Key", BOB).exchange(),
				this.mvc.get().uri(location + "/plots/loss.svg").header("X-API-Key", BOB).exchange(),
				this.mvc.get().uri(location + "/plots/boundary.svg").header("X-API-Key", BOB).exchange(),
				this.mvc.get().uri(location + "/boundary").header("X-API-Key", BOB).exchange(),
				this.mvc.delete().uri(location).header("X-API-Key", BOB).exchange(),
				this.mvc.get().uri(location).header("Authorization", "Bearer bare-secret-42").exchange() }) {
			assertThat(other).hasStatus(HttpStatus.NOT_FOUND).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
			JsonNode body = json(other);
			assertThat(body.get("type")).isEqualTo(missing.get("type"));
			assertThat(body.get("detail").asString())
				.isEqualTo(missing.get("detail").asString().replace("no-such-id", id));
		}
		// and bob's attempt to cancel it did nothing
		JsonNode after = json(this.mvc.get().uri(location).header("X-API-Key", ALICE).exchange());
		assertThat(after.get("status").asString()).isEqualTo("succeeded");
	}

	@Test
	void aPreflightFromAnAllowedOriginIsAnsweredWithoutAKey() {
		MvcTestResult result = this.mvc.options()
			.uri("/api/v1/experiments")
			.header(HttpHeaders.ORIGIN, "https://notebooks.example.org")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type, x-api-key, prefer")
			.exchange();
		assertThat(result).hasStatus(HttpStatus.OK)
			.hasHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://notebooks.example.org");
		assertThat(result.getResponse().getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS)).contains("POST");
		assertThat(result.getResponse().getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS))
			.containsIgnoringCase("x-api-key");
	}

	@Test
	void anAllowedOriginCanReadTheResponseAndItsLocation() {
		MvcTestResult result = this.mvc.get()
			.uri("/api/v1/schemes")
			.header(HttpHeaders.ORIGIN, "https://notebooks.example.org")
			.header("X-API-Key", ALICE)
			.exchange();
		assertThat(result).hasStatus(HttpStatus.OK)
			.hasHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://notebooks.example.org");
		assertThat(result.getResponse().getHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS)).contains("Location",
				"Retry-After");
	}

	@Test
	void aPreflightFromAnotherOriginIsRefused() {
		MvcTestResult result = this.mvc.options()
			.uri("/api/v1/experiments")
			.header(HttpHeaders.ORIGIN, "https://evil.example.com")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.exchange();
		assertThat(result).hasStatus(HttpStatus.FORBIDDEN)
			.doesNotContainHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
	}

	@Test
	void corsCoversTheApiOnly() {
		MvcTestResult result = this.mvc.options()
			.uri("/actuator/health")
			.header(HttpHeaders.ORIGIN, "https://notebooks.example.org")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
			.exchange();
		assertThat(result).doesNotContainHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
	}

	private static JsonNode json(MvcTestResult result) {
		return JSON.readTree(new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8));
	}

}
