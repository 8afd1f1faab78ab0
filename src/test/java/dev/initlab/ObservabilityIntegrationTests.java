package dev.initlab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request ids, log lines and Prometheus metrics, over real HTTP: what an operator sees of
 * a request that failed, of a job, and of the tensors served.
 * <p>
 * Every value read here is written before the response it follows is complete (JSON and
 * npz bodies end when the server finishes the request; jobs are waited for with
 * {@code Prefer: wait}), so the assertions are exact and need no waiting.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIntegrationTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	/** 10^10 elements: over the default 2^28 of initlab.generation.max-elements. */
	static final String TOO_LARGE = """
			{"seed": 1, "layers": [{"name": "big", "type": "tensor", "shape": [100000, 100000]}]}""";

	static final String EXPERIMENT = """
			{"seed": 1, "dataset": {"name": "xor"}, "model": {"hidden_layers": [2], "activation": "tanh"},
			 "training": {"learning_rate": 1.0, "iterations": 50, "record_every": 25},
			 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}""";

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Test
	void aFailedRequestsProblemAndLogLineCarryTheIdOfItsResponseHeader(CapturedOutput output) throws Exception {
		HttpResponse<String> response = post("/api/v1/initializations", TOO_LARGE);
		assertThat(response.statusCode()).isEqualTo(400);
		String id = response.headers().firstValue("X-Request-Id").orElseThrow();
		assertThat(id).matches(UUID);
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("type").asString()).endsWith("/limit-exceeded");
		assertThat(problem.get("request_id").asString()).isEqualTo(id);
		// the message says nothing of the id: the MDC puts it in the line
		assertThat(linesWith(output, id)).anySatisfy(
				(line) -> assertThat(line).contains("Rejected POST /api/v1/initializations (400, limit_exceeded)"));
	}

	@Test
	void aSafeClientIdIsKeptAndAnUnsafeOneReplaced() throws Exception {
		String mine = "notebook-7:run_3.step-12";
		HttpResponse<String> kept = send(
				HttpRequest.newBuilder(uri("/api/v1/schemes/nope")).header("X-Request-Id", mine).GET().build());
		assertThat(kept.statusCode()).isEqualTo(404);
		assertThat(kept.headers().firstValue("X-Request-Id")).hasValue(mine);
		assertThat(JSON.readTree(kept.body()).get("request_id").asString()).isEqualTo(mine);
		for (String unsafe : List.of("a b", "<script>", "x".repeat(65), "id%0d%0aforged")) {
			HttpResponse<String> replaced = send(
					HttpRequest.newBuilder(uri("/api/v1/rngs")).header("X-Request-Id", unsafe).GET().build());
			assertThat(replaced.statusCode()).isEqualTo(200);
			assertThat(replaced.headers().firstValue("X-Request-Id").orElseThrow()).as(unsafe).matches(UUID);
		}
	}

	@Test
	void aJobLogsOnItsOwnThreadWithTheIdOfTheRequestThatCreatedIt(CapturedOutput output) throws Exception {
		String id = "creator-" + System.nanoTime();
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/experiments"))
			.header("Content-Type", "application/json")
			.header("Prefer", "wait=60")
			.header("X-Request-Id", id)
			.POST(HttpRequest.BodyPublishers.ofString(EXPERIMENT))
			.build());
		assertThat(response.statusCode()).isEqualTo(200);
		String job = JSON.readTree(response.body()).get("id").asString();
		// "started" is logged by the worker thread (JobService.run), never the request's
		assertThat(linesWith(output, id))
			.anySatisfy((line) -> assertThat(line).contains("experiment-").contains("Experiment " + job + " started"))
			.anySatisfy((line) -> assertThat(line).contains("Experiment " + job + " succeeded"));
	}

	@Test
	void prometheusCountsElementsBytesJobsAndRejections() throws Exception {
		String before = metrics();
		HttpResponse<String> json = post("/api/v1/initializations", """
				{"seed": 1, "layers": [{"name": "fc", "type": "linear", "in_features": 3, "out_features": 2}]}""");
		assertThat(json.statusCode()).isEqualTo(200);
		HttpResponse<byte[]> npz = this.http.send(HttpRequest.newBuilder(uri("/api/v1/initializations?format=npz"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"seed": 1, "dtype": "float64",
					 "layers": [{"name": "t", "type": "tensor", "shape": [300, 500]}]}"""))
			.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(npz.statusCode()).isEqualTo(200);
		assertThat(post("/api/v1/initializations", TOO_LARGE).statusCode()).isEqualTo(400);
		assertThat(send(HttpRequest.newBuilder(uri("/api/v1/experiments"))
			.header("Content-Type", "application/json")
			.header("Prefer", "wait=60")
			.POST(HttpRequest.BodyPublishers.ofString(EXPERIMENT))
			.build()).statusCode()).isEqualTo(200);
		String after = metrics();

		assertThat(delta(before, after, "initlab_generation_elements_total", "format=\"json\"", "dtype=\"float32\""))
			.isEqualTo(3 * 2 + 2);
		assertThat(delta(before, after, "initlab_generation_elements_total", "format=\"npz\"", "dtype=\"float64\""))
			.isEqualTo(300 * 500);
		assertThat(delta(before, after, "initlab_generation_streamed_bytes_total", "format=\"json\""))
			.isEqualTo(json.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
		assertThat(delta(before, after, "initlab_generation_streamed_bytes_total", "format=\"npz\""))
			.isEqualTo(npz.body().length);
		assertThat(delta(before, after, "initlab_rejections_total", "reason=\"limit_exceeded\"")).isEqualTo(1);
		assertThat(delta(before, after, "initlab_rejections_total", "reason=\"queue_full\"")).isZero();
		assertThat(delta(before, after, "initlab_jobs_finished_total", "status=\"succeeded\"")).isEqualTo(1);
		assertThat(sample(after, "initlab_jobs_running")).isZero();
		assertThat(sample(after, "initlab_jobs_queued")).isZero();
		// Boot's own request timer, with latency buckets for quantiles
		assertThat(sample(after, "http_server_requests_seconds_count", "method=\"POST\"", "status=\"200\"",
				"uri=\"/api/v1/initializations\""))
			.isGreaterThanOrEqualTo(2);
		assertThat(after).contains("http_server_requests_seconds_bucket{");
	}

	/** The value of the one sample of {@code name} whose labels include all of these. */
	static double sample(String exposition, String name, String... labels) {
		List<String> found = exposition.lines()
			.filter((line) -> line.startsWith(name + "{") || line.startsWith(name + " "))
			.filter((line) -> Arrays.stream(labels).allMatch(line::contains))
			.toList();
		assertThat(found).as("samples of %s with %s", name, Arrays.toString(labels)).hasSize(1);
		String line = found.get(0);
		return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
	}

	static double delta(String before, String after, String name, String... labels) {
		return sample(after, name, labels) - sample(before, name, labels);
	}

	static List<String> linesWith(CapturedOutput output, String text) {
		return output.getAll().lines().filter((line) -> line.contains(text)).toList();
	}

	private String metrics() throws IOException, InterruptedException {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/prometheus")).GET().build());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
