package dev.initlab.api;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import dev.initlab.admission.Admission;
import dev.initlab.checkpoints.ByteRange;
import dev.initlab.checkpoints.Checkpoint;
import dev.initlab.checkpoints.CheckpointFile;
import dev.initlab.checkpoints.Checkpoints;

/**
 * Checkpoints: {@code POST} a request, get a stateless id and the files; {@code GET} or
 * {@code HEAD} each file, whole or by {@code Range}, from any replica. HTTP semantics as
 * RFC 9110: strong {@code ETag}, {@code If-None-Match} (304), {@code If-Range}, a single
 * range (206), an unsatisfiable one (416); several ranges in one header are ignored (200,
 * the whole file).
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "checkpoints",
		description = "Hugging Face checkpoint directories (sharded safetensors + index), served statelessly with Range")
class CheckpointController {

	static final String FILE = "/checkpoints/{id}/{file}";

	private final Checkpoints checkpoints;

	private final Admission admission;

	CheckpointController(Checkpoints checkpoints, Admission admission) {
		this.checkpoints = checkpoints;
		this.admission = admission;
	}

	@PostMapping(path = "/checkpoints", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Make a checkpoint: a stateless id and its files", description = """
			The body of POST /api/v1/initializations (`layers` or `model`, per_tensor seeding) plus an optional \
			`max_shard_size` (Hugging Face's decimal units: "5GB" = 5·10^9 bytes, the default; "500MB", "100KB" or \
			an integer of bytes). The answer lists the files as transformers' save_pretrained writes them: \
			`model.safetensors`, or shards `model-0000k-of-0000N.safetensors` and `model.safetensors.index.json`; \
			tied duplicates left out. The `id` is the canonical request itself (the seed is drawn and put in it \
			when absent), compressed, so every replica serves it with nothing stored; Location points at the index \
			(or the single file).""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = InitializationRequest.class,
							description = "the body of /initializations plus an optional max_shard_size (\"5GB\" by "
									+ "default; KB, MB, GB, TB are decimal units, or an integer of bytes)"),
					examples = {
							@ExampleObject(name = "gpt2_sharded",
									summary = "A small GPT-2 in 100 KB shards (7 shards + index)",
									value = Examples.CHECKPOINT_GPT2),
							@ExampleObject(name = "mlp", summary = "Two linear layers in one file",
									value = Examples.CHECKPOINT_MLP) })),
			responses = {
					@ApiResponse(responseCode = "201", description = "The id and the files",
							content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
									schema = @Schema(implementation = CheckpointResponse.class))),
					@ApiResponse(responseCode = "400",
							description = "Invalid field (also sequential seeding, a bad max_shard_size) or limit "
									+ "exceeded (initlab.checkpoints.max-id-length, initlab.generation.*)",
							content = @Content(mediaType = "application/problem+json")) })
	ResponseEntity<CheckpointResponse> create(@RequestBody JsonNode body) {
		Checkpoint checkpoint = this.checkpoints.create(body);
		String first = (checkpoint.files().index() != null) ? checkpoint.files().index()
				: checkpoint.files().names().get(0);
		return ResponseEntity.created(URI.create(CheckpointResponse.url(checkpoint.id(), first)))
			.body(CheckpointResponse.of(checkpoint));
	}

	@GetMapping(FILE)
	@Operation(summary = "Download a checkpoint file, whole or one byte range", description = """
			Exact Content-Length, a strong ETag, Accept-Ranges: bytes. `Range: bytes=a-b`, `a-` or `-n` (one \
			range) answers 206 with Content-Range, generated from the block that holds the first byte, so a range \
			costs what its own bytes cost wherever it lies; a range starting beyond the end is 416 with \
			`Content-Range: bytes */size`; several ranges are ignored (200, the whole file). If-None-Match with \
			the ETag → 304; If-Range with the ETag honours Range, anything else gives the whole file. The same id \
			gives the same bytes on every replica.""",
			responses = {
					@ApiResponse(responseCode = "200", description = "The whole file",
							content = {
									@Content(mediaType = "application/x-safetensors",
											schema = @Schema(type = "string", format = "binary")),
									@Content(mediaType = MediaType.APPLICATION_JSON_VALUE) }),
					@ApiResponse(responseCode = "206", description = "The range asked for"),
					@ApiResponse(responseCode = "304", description = "If-None-Match matched the ETag"),
					@ApiResponse(responseCode = "400", description = "Invalid checkpoint id",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "404", description = "No such file; the problem names the files",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "414", description = "Id longer than initlab.checkpoints.max-id-length",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "416", description = "The range starts beyond the end",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "503",
							description = "No room in the memory budget (initlab.admission.*); retry after Retry-After",
							content = @Content(mediaType = "application/problem+json")) })
	ResponseEntity<Object> get(@Parameter(description = "the id POST /api/v1/checkpoints gave") @PathVariable String id,
			@Parameter(description = "a file name from the POST's files",
					example = "model.safetensors") @PathVariable String file,
			@Parameter(description = "bytes=a-b, a- or -n") @RequestHeader(value = HttpHeaders.RANGE,
					required = false) String range,
			@RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
			@RequestHeader(value = HttpHeaders.IF_RANGE, required = false) String ifRange, HttpServletRequest request) {
		Checkpoint checkpoint = this.checkpoints.open(id);
		CheckpointFile f = checkpoint.file(file);
		String etag = checkpoint.etag(f.name());
		if (noneMatch(ifNoneMatch, etag)) {
			return notModified(etag);
		}
		ByteRange bytes = (range != null && (ifRange == null || ifRange.strip().equals(etag)))
				? ByteRange.parse(range, f.size()) : null;
		// held until the response is written (AdmissionRelease closes it)
		AdmissionRelease.hold(request, this.admission.acquire(f.peakElements(), "this file or range"));
		if (bytes == null) {
			return ResponseEntity.ok()
				.headers(headers(f, etag))
				.contentLength(f.size())
				.body(new CheckpointSliceConverter.Slice(f, 0, f.size()));
		}
		return ResponseEntity.status(HttpStatus.PARTIAL_CONTENT)
			.headers(headers(f, etag))
			.header(HttpHeaders.CONTENT_RANGE, bytes.contentRange())
			.contentLength(bytes.length())
			.body(new CheckpointSliceConverter.Slice(f, bytes.first(), bytes.last() + 1));
	}

	/**
	 * HEAD: the headers of a GET of the whole file (a Range is ignored, RFC 9110 14.2).
	 */
	@RequestMapping(path = FILE, method = RequestMethod.HEAD)
	@Operation(summary = "A checkpoint file's headers: size, ETag, media type",
			description = "As GET without the body; Range does not apply to HEAD.")
	ResponseEntity<Void> head(@PathVariable String id, @PathVariable String file,
			@RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
		Checkpoint checkpoint = this.checkpoints.open(id);
		CheckpointFile f = checkpoint.file(file);
		String etag = checkpoint.etag(f.name());
		if (noneMatch(ifNoneMatch, etag)) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
		}
		return ResponseEntity.ok().headers(headers(f, etag)).contentLength(f.size()).build();
	}

	private static ResponseEntity<Object> notModified(String etag) {
		return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
	}

	private static HttpHeaders headers(CheckpointFile f, String etag) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.parseMediaType(f.mediaType()));
		headers.setETag(etag);
		headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
		headers.setContentDisposition(ContentDisposition.attachment().filename(f.name()).build());
		return headers;
	}

	/**
	 * Whether {@code If-None-Match} matches: {@code *}, or a listed tag equal to ours by
	 * the weak comparison RFC 9110 section 13.1.2 prescribes.
	 */
	static boolean noneMatch(String ifNoneMatch, String etag) {
		if (ifNoneMatch == null) {
			return false;
		}
		for (String tag : ifNoneMatch.split(",")) {
			String t = tag.strip();
			if (t.equals("*")) {
				return true;
			}
			if (t.startsWith("W/")) {
				t = t.substring(2);
			}
			if (t.equals(etag)) {
				return true;
			}
		}
		return false;
	}

}
