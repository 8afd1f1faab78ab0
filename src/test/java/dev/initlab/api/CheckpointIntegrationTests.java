package dev.initlab.api;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoints on a real port (Tomcat's HEAD, Content-Length and Range handling, not the
 * mock's): every file of a sharded GPT-2 downloads whole and as the concatenation of
 * ranges from its end backwards, HEAD gives each file's size and tag without a body, and
 * a range past the end is 416.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class CheckpointIntegrationTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Test
	void everyFileDownloadsWholeAndByRanges() throws Exception {
		HttpResponse<String> created = this.http.send(HttpRequest.newBuilder(uri("/api/v1/checkpoints"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"seed": 3, "model": {"architecture": "transformers/GPT2LMHeadModel",
					 "config": {"n_layer": 2, "n_embd": 64, "n_head": 4, "vocab_size": 3000, "n_positions": 128}},
					 "max_shard_size": "300KB"}"""))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode body = JSON.readTree(created.body());
		assertThat(created.headers().firstValue("Location"))
			.hasValue(body.get("files").get(body.get("files").size() - 1).get("url").asString());
		for (JsonNode file : body.get("files")) {
			URI url = URI.create(file.get("url").asString());
			long size = file.get("size").asLong();
			HttpResponse<byte[]> whole = this.http.send(HttpRequest.newBuilder(url).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(whole.statusCode()).isEqualTo(200);
			assertThat(whole.body()).hasSize((int) size);
			assertThat(whole.headers().firstValue("Content-Length")).hasValue(Long.toString(size));
			String etag = whole.headers().firstValue("ETag").orElseThrow();

			HttpResponse<byte[]> head = this.http.send(
					HttpRequest.newBuilder(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(head.statusCode()).isEqualTo(200);
			assertThat(head.body()).isEmpty();
			assertThat(head.headers().firstValue("Content-Length")).hasValue(Long.toString(size));
			assertThat(head.headers().firstValue("ETag")).hasValue(etag);
			assertThat(head.headers().firstValue("Accept-Ranges")).hasValue("bytes");

			// from the end backwards, in ranges of 100,003 bytes, with If-Range
			byte[][] parts = new byte[(int) ((size + 100_002) / 100_003)][];
			for (int k = parts.length - 1; k >= 0; k--) {
				long from = k * 100_003L;
				long to = Math.min(size, from + 100_003) - 1;
				HttpResponse<byte[]> part = this.http.send(HttpRequest.newBuilder(url)
					.header("Range", "bytes=" + from + "-" + to)
					.header("If-Range", etag)
					.build(), HttpResponse.BodyHandlers.ofByteArray());
				assertThat(part.statusCode()).isEqualTo(206);
				assertThat(part.headers().firstValue("Content-Range"))
					.hasValue("bytes " + from + "-" + to + "/" + size);
				parts[k] = part.body();
			}
			ByteArrayOutputStream joined = new ByteArrayOutputStream();
			for (byte[] part : parts) {
				joined.write(part);
			}
			assertThat(Arrays.equals(joined.toByteArray(), whole.body())).as(file.get("name").asString()).isTrue();

			HttpResponse<String> beyond = this.http.send(
					HttpRequest.newBuilder(url).header("Range", "bytes=" + size + "-").build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(beyond.statusCode()).isEqualTo(416);
			assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
			assertThat(beyond.headers().firstValue("Content-Type")).hasValue("application/problem+json");

			HttpResponse<byte[]> notModified = this.http.send(
					HttpRequest.newBuilder(url).header("If-None-Match", etag).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(notModified.statusCode()).isEqualTo(304);
			assertThat(notModified.body()).isEmpty();
		}
	}

	URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
