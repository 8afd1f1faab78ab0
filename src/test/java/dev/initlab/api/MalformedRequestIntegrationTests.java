package dev.initlab.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that go wrong outside the controllers, each first found by the hostile-input
 * tests and each answered as a problem now: a path Tomcat rejects before any servlet sees
 * it (was Tomcat's HTML page), a query string Tomcat cannot split (was a 500), and an
 * {@code Accept} that matches no problem type or cannot be parsed (was an empty body, or
 * plain JSON).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class MalformedRequestIntegrationTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/experiments/a%2Fb", "/api/v1/experiments/a%5Cb", "/api/v1/experiments/a%00b",
			"/api/v1/schemes/..%2F..%2Fetc%2Fpasswd" })
	void aPathTomcatRejectsIsAProblem(String path) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
		JsonNode problem = problem(response, 400);
		assertThat(problem.get("detail").asString()).contains("before it reached initlab");
		assertThat(problem.get("instance").asString()).isEqualTo(path);
	}

	/**
	 * Paths Spring Security's firewall turns away with {@code sendError(400)}: they went
	 * to Boot's error controller, whose body is not a problem.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/experiments/%25FF", "/api/v1/experiments/%2e%2e", "/api/v1/schemes;x=1",
			"/api/v1/schemes/a%2Eb", "/api/v1//schemes" })
	void aPathTheFirewallRejectsIsAProblem(String path) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
		JsonNode problem = problem(response, 400);
		assertThat(problem.get("detail").asString()).contains("before it reached initlab");
	}

	@ParameterizedTest
	@ValueSource(strings = { "?nonlinearity=relu&=x", "?nonlinearity=relu&&=&param=1", "?=" })
	void aQueryStringTomcatCannotSplitIs400(String query) throws Exception {
		JsonNode problem = problem(send(HttpRequest.newBuilder(uri("/api/v1/gains" + query)).GET()), 400);
		assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("query");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "garbage;;q=x|406", "application/x-npy|406", "text/html|406",
			"image/svg+xml|406", "application/problem+json|406", "application/json|404", "*/*|404" })
	void everyProblemIsProblemJsonWhateverTheAccept(String accept, int status) throws Exception {
		// an unknown experiment: 404 where JSON is acceptable, else 406
		problem(send(HttpRequest.newBuilder(uri("/api/v1/experiments/nope")).header("Accept", accept).GET()), status);
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage;;q=x", "application/x-npy", "text/html", "application/json" })
	void aBadRequestToABinaryEndpointIsProblemJsonWhateverTheAccept(String accept) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/initializations?format=npy"))
			.header("Content-Type", "application/json")
			.header("Accept", accept)
			.POST(HttpRequest.BodyPublishers.ofString("{\"layers\": []}")));
		assertThat(response.statusCode()).isBetween(400, 499);
		problem(response, response.statusCode());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode problem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).as(response.body())
			.hasValue("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("type").asString()).isNotEmpty();
		assertThat(problem.get("title").asString()).isNotEmpty();
		return problem;
	}

}
