package dev.initlab.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.initlab.plots.SvgDocuments;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision boundary of an experiment's trained networks on a real port: zeros vs He
 * on the circles, as the lab page asks for them, and every way of asking wrongly.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ExperimentBoundaryIntegrationTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String CIRCLES = """
			{"seed": 3, "dataset": {"name": "circles", "n_samples": 300},
			 "model": {"hidden_layers": [8], "activation": "tanh"},
			 "training": {"learning_rate": 1.0, "iterations": 2000, "record_every": 500},
			 "policies": [{"label": "zeros", "init": {"preset": "zeros"}},
			              {"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}}}]}
			""";

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Test
	void zerosPredictsOneConstantEverywhereAndHeSeparatesTheCircles() throws Exception {
		String location = finished(CIRCLES);
		JsonNode experiment = JSON.readTree(get(location).body());
		HttpResponse<String> zerosResponse = get(location + "/boundary?policy=zeros&resolution=40");
		assertThat(zerosResponse.statusCode()).isEqualTo(200);
		JsonNode zeros = JSON.readTree(zerosResponse.body());
		assertThat(zeros.propertyNames()).containsExactlyInAnyOrder("policy", "resolution", "output", "classes",
				"iteration", "train_accuracy", "x", "y", "probability", "prediction", "points");
		assertThat(zeros.get("policy").asString()).isEqualTo("zeros");
		assertThat(zeros.get("resolution").asInt()).isEqualTo(40);
		assertThat(zeros.get("output").asString()).isEqualTo("sigmoid");
		assertThat(zeros.get("classes").asInt()).isEqualTo(2);
		assertThat(zeros.get("iteration").asInt()).isEqualTo(2000);
		assertThat(zeros.get("x")).hasSize(40);
		assertThat(zeros.get("y")).hasSize(40);
		assertThat(zeros.get("probability")).hasSize(40);
		// zero weights get zero gradients (dZ1 = W2ᵀ dZ2 = 0, dW2 = dZ2 A1ᵀ with A1 =
		// tanh(0) = 0), and on balanced labels db2 = mean(0.5 - y) = 0: the network
		// stays the zero function, P(1) = σ(0) = 0.5 at every point of the plane, and
		// 0.5 is class 0
		for (JsonNode row : zeros.get("probability")) {
			assertThat(row).hasSize(40);
			for (JsonNode p : row) {
				assertThat(p.asDouble()).isEqualTo(0.5);
			}
		}
		for (JsonNode row : zeros.get("prediction")) {
			for (JsonNode c : row) {
				assertThat(c.asInt()).isZero();
			}
		}
		assertThat(zeros.get("points").get("x")).hasSize(300);
		assertThat(zeros.get("points").get("label")).hasSize(300);
		assertThat(zeros.get("train_accuracy").asDouble()).isEqualTo(0.5)
			.isEqualTo(experiment.get("results").get(0).get("final").get("train_accuracy").asDouble());
		// the plane is the points' box widened by 1 on each side
		double xMin = Double.POSITIVE_INFINITY;
		double xMax = Double.NEGATIVE_INFINITY;
		for (JsonNode point : zeros.get("points").get("x")) {
			xMin = Math.min(xMin, point.get(0).asDouble());
			xMax = Math.max(xMax, point.get(0).asDouble());
		}
		assertThat(zeros.get("x").get(0).asDouble()).isEqualTo(xMin - 1);
		assertThat(zeros.get("x").get(39).asDouble()).isEqualTo(xMax + 1);

		JsonNode he = JSON.readTree(get(location + "/boundary?policy=he").body());
		assertThat(he.get("resolution").asInt()).isEqualTo(100);
		assertThat(he.get("train_accuracy").asDouble())
			.isEqualTo(experiment.get("results").get(1).get("final").get("train_accuracy").asDouble())
			.isGreaterThan(0.9);
		boolean[] classes = new boolean[2];
		for (JsonNode row : he.get("prediction")) {
			for (JsonNode c : row) {
				classes[c.asInt()] = true;
			}
		}
		assertThat(classes).containsExactly(true, true);

		HttpResponse<String> svg = get(location + "/plots/boundary.svg?policy=he");
		assertThat(svg.statusCode()).isEqualTo(200);
		assertThat(svg.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
		assertThat(svg.body().length()).isLessThan(300_000);
		Document document = SvgDocuments.parse(svg.body());
		assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
		assertThat(document.getDocumentElement().getTextContent()).contains("he: train accuracy")
			.contains("after 2000 iterations");
		assertThat(document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "circle").getLength()).isEqualTo(300);
	}

	@Test
	void wrongQueriesAreProblemsNamingTheFieldAndTheProperty() throws Exception {
		String location = finished(CIRCLES.replace("\"iterations\": 2000", "\"iterations\": 10"));
		for (String route : new String[] { "/boundary", "/plots/boundary.svg" }) {
			JsonNode unknown = problem(location + route + "?policy=xavier", 400, "invalid-request");
			assertThat(unknown.get("errors").get(0).get("field").asString()).isEqualTo("policy");
			assertThat(unknown.get("errors").get(0).get("message").asString()).contains("'xavier'")
				.contains("allowed: zeros, he");
			JsonNode missing = problem(location + route, 400, "invalid-request");
			assertThat(missing.get("errors").get(0).get("message").asString()).contains("allowed: zeros, he");
			JsonNode small = problem(location + route + "?policy=he&resolution=1", 400, "invalid-request");
			assertThat(small.get("errors").get(0).get("field").asString()).isEqualTo("resolution");
			assertThat(small.get("detail").asString()).contains("initlab.experiments.max-boundary-resolution");
			JsonNode large = problem(location + route + "?policy=he&resolution=401", 400, "limit-exceeded");
			assertThat(large.get("property").asString()).isEqualTo("initlab.experiments.max-boundary-resolution");
			assertThat(large.get("limit").asInt()).isEqualTo(400);
			problem(location + route + "?policy=he&resolution=many", 400, "invalid-request");
			JsonNode none = problem("/api/v1/experiments/no-such-id" + route + "?policy=he", 404, "not-found");
			assertThat(none.get("detail").asString()).contains("no-such-id");
		}
		// one policy: policy may be left out
		String one = finished(CIRCLES.replace("\"iterations\": 2000", "\"iterations\": 10")
			.replaceFirst("\\{\"label\": \"zeros\", \"init\": \\{\"preset\": \"zeros\"}},\\s*", ""));
		assertThat(JSON.readTree(get(one + "/boundary?resolution=2").body()).get("policy").asString()).isEqualTo("he");
	}

	@Test
	void aRunningJobAnswers409UntilItHasEndedAndThenShowsWhereItStopped() throws Exception {
		String location = created(CIRCLES.replace("\"iterations\": 2000, \"record_every\": 500",
				"\"iterations\": 100000, \"record_every\": 1000"), false);
		try {
			JsonNode running = problem(location + "/boundary?policy=he", 409, "experiment-not-finished");
			assertThat(running.get("status").asString()).isIn("queued", "running");
			assertThat(running.get("detail").asString()).contains("status event");
			problem(location + "/plots/boundary.svg?policy=he", 409, "experiment-not-finished");
		}
		finally {
			HttpResponse<String> cancelled = send(HttpRequest.newBuilder(uri(location)).DELETE().build());
			assertThat(JSON.readTree(cancelled.body()).get("status").asString()).isEqualTo("cancelled");
		}
		// cancelled: the networks as they were when training stopped
		JsonNode he = JSON.readTree(get(location + "/boundary?policy=he&resolution=3").body());
		assertThat(he.get("iteration").asInt()).isLessThan(100000);
		assertThat(get(location + "/plots/boundary.svg?policy=zeros").statusCode()).isEqualTo(200);
	}

	@Test
	void dataOfThreeFeaturesHaveNoPlaneToDraw() throws Exception {
		String location = finished("""
				{"seed": 1, "dataset": {"name": "inline", "x": [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 1, 1]],
				                        "y": [0, 1, 1, 0]},
				 "training": {"iterations": 10},
				 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}
				""");
		for (String route : new String[] { "/boundary", "/plots/boundary.svg" }) {
			JsonNode problem = problem(location + route, 409, "input-not-2d");
			assertThat(problem.get("detail").asString()).contains("two input features").contains("have 3");
		}
	}

	private String finished(String body) throws IOException, InterruptedException {
		return created(body, true);
	}

	private String created(String body, boolean wait) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/v1/experiments"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (wait) {
			request.header("Prefer", "wait=60");
		}
		HttpResponse<String> response = send(request.build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(wait ? 200 : 202);
		return response.headers().firstValue("Location").orElseThrow();
	}

	private JsonNode problem(String path, int status, String type) throws IOException, InterruptedException {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("type").asString()).isEqualTo("https://initlab.dev/problems/" + type);
		return body;
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
