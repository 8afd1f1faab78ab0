package dev.initlab.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.initlab.admission.Admission;
import dev.initlab.api.HostileRequests.Probe;
import dev.initlab.generation.GenerationExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Property-based hostile input on a real port: {@link HostileRequests} throws thousands
 * of random and mutated requests at every endpoint, and every answer must be a 2xx, or a
 * 4xx with an RFC 9457 problem body whose {@code status} matches: never a 5xx, never a
 * hang, never a dropped connection. Afterwards the server still serves valid requests.
 * <p>
 * The server runs with tight limits ({@code tight-limits.properties}), so a random
 * request that happens to be valid costs milliseconds. Case count and seed are system
 * properties: {@code -Dinitlab.fuzz.cases=100000 -Dinitlab.fuzz.seed=1}; a failure names
 * its seed and case, which give the same request again
 * ({@code -Dinitlab.fuzz.first=N -Dinitlab.fuzz.cases=1}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:dev/initlab/api/tight-limits.properties")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIntegrationTests {

	static final long SEED = Long.getLong("initlab.fuzz.seed", 20260607L);

	static final int CASES = Integer.getInteger("initlab.fuzz.cases", 3000);

	/**
	 * The first case: {@code -Dinitlab.fuzz.first=N -Dinitlab.fuzz.cases=1} replays case
	 * N.
	 */
	static final long FIRST = Long.getLong("initlab.fuzz.first", 0);

	static final JsonMapper JSON = JsonMapper.builder().build();

	final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	/**
	 * Ids of experiments the server has, for reads with {@link HostileRequests#KNOWN_ID}.
	 */
	final List<String> knownIds = new CopyOnWriteArrayList<>();

	/** How the cases were answered: endpoint and status, counted; printed at the end. */
	final Map<String, LongAdder> outcomes = new ConcurrentSkipListMap<>();

	@LocalServerPort
	int port;

	@Autowired
	RequestLimits limits;

	@Autowired
	GenerationExecutor generation;

	@Autowired
	Admission admission;

	static LongStream cases() {
		return LongStream.range(FIRST, FIRST + CASES);
	}

	@BeforeAll
	void createAnExperimentToRead() throws Exception {
		HttpResponse<byte[]> created = send("POST", "/api/v1/experiments", "application/json",
				HostileRequests.validBodies().get("/api/v1/experiments"), false, null);
		assertThat(created.statusCode()).isIn(200, 202);
		this.knownIds.add(JSON.readTree(created.body()).get("id").asString());
	}

	@Order(1)
	@ParameterizedTest(name = "case {0}")
	@MethodSource("cases")
	void neverAServerError(long index) throws Exception {
		Probe probe = HostileRequests.probe(SEED, index, this.limits);
		String path = probe.path()
			.replace(HostileRequests.KNOWN_ID, this.knownIds.get((int) (index % this.knownIds.size())));
		String replay = "seed " + SEED + ", case " + index + ": " + probe;
		HttpResponse<byte[]> response;
		try {
			response = send(probe.method(), path, probe.contentType(), probe.body(), probe.chunked(), probe.accept());
		}
		catch (IOException ex) {
			throw new AssertionError("no answer (" + ex + ") to " + replay, ex);
		}
		int status = response.statusCode();
		this.outcomes.computeIfAbsent(endpoint(probe) + " " + status, (k) -> new LongAdder()).increment();
		assertThat(status).as("status of %s", replay).isBetween(200, 499);
		if (status >= 400) {
			assertIsProblem(response, replay);
		}
		else if (probe.path().startsWith("/api/v1/experiments") && probe.method().equals("POST")) {
			this.knownIds.add(JSON.readTree(response.body()).get("id").asString());
		}
	}

	@Order(2)
	@Test
	void validRequestsStillSucceedAfterwards() throws Exception {
		for (var valid : HostileRequests.validBodies().entrySet()) {
			HttpResponse<byte[]> response = send("POST", valid.getKey(), "application/json", valid.getValue(), false,
					null);
			assertThat(response.statusCode()).as(valid.getKey()).isIn(200, 202);
		}
		HttpResponse<byte[]> npy = send("POST", "/api/v1/initializations?format=npy&tensor=fc1.weight",
				"application/json", Examples.INITIALIZATION.getBytes(StandardCharsets.UTF_8), true, null);
		assertThat(npy.statusCode()).isEqualTo(200);
		assertThat(npy.body()).hasSize(128 + 3 * 4 * 4);
		for (String catalog : List.of("/api/v1/schemes", "/api/v1/presets", "/api/v1/rngs")) {
			assertThat(send("GET", catalog, null, null, false, null).statusCode()).as(catalog).isEqualTo(200);
		}
		// and nothing is left behind: no stream, no block on the pool, no admission
		// permit
		// (the minute only turns a leak into a failure instead of a hang)
		await("no stream, block or admission permit left").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(10))
			.dontCatchUncaughtExceptions()
			.until(() -> this.generation.activeStreams() == 0 && this.generation.pendingBlocks() == 0
					&& this.admission.inFlight() == 0);
	}

	@AfterAll
	void printOutcomes() {
		StringBuilder out = new StringBuilder("Hostile input: " + CASES + " cases, seed " + SEED + "\n");
		this.outcomes.forEach((k, v) -> out.append(String.format("  %-40s %7d%n", k, v.sum())));
		System.out.print(out);
	}

	/** {@code POST /api/v1/experiments}, with ids and queries left out. */
	private static String endpoint(Probe probe) {
		String path = probe.path().replaceFirst("\\?.*", "");
		String[] parts = path.split("/");
		String shown = (parts.length > 3) ? "/" + parts[1] + "/" + parts[2] + "/" + parts[3] : path;
		if (parts.length > 4 && shown.endsWith("experiments")) {
			shown += "/{id}" + ((parts.length <= 5) ? ""
					: List.of("events", "plots").contains(parts[5]) ? "/" + parts[5] : "/{other}");
		}
		else if (parts.length > 4) {
			shown += "/{name}";
		}
		return probe.method() + " " + shown;
	}

	private void assertIsProblem(HttpResponse<byte[]> response, String replay) {
		String type = response.headers().firstValue("Content-Type").orElse("");
		String body = new String(response.body(), StandardCharsets.UTF_8);
		assertThat(type).as("Content-Type of %s answered %s", replay, body).startsWith("application/problem+json");
		JsonNode problem;
		try {
			problem = JSON.readTree(body);
		}
		catch (RuntimeException ex) {
			fail("not JSON: " + body + " in answer to " + replay, ex);
			return;
		}
		assertThat(problem.path("status").asInt()).as("status in %s", body).isEqualTo(response.statusCode());
		assertThat(problem.path("type").asString("")).as("type in %s", body).isNotEmpty();
		assertThat(problem.path("title").asString("")).as("title in %s", body).isNotEmpty();
		assertThat(body).as("answer to %s", replay).doesNotContain("\tat ", "Exception:");
	}

	private HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body, boolean chunked,
			String accept) throws IOException, InterruptedException {
		HttpRequest.BodyPublisher publisher = (body == null) ? HttpRequest.BodyPublishers.noBody()
				: chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
						: HttpRequest.BodyPublishers.ofByteArray(body);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(60))
			.method(method, publisher);
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		if (accept != null) {
			request.header("Accept", accept);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

}
