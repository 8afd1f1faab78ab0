package dev.initlab.api;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caps on request bodies ({@link RequestLimits}) on a real port, at the tight limits
 * of {@code tight-limits.properties}: 64 KiB of body, nesting 16 deep, strings of 2000
 * characters, numbers of 40. At the limit a request passes; one past it, the answer names
 * the property that sets it, and says how much was asked and allowed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:dev/initlab/api/tight-limits.properties")
class RequestLimitsIntegrationTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final int MAX_BODY = 64 * 1024;

	/** A valid request: one small linear layer, stats only. */
	static final String VALID = """
			{"seed": 1, "layers": [{"name": "%s", "type": "linear", "in_features": 3, "out_features": 2}],
			 "include": ["stats"]}""";

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	// ---------------------------------------------------------------- body size

	@ParameterizedTest(name = "chunked: {0}")
	@ValueSource(booleans = { false, true })
	void aBodyOfExactlyTheLimitIsRead(boolean chunked) throws Exception {
		HttpResponse<String> response = post(padded(VALID.formatted("fc"), MAX_BODY), chunked);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	@Test
	void aDeclaredContentLengthOverTheLimitIs413() throws Exception {
		HttpResponse<String> response = post(padded(VALID.formatted("fc"), MAX_BODY + 1), false);
		JsonNode problem = problem(response, 413);
		assertThat(problem.get("detail").asString())
			.isEqualTo("The request asks for " + (MAX_BODY + 1) + " bytes of request body; the limit is " + MAX_BODY
					+ " (configuration property initlab.request.max-body-size).");
		assertThat(problem.get("property").asString()).isEqualTo("initlab.request.max-body-size");
		assertThat(problem.get("limit").asLong()).isEqualTo(MAX_BODY);
	}

	@Test
	void aChunkedBodyIsCutOffAtTheLimitWith413() throws Exception {
		HttpResponse<String> response = post(padded(VALID.formatted("fc"), 4 * MAX_BODY), true);
		JsonNode problem = problem(response, 413);
		assertThat(problem.get("detail").asString()).contains("initlab.request.max-body-size")
			.contains("the limit is " + MAX_BODY);
		assertThat(problem.get("requested").asLong()).isEqualTo(MAX_BODY + 1);
	}

	// ---------------------------------------------------------------- JSON constraints

	@Test
	void nestingAtTheLimitIsReadAndOneDeeperIs400() throws Exception {
		// the request object is level 1, "init" 2, "weight" 3; the arrays in a free-form
		// scheme parameter make up the rest
		String within = VALID.formatted("fc").replace("\"seed\": 1", "\"seed\": 1, " + initParameter(nested(13)));
		String beyond = VALID.formatted("fc").replace("\"seed\": 1", "\"seed\": 1, " + initParameter(nested(14)));
		// within the limit the parser reads it all, and the planner rejects the parameter
		JsonNode read = problem(post(within, false), 400);
		assertThat(read.get("type").asString()).endsWith("/invalid-request");
		assertThat(read.get("detail").asString()).contains("init.weight");
		JsonNode problem = problem(post(beyond, false), 400);
		assertThat(problem.get("type").asString()).endsWith("/limit-exceeded");
		assertThat(problem.get("detail").asString()).isEqualTo("The request asks for 17 levels of JSON nesting; "
				+ "the limit is 16 (configuration property initlab.request.max-nesting-depth).");
	}

	/**
	 * Jackson checks a string as its buffer fills, so the cut is not at 2001 characters
	 * but at most half as much again; twice the limit never passes.
	 */
	@Test
	void aStringAtTheLimitIsReadAndOneTwiceAsLongIs400() throws Exception {
		assertThat(post(VALID.formatted("a".repeat(2000)), false).statusCode()).isEqualTo(200);
		JsonNode problem = problem(post(VALID.formatted("a".repeat(4001)), false), 400);
		assertThat(problem.get("property").asString()).isEqualTo("initlab.request.max-string-length");
		assertThat(problem.get("detail").asString()).contains("characters in one JSON string")
			.contains("the limit is 2000");
	}

	@Test
	void aPropertyNameCountsAsAString() throws Exception {
		String body = VALID.formatted("fc").replace("\"seed\"", "\"" + "s".repeat(2001) + "\"");
		JsonNode problem = problem(post(body, false), 400);
		assertThat(problem.get("property").asString()).isEqualTo("initlab.request.max-string-length");
	}

	/** Jackson counts a number's digits: integer part, fraction and exponent. */
	@ParameterizedTest
	@CsvSource({ "1.%s, 39", "1.%se1, 38", "1%s, 39" })
	void aNumberOfFortyDigitsIsReadAndOfFortyOneIs400(String form, int zeros) throws Exception {
		String gain = "\"seed\": 1, \"init\": {\"weight\": {\"scheme\": \"xavier_uniform\", \"gain\": %s}}";
		String within = form.formatted("0".repeat(zeros));
		String beyond = form.formatted("0".repeat(zeros + 1));
		HttpResponse<String> read = post(VALID.formatted("fc").replace("\"seed\": 1", gain.formatted(within)), false);
		assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
		JsonNode problem = problem(post(VALID.formatted("fc").replace("\"seed\": 1", gain.formatted(beyond)), false),
				400);
		assertThat(problem.get("detail").asString()).isEqualTo("The request asks for 41 digits in one JSON number; "
				+ "the limit is 40 (configuration property initlab.request.max-number-length).");
	}

	@Test
	void anIntegerOneDigitTooLongIs400NotOutOfRange() throws Exception {
		JsonNode problem = problem(
				post(VALID.formatted("fc").replace("\"seed\": 1", "\"seed\": " + "9".repeat(41)), false), 400);
		assertThat(problem.get("detail").asString()).isEqualTo("The request asks for 41 digits in one JSON number; "
				+ "the limit is 40 (configuration property initlab.request.max-number-length).");
	}

	// ---------------------------------------------------------------- helpers

	private static String initParameter(String value) {
		return "\"init\": {\"weight\": {\"scheme\": \"zeros\", \"extra\": " + value + "}}";
	}

	private static String nested(int depth) {
		return "[".repeat(depth) + "]".repeat(depth);
	}

	/** The JSON followed by spaces up to {@code size} bytes: valid, just long. */
	private static byte[] padded(String json, int size) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		byte[] out = Arrays.copyOf(bytes, size);
		Arrays.fill(out, bytes.length, size, (byte) ' ');
		return out;
	}

	private HttpResponse<String> post(String json, boolean chunked) throws Exception {
		return post(json.getBytes(StandardCharsets.UTF_8), chunked);
	}

	private HttpResponse<String> post(byte[] body, boolean chunked) throws Exception {
		HttpRequest.BodyPublisher publisher = chunked
				? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
				: HttpRequest.BodyPublishers.ofByteArray(body);
		return this.http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/initializations"))
				.header("Content-Type", "application/json")
				.POST(publisher)
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode problem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/initializations");
		return problem;
	}

}
