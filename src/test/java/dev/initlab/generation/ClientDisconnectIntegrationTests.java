package dev.initlab.generation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.initlab.admission.Admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A client that goes away in the middle of a 1 GiB download (a notebook interrupted, a
 * killed process) frees what its response held: the stream is closed, the blocks drawn
 * ahead on the generation pool are cancelled or finish and are dropped, its admission
 * permit is returned, no error is logged, and the next download is whole. On a real port
 * with a raw socket, so the disconnect is a real TCP reset in the middle of Tomcat's
 * write.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
// the aborted downloads stay in the context's metrics (as 200s with an IOException):
// later
// test classes get a context of their own
@DirtiesContext
class ClientDisconnectIntegrationTests {

	/** 2^28 float32 values: 1 GiB, far more than any socket buffer holds. */
	static final String ONE_GIB = """
			{"seed": 1, "layers": [{"name": "big", "type": "tensor", "shape": [16384, 16384], "role": "weight"}]}""";

	static final int READ_BEFORE_LEAVING = 8 << 20;

	/**
	 * Waits for what must come true: the minute only turns a leak into a failure instead
	 * of a hang (no assertion on how long it took).
	 */
	static final ConditionFactory EVENTUALLY = Awaitility.await()
		.atMost(Duration.ofMinutes(1))
		.pollInterval(Duration.ofMillis(10))
		.dontCatchUncaughtExceptions();

	@LocalServerPort
	int port;

	@Autowired
	GenerationExecutor generation;

	@Autowired
	Admission admission;

	@ParameterizedTest
	@ValueSource(strings = { "safetensors", "npy", "npz" })
	void aClientThatDisconnectsMidStreamFreesItsResources(String format, CapturedOutput output) throws Exception {
		long logged = output.getOut().length();
		try (Socket socket = new Socket("localhost", this.port)) {
			byte[] body = ONE_GIB.getBytes(StandardCharsets.UTF_8);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/v1/initializations?format=" + format + " HTTP/1.1\r\nHost: localhost\r\n"
					+ "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			InputStream in = socket.getInputStream();
			String head = readHead(in);
			assertThat(head).startsWith("HTTP/1.1 200");
			long read = 0;
			byte[] buffer = new byte[64 << 10];
			while (read < READ_BEFORE_LEAVING) {
				int n = in.read(buffer);
				assertThat(n).as("the response ended after %d bytes", read).isPositive();
				read += n;
			}
			// 8 MiB of 1 GiB read: the server is mid-stream, blocked on the socket,
			// holding its stream and its admission permit
			assertThat(this.generation.activeStreams()).isEqualTo(1);
			assertThat(this.admission.inFlight()).isPositive();
			// leave abruptly: RST, as a killed process does
			socket.setSoLinger(true, 0);
		}

		EVENTUALLY.alias("the stream is closed, the pool idle and the admission permit returned")
			.until(() -> this.generation.activeStreams() == 0 && this.generation.pendingBlocks() == 0
					&& this.admission.inFlight() == 0);
		String log = output.getOut().substring((int) logged);
		assertThat(log).doesNotContain("Unexpected error", "OutOfMemoryError");

		// and the next client gets a whole file
		HttpResponse<byte[]> next = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/initializations?format=" + format))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(ONE_GIB.replace("16384, 16384", "256, 256")))
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(next.statusCode()).isEqualTo(200);
		assertThat(next.body().length).isGreaterThan(256 * 256 * 4);
		next.headers()
			.firstValueAsLong("Content-Length")
			.ifPresent((length) -> assertThat(next.body()).hasSize((int) length));
		EVENTUALLY.alias("the pool is idle after a whole download").until(this.generation::activeStreams, equalTo(0));
	}

	/** The status line and headers, up to the blank line. */
	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			assertThat(b).as("the connection closed in the headers").isNotNegative();
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

}
