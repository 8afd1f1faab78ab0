package dev.initlab.access;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys on a real port, where Tomcat's error and async dispatches take part: a 401 is
 * problem details (not Tomcat's HTML page), a key's experiment streams its Server-Sent
 * Events to the end, and an unknown route with a key is the usual 404 problem.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "initlab.security.enabled=true", "initlab.security.api-keys=alice:alice-secret-0123456789" })
class AccessIntegrationTests {

	static final String KEY = "alice-secret-0123456789";

	static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(10))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	@Test
	void withoutAKeyTheAnswerIsAProblemDocument() throws Exception {
		HttpResponse<String> response = send(request("/api/v1/rngs").GET().build());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"initlab\"");
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("type").asString()).isEqualTo("https://initlab.dev/problems/unauthorized");
		assertThat(body.get("instance").asString()).isEqualTo("/api/v1/rngs");
		assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
	}

	@Test
	void probesNeedNoKey() throws Exception {
		assertThat(send(request("/actuator/health/readiness").GET().build()).statusCode()).isEqualTo(200);
		assertThat(send(request("/actuator/health/liveness").GET().build()).statusCode()).isEqualTo(200);
	}

	@Test
	void anUnknownRouteWithAKeyIsTheUsual404() throws Exception {
		HttpResponse<String> response = send(request("/api/v1/nope").header("X-API-Key", KEY).GET().build());
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(JSON.readTree(response.body()).get("instance").asString()).isEqualTo("/api/v1/nope");
	}

	@Test
	void aKeysExperimentStreamsItsEventsToTheEnd() throws Exception {
		String body = """
				{"seed": 1, "dataset": {"name": "xor"},
				 "model": {"hidden_layers": [2], "activation": "tanh"},
				 "training": {"learning_rate": 1.2, "iterations": 2000, "record_every": 500},
				 "policies": [{"label": "zeros", "init": {"preset": "zeros"}}]}
				""";
		HttpResponse<String> accepted = send(request("/api/v1/experiments").header("X-API-Key", KEY)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(accepted.statusCode()).isIn(200, 202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		HttpResponse<Stream<String>> events = this.http
			.send(request(location + "/events").header("Authorization", "Bearer " + KEY)
				.header("Accept", "text/event-stream")
				.GET()
				.build(), HttpResponse.BodyHandlers.ofLines());
		assertThat(events.statusCode()).isEqualTo(200);
		List<String> data = new ArrayList<>();
		try (Stream<String> lines = events.body()) {
			lines.filter((line) -> line.startsWith("data:")).forEach((line) -> data.add(line.substring(5).trim()));
		}
		assertThat(data).isNotEmpty();
		assertThat(JSON.readTree(data.get(data.size() - 1)).get("status").asString()).isEqualTo("succeeded");
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(60));
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
