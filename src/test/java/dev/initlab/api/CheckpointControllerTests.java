package dev.initlab.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.initlab.admission.Admission;
import dev.initlab.admission.AdmissionProperties;
import dev.initlab.checkpoints.CheckpointProperties;
import dev.initlab.checkpoints.Checkpoints;
import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/checkpoints} through the MVC slice: the id, the files, and the HTTP
 * semantics of RFC 9110 (Range → 206, unsatisfiable → 416, If-None-Match → 304, If-Range,
 * HEAD) as the wire sees them. Every range is compared with the same bytes of the whole
 * file.
 */
@WebMvcTest(CheckpointController.class)
@Import({ Checkpoints.class, CheckpointRequestPlanner.class, CheckpointSliceConverter.class, Planner.class,
		GenerationExecutor.class, ProblemDetailsAdvice.class, Admission.class })
@EnableConfigurationProperties({ GenerationLimits.class, AdmissionProperties.class, CheckpointProperties.class })
@TestPropertySource(properties = "initlab.checkpoints.max-id-length=600")
class CheckpointControllerTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String GPT2 = """
			{"seed": 7, "model": {"architecture": "transformers/GPT2LMHeadModel",
			 "config": {"n_layer": 2, "n_embd": 64, "n_head": 4, "vocab_size": 1000, "n_positions": 128}},
			 "max_shard_size": "100KB"}""";

	static final String MLP = """
			{"seed": 42, "layers": [{"name": "fc1", "type": "linear", "in_features": 300, "out_features": 200},
			                        {"name": "out", "type": "linear", "in_features": 200, "out_features": 10}]}""";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	Admission admission;

	@Test
	void postAnswers201WithTheIdTheFilesAndTheIndex() {
		MvcTestResult result = create(GPT2);
		assertThat(result).hasStatus(HttpStatus.CREATED).hasContentType(MediaType.APPLICATION_JSON);
		JsonNode body = read(result);
		assertThat(body.get("index").asString()).isEqualTo("model.safetensors.index.json");
		assertThat(body.get("files")).hasSize(8);
		assertThat(body.get("files").get(0).get("name").asString()).isEqualTo("model-00001-of-00007.safetensors");
		assertThat(body.get("files").get(0).get("url").asString()).isEqualTo("http://localhost/api/v1/checkpoints/"
				+ body.get("id").asString() + "/model-00001-of-00007.safetensors");
		assertThat(result.getResponse().getHeader(HttpHeaders.LOCATION)).endsWith("/model.safetensors.index.json");
		// one file: no index
		JsonNode single = read(create(MLP));
		assertThat(single.get("index").isNull()).isTrue();
		assertThat(single.get("files")).hasSize(1);
		assertThat(single.get("files").get(0).get("name").asString()).isEqualTo("model.safetensors");
		assertThat(single.get("files").get(0).get("size").asLong()).isEqualTo(getFile(single, 0).length);
	}

	@Test
	void theSameRequestGivesTheSameIdHoweverItIsWrittenAndADrawnSeedIsInTheId() {
		String a = read(create(MLP)).get("id").asString();
		String b = read(create("""
				{"layers": [{"out_features": 200, "in_features": 300, "type": "linear", "name": "fc1"},
				            {"name": "out", "type": "linear", "in_features": 200, "out_features": 10}],
				 "max_shard_size": 5000000000, "seed": 42, "include": ["stats"]}""")).get("id").asString();
		assertThat(b).isEqualTo(a);
		JsonNode drawn = read(create(MLP.replace("\"seed\": 42, ", "")));
		assertThat(drawn.get("id").asString()).isNotEqualTo(a);
		// the drawn seed is pinned: two GETs give the same bytes
		assertThat(getFile(drawn, 0)).isEqualTo(getFile(drawn, 0));
	}

	@Test
	void rangesFollowRfc9110() {
		JsonNode body = read(create(GPT2));
		String url = path(body, 1);
		byte[] full = get(url, null).getResponse().getContentAsByteArray();
		MvcTestResult whole = get(url, null);
		assertThat(whole).hasStatusOk()
			.hasHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
			.hasHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(full.length))
			.hasContentType("application/x-safetensors");
		String etag = whole.getResponse().getHeader(HttpHeaders.ETAG);
		assertThat(etag).matches("\"[0-9a-f]{32}\"");

		MvcTestResult part = get(url, "bytes=10-109");
		assertThat(part).hasStatus(HttpStatus.PARTIAL_CONTENT)
			.hasHeader(HttpHeaders.CONTENT_RANGE, "bytes 10-109/" + full.length)
			.hasHeader(HttpHeaders.CONTENT_LENGTH, "100")
			.hasHeader(HttpHeaders.ETAG, etag);
		assertThat(part.getResponse().getContentAsByteArray()).isEqualTo(Arrays.copyOfRange(full, 10, 110));
		assertThat(get(url, "bytes=-5").getResponse().getContentAsByteArray())
			.isEqualTo(Arrays.copyOfRange(full, full.length - 5, full.length));
		assertThat(get(url, "bytes=" + (full.length - 3) + "-").getResponse().getHeader(HttpHeaders.CONTENT_RANGE))
			.isEqualTo("bytes " + (full.length - 3) + "-" + (full.length - 1) + "/" + full.length);
		// a last byte beyond the end is cut to the end
		assertThat(get(url, "bytes=0-999999999").getResponse().getContentAsByteArray()).isEqualTo(full);

		MvcTestResult beyond = get(url, "bytes=" + full.length + "-");
		assertThat(beyond).hasStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
			.hasHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + full.length)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(get(url, "bytes=-0")).hasStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
		// several ranges, another unit, nonsense: ignored, the whole file
		for (String ignored : new String[] { "bytes=0-1,5-9", "items=0-1", "bytes=5-2", "bytes=a-b" }) {
			MvcTestResult r = get(url, ignored);
			assertThat(r).as(ignored).hasStatusOk();
			assertThat(r.getResponse().getContentAsByteArray()).as(ignored).isEqualTo(full);
		}
	}

	@Test
	void conditionalRequests() {
		JsonNode body = read(create(GPT2));
		String url = path(body, 2);
		MvcTestResult whole = get(url, null);
		String etag = whole.getResponse().getHeader(HttpHeaders.ETAG);
		byte[] full = whole.getResponse().getContentAsByteArray();

		MvcTestResult notModified = this.mvc.get().uri(url).header(HttpHeaders.IF_NONE_MATCH, etag).exchange();
		assertThat(notModified).hasStatus(HttpStatus.NOT_MODIFIED).hasHeader(HttpHeaders.ETAG, etag);
		assertThat(notModified.getResponse().getContentAsByteArray()).isEmpty();
		assertThat(this.mvc.get().uri(url).header(HttpHeaders.IF_NONE_MATCH, "\"other\", W/" + etag))
			.hasStatus(HttpStatus.NOT_MODIFIED);
		assertThat(this.mvc.get().uri(url).header(HttpHeaders.IF_NONE_MATCH, "*")).hasStatus(HttpStatus.NOT_MODIFIED);
		assertThat(this.mvc.get().uri(url).header(HttpHeaders.IF_NONE_MATCH, "\"other\"")).hasStatusOk();

		// If-Range with the ETag: the range; with another validator: the whole file
		MvcTestResult honoured = this.mvc.get()
			.uri(url)
			.header(HttpHeaders.RANGE, "bytes=0-9")
			.header(HttpHeaders.IF_RANGE, etag)
			.exchange();
		assertThat(honoured).hasStatus(HttpStatus.PARTIAL_CONTENT);
		for (String other : new String[] { "\"stale\"", "W/" + etag, "Sat, 05 Dec 2026 10:00:00 GMT" }) {
			MvcTestResult r = this.mvc.get()
				.uri(url)
				.header(HttpHeaders.RANGE, "bytes=0-9")
				.header(HttpHeaders.IF_RANGE, other)
				.exchange();
			assertThat(r).as(other).hasStatusOk();
			assertThat(r.getResponse().getContentAsByteArray()).as(other).isEqualTo(full);
		}
		// even an unsatisfiable range: If-Range fails first, so 200
		assertThat(this.mvc.get()
			.uri(url)
			.header(HttpHeaders.RANGE, "bytes=" + full.length + "-")
			.header(HttpHeaders.IF_RANGE, "\"stale\"")).hasStatusOk();

		// another file of the same checkpoint has another tag
		assertThat(get(path(body, 3), null).getResponse().getHeader(HttpHeaders.ETAG)).isNotEqualTo(etag);
	}

	@Test
	void headGivesTheHeadersOfTheWholeFileAndNoBody() {
		JsonNode body = read(create(GPT2));
		String url = path(body, 0);
		MvcTestResult whole = get(url, null);
		MvcTestResult head = this.mvc.head().uri(url).header(HttpHeaders.RANGE, "bytes=0-9").exchange();
		assertThat(head).hasStatusOk()
			.hasHeader(HttpHeaders.CONTENT_LENGTH, whole.getResponse().getHeader(HttpHeaders.CONTENT_LENGTH))
			.hasHeader(HttpHeaders.ETAG, whole.getResponse().getHeader(HttpHeaders.ETAG))
			.hasHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
			.hasContentType("application/x-safetensors");
		assertThat(head.getResponse().getContentAsByteArray()).isEmpty();
		assertThat(this.mvc.head().uri(url).header(HttpHeaders.IF_NONE_MATCH, whole.getResponse().getHeader("ETag")))
			.hasStatus(HttpStatus.NOT_MODIFIED);
	}

	@Test
	void theIndexIsJsonAndAnUnknownFileIs404NamingTheFiles() {
		JsonNode body = read(create(GPT2));
		MvcTestResult index = get(path(body, 7), null);
		assertThat(index).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		JsonNode json = read(index);
		assertThat(json.get("weight_map").get("transformer.wte.weight").asString())
			.isEqualTo("model-00001-of-00007.safetensors");
		assertThat(json.get("weight_map").has("lm_head.weight")).isFalse();

		MvcTestResult missing = get("/api/v1/checkpoints/" + body.get("id").asString() + "/model.safetensors", null);
		assertThat(missing).hasStatus(HttpStatus.NOT_FOUND).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(read(missing).get("detail").asString()).contains("model-00001-of-00007.safetensors",
				"model.safetensors.index.json");
	}

	@Test
	void aTamperedIdIs400AndATooLongOneNamesTheProperty() {
		String id = read(create(GPT2)).get("id").asString();
		for (int i = 0; i < id.length(); i += 7) {
			char c = id.charAt(i);
			String tampered = id.substring(0, i) + ((c == 'A') ? 'B' : 'A') + id.substring(i + 1);
			MvcTestResult r = get("/api/v1/checkpoints/" + tampered + "/model.safetensors.index.json", null);
			assertThat(r).as("char %d", i).hasStatus(HttpStatus.BAD_REQUEST);
			assertThat(read(r).get("detail").asString()).as("char %d", i).contains("invalid checkpoint id");
		}
		MvcTestResult cut = get("/api/v1/checkpoints/" + id.substring(0, id.length() - 1) + "/x", null);
		assertThat(cut).hasStatus(HttpStatus.BAD_REQUEST);

		MvcTestResult tooLong = get("/api/v1/checkpoints/" + "A".repeat(601) + "/model.safetensors", null);
		assertThat(tooLong).hasStatus(HttpStatus.URI_TOO_LONG);
		assertThat(read(tooLong).get("detail").asString()).contains("initlab.checkpoints.max-id-length");
		// a request whose id would pass the cap: 400 at POST, naming the property
		StringBuilder layers = new StringBuilder();
		for (int i = 0; i < 60; i++) {
			layers.append((i > 0) ? "," : "")
				.append("{\"name\": \"layer_with_a_long_name_%d_%d\", \"type\": \"linear\", \"in_features\": %d, \"out_features\": 3}"
					.formatted(i, i * 7919 % 1000, 1 + i));
		}
		MvcTestResult big = create("{\"seed\": 1, \"layers\": [" + layers + "]}");
		assertThat(big).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(read(big).get("detail").asString()).contains("initlab.checkpoints.max-id-length");
	}

	@Test
	void invalidRequestsAre400NamingTheField() {
		assertThat(read(create(MLP.replace("\"seed\": 42", "\"seed\": 42, \"seeding\": \"sequential\""))).get("detail")
			.asString()).contains("seeding", "per_tensor");
		assertThat(read(create(MLP.replace("\"seed\": 42", "\"seed\": 42, \"max_shard_size\": \"5XB\""))).get("detail")
			.asString()).contains("max_shard_size");
		MvcTestResult unknown = create(MLP.replace("\"seed\": 42", "\"seed\": 42, \"colour\": 1"));
		assertThat(unknown).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(read(unknown).toString()).contains("colour");
		MvcTestResult badLayer = create(
				"{\"seed\": 1, \"layers\": [{\"name\": \"fc\", \"type\": \"linear\", \"in_features\": 0, \"out_features\": 3}]}");
		assertThat(badLayer).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(read(badLayer).toString()).contains("in_features");
		assertThat(create("[1, 2]")).hasStatus(HttpStatus.BAD_REQUEST);
	}

	@Test
	void aRangeWaitsForRoomInTheMemoryBudgetLikeAnyResponse() {
		JsonNode body = read(create(GPT2));
		try (Admission.Permit all = this.admission.acquire(this.admission.budget(), "the test")) {
			MvcTestResult busy = get(path(body, 0), "bytes=100-200");
			assertThat(busy).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "1");
			assertThat(read(busy).get("detail").asString()).contains("initlab.admission.max-elements-in-flight");
			// HEAD and 304 generate nothing and need no room
			assertThat(this.mvc.head().uri(path(body, 0))).hasStatusOk();
		}
		assertThat(get(path(body, 0), "bytes=100-200")).hasStatus(HttpStatus.PARTIAL_CONTENT);
	}

	@Test
	void everyResponseGivesItsAdmissionBack() {
		JsonNode body = read(create(GPT2));
		get(path(body, 0), "bytes=100-200");
		get(path(body, 0), null);
		assertThat(this.admission.inFlight()).isZero();
	}

	MvcTestResult create(String json) {
		return this.mvc.post()
			.uri("/api/v1/checkpoints")
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	MvcTestResult get(String url, String range) {
		var request = this.mvc.get().uri(url);
		if (range != null) {
			request = request.header(HttpHeaders.RANGE, range);
		}
		return request.exchange();
	}

	static String path(JsonNode body, int file) {
		return body.get("files").get(file).get("url").asString().replace("http://localhost", "");
	}

	byte[] getFile(JsonNode body, int file) {
		MvcTestResult r = get(path(body, file), null);
		assertThat(r).hasStatusOk();
		return r.getResponse().getContentAsByteArray();
	}

	static JsonNode read(MvcTestResult result) {
		return JSON.readTree(new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8));
	}

}
