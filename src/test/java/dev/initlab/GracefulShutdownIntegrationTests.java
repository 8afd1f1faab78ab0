package dev.initlab;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Shutdown, as a container's SIGTERM starts it: the application's own context on a real
 * port, closed while a 256 MiB download and an experiment with a Server-Sent Events
 * subscriber are in flight. The download finishes whole (graceful shutdown waits for it,
 * within {@code spring.lifecycle.timeout-per-shutdown-phase}) while new connections are
 * refused; the experiment ends as {@code cancelled} and its subscriber is told so before
 * its stream closes. No timed assertions: each wait is for a condition.
 */
class GracefulShutdownIntegrationTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Waits for what must come true: the minute only turns a hang into a failure (no
	 * assertion on how long it took).
	 */
	static final ConditionFactory EVENTUALLY = Awaitility.await()
		.atMost(Duration.ofMinutes(1))
		.pollInterval(Duration.ofMillis(20))
		.dontCatchUncaughtExceptions();

	/** 2^26 float32 values: 256 MiB, far more than the socket buffers in between. */
	static final String DOWNLOAD = """
			{"seed": 1, "layers": [{"name": "big", "type": "tensor", "shape": [8192, 8192], "role": "weight"}]}""";

	static final String LONG_EXPERIMENT = """
			{"seed": 1, "dataset": {"name": "planar_flower", "n_samples": 400}, "model": {"hidden_layers": [8]},
			 "training": {"iterations": 100000, "record_every": 100},
			 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}""";

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void inFlightRequestsFinishAndJobsEndCancelled() throws Exception {
		this.context = new SpringApplicationBuilder(InitlabApplication.class)
			.properties("initlab.jobs.workers=1", "spring.main.banner-mode=off")
			// a command-line argument, which outranks application.properties' 8080 (a
			// default
			// property would not): a server already on 8080 must not fail this test
			.run("--server.port=0");
		int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();

		// an experiment, and a subscriber to its events
		HttpResponse<String> created = this.http.send(post(port, "/api/v1/experiments", LONG_EXPERIMENT),
				HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).isEqualTo(202);
		String location = created.headers().firstValue("Location").orElseThrow();
		HttpResponse<Stream<String>> events = this.http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + location + "/events"))
				.header("Accept", "text/event-stream")
				.build(), HttpResponse.BodyHandlers.ofLines());
		List<String> received = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> subscriber = CompletableFuture
			.runAsync(() -> events.body().filter((line) -> line.startsWith("data:")).forEach(received::add));
		EVENTUALLY.alias("the experiment is running").until(() -> status(received), equalTo("running"));

		// a download, a first MiB of it read
		HttpResponse<InputStream> download = this.http.send(
				post(port, "/api/v1/initializations?format=safetensors", DOWNLOAD),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(download.statusCode()).isEqualTo(200);
		long length = download.headers().firstValueAsLong("Content-Length").orElseThrow();
		InputStream body = download.body();
		long read = body.readNBytes(1 << 20).length;

		CompletableFuture<Void> shutdown = CompletableFuture.runAsync(this.context::close);

		EVENTUALLY.alias("new connections are refused").until(() -> refusesConnections(port));
		// the download in flight is served to its last byte
		byte[] buffer = new byte[1 << 16];
		for (int n; (n = body.read(buffer)) >= 0;) {
			read += n;
		}
		assertThat(read).isEqualTo(length);
		// the subscriber heard the end of the experiment before its stream closed
		subscriber.get(1, TimeUnit.MINUTES);
		JsonNode last = JSON.readTree(received.get(received.size() - 1).substring("data:".length()));
		assertThat(last.get("status").asString()).isEqualTo("cancelled");
		assertThat(last.get("error").asString()).isEqualTo("the server shut down");
		shutdown.get(1, TimeUnit.MINUTES);
		assertThat(this.context.isActive()).isFalse();
	}

	private static HttpRequest post(int port, String path, String json) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
	}

	/** The status in the latest event that carries one, or "". */
	private static String status(List<String> data) {
		for (int i = data.size() - 1; i >= 0; i--) {
			JsonNode event = JSON.readTree(data.get(i).substring("data:".length()));
			if (event.has("status")) {
				return event.get("status").asString();
			}
		}
		return "";
	}

	private static boolean refusesConnections(int port) {
		try (Socket socket = new Socket("localhost", port)) {
			return false;
		}
		catch (ConnectException ex) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
