package dev.initlab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application on a real port, spoken to over real HTTP: operations endpoints,
 * the documented example, the OpenAPI document and the error bodies Spring MVC produces
 * outside our controllers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class InitlabIntegrationTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** The request of docs/API.md section 1, verbatim. */
	static final String API_EXAMPLE = """
			{
			  "seed": 42,
			  "rng": "xoshiro256pp",
			  "dtype": "float32",
			  "layout": "pytorch",
			  "seeding": "per_tensor",
			  "init": {
			    "weight": {"scheme": "kaiming_normal", "mode": "fan_in", "nonlinearity": "relu"},
			    "bias":   {"scheme": "zeros"}
			  },
			  "layers": [
			    {"name": "fc1", "type": "linear", "in_features": 784, "out_features": 256, "activation": "relu"},
			    {"name": "out", "type": "linear", "in_features": 256, "out_features": 10,
			     "init": {"weight": {"scheme": "xavier_uniform"}}}
			  ],
			  "include": ["stats", "data"]
			}
			""";

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(10))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	@Test
	void healthIsUpWithLivenessAndReadinessGroups() throws Exception {
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(health.body());
		assertThat(body.get("status").asString()).isEqualTo("UP");
		assertThat(body.get("groups").toString()).contains("liveness", "readiness");
		for (String group : new String[] { "liveness", "readiness" }) {
			HttpResponse<String> probe = get("/actuator/health/" + group);
			assertThat(probe.statusCode()).as(group).isEqualTo(200);
			assertThat(JSON.readTree(probe.body()).get("status").asString()).as(group).isEqualTo("UP");
		}
	}

	@Test
	void theApiExampleGivesFourTensors() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/initializations"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(API_EXAMPLE))
			.build());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("seed").asLong()).isEqualTo(42);
		assertThat(body.get("parameter_count").asLong()).isEqualTo(203530);
		JsonNode tensors = body.get("tensors");
		assertThat(tensors.size()).isEqualTo(4);
		assertThat(tensors.get(0).get("name").asString()).isEqualTo("fc1.weight");
		assertThat(tensors.get(0).get("data").size()).isEqualTo(256);
		assertThat(tensors.get(0).get("data").get(0).size()).isEqualTo(784);
		assertThat(tensors.get(3).get("name").asString()).isEqualTo("out.bias");
	}

	@Test
	void openApiDocumentIsJsonWithSnakeCaseProperties() throws Exception {
		HttpResponse<String> response = get("/v3/api-docs");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode doc = JSON.readTree(response.body());
		assertThat(doc.get("openapi").asString()).startsWith("3.");
		assertThat(doc.get("paths").propertyNames()).contains("/api/v1/initializations", "/api/v1/schemes",
				"/api/v1/schemes/{name}", "/api/v1/presets", "/api/v1/rngs", "/api/v1/gains");
		String schemas = doc.get("components").get("schemas").toString();
		assertThat(schemas).contains("\"in_features\"", "\"out_channels\"", "\"kernel_size\"", "\"parameter_count\"")
			.doesNotContain("\"inFeatures\"", "\"kernelSize\"", "\"parameterCount\"");
		// per-layer overrides and LSUV: the schema and a runnable example for each
		// operation that takes them
		assertThat(doc.get("components").get("schemas").get("LayerOverride").get("properties").propertyNames())
			.containsExactlyInAnyOrder("layers", "init");
		assertThat(schemas).contains("\"lsuv_iterations\"");
		assertThat(doc.at("/paths/~1api~1v1~1propagation/post/requestBody/content/application~1json/examples")
			.propertyNames()).contains("he_vs_xavier", "overrides_and_lsuv", "residual");
		// residual stacks in propagation (API.md section 8): the block's schema
		assertThat(doc.get("components").get("schemas").get("BlockSpec").get("properties").propertyNames())
			.containsExactlyInAnyOrder("type", "branch_layers", "norm", "alpha");
		assertThat(doc.at("/paths/~1api~1v1~1experiments/post/requestBody/content/application~1json/examples")
			.propertyNames()).contains("lecture", "lsuv");
		// a runnable example per architecture family (docs/ARCHITECTURES.md)
		assertThat(doc.at("/paths/~1api~1v1~1initializations/post/requestBody/content/application~1json/examples")
			.propertyNames()).contains("gpt2", "nanogpt", "llama", "bert_mlm", "t5", "resnet18", "vit");
		// admission control's 503 is documented where it can happen, beside the 200
		for (String path : new String[] { "/~1api~1v1~1initializations/post", "/~1api~1v1~1propagation/post" }) {
			assertThat(doc.at("/paths" + path + "/responses").propertyNames()).as(path).contains("200", "400", "503");
		}
	}

	/**
	 * The OpenAPI document holds the contract's operations (docs/API.md sections 1-4, and
	 * the architecture catalog of section 6) and nothing else: no {@code /error} (the
	 * container's error dispatch, ErrorDispatchController, under every method), no
	 * actuator endpoint.
	 */
	@Test
	void openApiDocumentListsExactlyTheContractsOperations() throws Exception {
		HttpResponse<String> response = get("/v3/api-docs");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode paths = JSON.readTree(response.body()).get("paths");
		java.util.List<String> operations = new java.util.ArrayList<>();
		for (String path : paths.propertyNames()) {
			for (String method : paths.get(path).propertyNames()) {
				if (java.util.Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace")
					.contains(method)) {
					operations.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path);
				}
			}
		}
		assertThat(operations).containsExactlyInAnyOrder("POST /api/v1/initializations", "GET /api/v1/schemes",
				"GET /api/v1/schemes/{name}", "GET /api/v1/presets", "GET /api/v1/rngs", "GET /api/v1/gains",
				"GET /api/v1/architectures", "GET /api/v1/architectures/{library}/{name}", "GET /api/v1/recipes",
				"GET /api/v1/recipes/{name}", "POST /api/v1/experiments", "GET /api/v1/experiments/{id}",
				"DELETE /api/v1/experiments/{id}", "GET /api/v1/experiments/{id}/events",
				"GET /api/v1/experiments/{id}/plots/{kind}.svg", "GET /api/v1/experiments/{id}/plots/boundary.svg",
				"GET /api/v1/experiments/{id}/boundary", "POST /api/v1/propagation", "POST /api/v1/checkpoints",
				"GET /api/v1/checkpoints/{id}/{file}", "HEAD /api/v1/checkpoints/{id}/{file}");
	}

	@Test
	void swaggerUiRedirectsToTheUi() throws Exception {
		HttpResponse<String> redirect = get("/swagger-ui.html");
		assertThat(redirect.statusCode()).isBetween(300, 399);
		String location = redirect.headers().firstValue("Location").orElseThrow();
		HttpResponse<String> ui = send(HttpRequest.newBuilder(uri("/swagger-ui.html").resolve(location)).GET().build());
		assertThat(ui.statusCode()).isEqualTo(200);
		assertThat(ui.body()).containsIgnoringCase("swagger");
	}

	@Test
	void unknownRouteIsAProblemDocument() throws Exception {
		HttpResponse<String> response = get("/api/v1/nope");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
				{"type": "about:blank", "title": "Not Found", "status": 404,
				 "detail": "No static resource api/v1/nope.", "instance": "/api/v1/nope", "request_id": "%s"}
				""".formatted(response.headers().firstValue("X-Request-Id").orElseThrow())));
	}

	@Test
	void wrongMethodIsAProblemDocument() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/schemes")).DELETE().build());
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("GET");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
				{"type": "about:blank", "title": "Method Not Allowed", "status": 405,
				 "detail": "Method 'DELETE' is not supported. Supported: GET.", "instance": "/api/v1/schemes",
				 "request_id": "%s"}
				""".formatted(response.headers().firstValue("X-Request-Id").orElseThrow())));
	}

	@Test
	void experimentProgressStreamsAsServerSentEventsUntilItSucceeds() throws Exception {
		String body = """
				{"seed": 1, "dataset": {"name": "xor"},
				 "model": {"hidden_layers": [2], "activation": "tanh"},
				 "training": {"learning_rate": 1.2, "iterations": 20000, "record_every": 1000},
				 "policies": [{"label": "zeros", "init": {"preset": "zeros"}},
				              {"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}
				""";
		HttpResponse<String> accepted = send(HttpRequest.newBuilder(uri("/api/v1/experiments"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(accepted.statusCode()).isIn(200, 202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		HttpResponse<java.util.stream.Stream<String>> events = this.http.send(
				HttpRequest.newBuilder(uri(location + "/events")).header("Accept", "text/event-stream").GET().build(),
				HttpResponse.BodyHandlers.ofLines());
		assertThat(events.statusCode()).isEqualTo(200);
		assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
		java.util.List<String> names = new java.util.ArrayList<>();
		String lastData = null;
		try (java.util.stream.Stream<String> lines = events.body()) {
			for (String line : (Iterable<String>) lines::iterator) {
				if (line.startsWith("event:")) {
					names.add(line.substring(6).trim());
				}
				else if (line.startsWith("data:")) {
					lastData = line.substring(5).trim();
				}
			}
		}
		// the stream ends when the job does: a status first, records, a final status
		assertThat(names.get(0)).isEqualTo("status");
		assertThat(names.get(names.size() - 1)).isEqualTo("status");
		assertThat(JSON.readTree(lastData).get("status").asString()).isEqualTo("succeeded");
		JsonNode done = JSON.readTree(get(location).body());
		assertThat(done.get("results").get(0).get("verdict").asString()).contains("symmetry was never broken");
		HttpResponse<String> plot = get(location + "/plots/loss.svg");
		assertThat(plot.statusCode()).isEqualTo(200);
		assertThat(plot.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
		assertThat(plot.body()).contains("<svg").contains("zeros").contains("he");
	}

	@Test
	void propagationShowsXavierVanishingAndHeStableInJsonAndSvg() throws Exception {
		String body = """
				{"seed": 0, "depth": 30, "width": 128, "activation": "relu", "batch_size": 128,
				 "policies": [{"label": "xavier", "init": {"weight": {"scheme": "xavier_normal"}, "bias": {"scheme": "zeros"}}},
				              {"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}}}]}
				""";
		HttpResponse<String> json = send(HttpRequest.newBuilder(uri("/api/v1/propagation"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(json.statusCode()).isEqualTo(200);
		JsonNode results = JSON.readTree(json.body()).get("results");
		assertThat(results.get(0).get("verdict").asString()).isEqualTo("vanishing");
		assertThat(results.get(1).get("verdict").asString()).isEqualTo("stable");
		assertThat(results.get(0).get("layers")).hasSize(30);
		assertThat(results.get(0).get("layers").get(0).propertyNames()).contains("layer", "preactivation_std",
				"activation_mean", "activation_std", "saturation_fraction", "dead_fraction", "gradient_std");
		HttpResponse<String> svg = send(HttpRequest.newBuilder(uri("/api/v1/propagation?format=svg"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(svg.statusCode()).isEqualTo(200);
		assertThat(svg.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
		assertThat(svg.body()).contains("<svg").contains("xavier").contains("he");
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).GET().build());
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
