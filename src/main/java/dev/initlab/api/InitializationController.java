package dev.initlab.api;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.initlab.admission.Admission;
import dev.initlab.experiments.SymmetryCheckRunner;
import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Planner;
import dev.initlab.generation.TensorFile;
import dev.initlab.generation.TensorSource;
import dev.initlab.problems.InvalidRequestException;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "initializations", description = "Generate initialized parameter tensors")
class InitializationController {

	private final Planner planner;

	private final GenerationExecutor executor;

	private final SymmetryCheckRunner symmetryCheck;

	private final Admission admission;

	InitializationController(Planner planner, GenerationExecutor executor, SymmetryCheckRunner symmetryCheck,
			Admission admission) {
		this.planner = planner;
		this.executor = executor;
		this.symmetryCheck = symmetryCheck;
		this.admission = admission;
	}

	@PostMapping(path = "/initializations", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = { MediaType.APPLICATION_JSON_VALUE, "application/x-npy", "application/x-npz",
					"application/x-safetensors", "application/x-tar" })
	@Operation(summary = "Generate initialized parameter tensors", description = """
			Describe a model's layers (PyTorch vocabulary) and an init policy, or name a whole architecture \
			(`model`: `{"architecture": "transformers/GPT2LMHeadModel", "config": {...}}`, see \
			GET /api/v1/architectures); get back reproducible tensors named as state_dict() keys, with each \
			tensor's resolved init (fans, gain, std or bound, and for a model the library rule it follows) and \
			stats. A layer's own `init` overrides the request's `init` for that layer; roles no policy names fall \
			back to `pytorch_default` (layers) or `library_default` (a model). `overrides` set tensors by name \
			glob after that (`*` within one dot-separated part, `**` any parts; the last match wins). The same \
			request gives the same bytes on any machine.

			Formats, by `?format=` or `Accept`: JSON (default), `npy` (one tensor; `?tensor=NAME`), `npz` \
			(`np.load` gives one array per tensor) and `safetensors` (`safetensors.torch.load` straight into \
			`load_state_dict`; `__metadata__` holds seed, rng, dtype, layout and each tensor's resolved init), and \
			`hf` (`application/x-tar`): a `transformers/*` model's Hugging Face directory, `config.json` and \
			`model.safetensors` as `save_pretrained` writes them (tied duplicates left out), in one POSIX tar that \
			`from_pretrained` loads once extracted. Binary responses stream with an exact Content-Length: memory \
			stays bounded whatever the size.""", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, examples = {
					@ExampleObject(name = "mlp", summary = "Two linear layers, He + Xavier",
							value = Examples.INITIALIZATION),
					@ExampleObject(name = "conv", summary = "Conv stem, transposed conv, dirac; stats only",
							value = Examples.CONV_STATS_ONLY),
					@ExampleObject(name = "transformer", summary = "GPT-style block, pytorch_default; stats only",
							value = Examples.TRANSFORMER_BLOCK),
					@ExampleObject(name = "gpt2",
							summary = "transformers GPT2LMHeadModel (small config), library_default + an override; "
									+ "stats only",
							value = Examples.GPT2),
					@ExampleObject(name = "nanogpt", summary = "nanoGPT GPT without biases; stats only",
							value = Examples.NANOGPT),
					@ExampleObject(name = "llama",
							summary = "transformers LlamaForCausalLM, grouped-query attention (4 query heads, "
									+ "2 key/value heads); stats only",
							value = Examples.LLAMA),
					@ExampleObject(name = "bert_mlm", summary = "transformers BertForMaskedLM (small); stats only",
							value = Examples.BERT_MLM),
					@ExampleObject(name = "t5",
							summary = "transformers T5ForConditionalGeneration (small, tied embeddings); "
									+ "stats only",
							value = Examples.T5),
					@ExampleObject(name = "resnet18",
							summary = "torchvision resnet18, 10 classes, zero_init_residual; stats only",
							value = Examples.RESNET18),
					@ExampleObject(name = "vit",
							summary = "timm VisionTransformer (32x32 images, patch 8), weight_init jax; "
									+ "stats only",
							value = Examples.VIT),
					@ExampleObject(name = "recipe_deepnorm",
							summary = "DeepNet's DeepNorm on a 12-layer BERT (Post-LN): β on FFN, value "
									+ "and output, α reported; stats only",
							value = Examples.RECIPE_DEEPNORM),
					@ExampleObject(name = "recipe_scaled_residual",
							summary = "GPT-2's scaled residual projections on Llama: o_proj and down_proj "
									+ "÷ sqrt(2·L); stats only",
							value = Examples.RECIPE_SCALED_RESIDUAL),
					@ExampleObject(name = "recipe_t_fixup",
							summary = "T-Fixup on an encoder-decoder T5 (6 + 4 blocks); stats only",
							value = Examples.RECIPE_T_FIXUP),
					@ExampleObject(name = "recipe_mup",
							summary = "μP for GPT-2 at width 256 from a base of width 64: per-tensor "
									+ "init.mup (std, lr multipliers); stats only",
							value = Examples.RECIPE_MUP),
					@ExampleObject(name = "recipe_mimetic",
							summary = "Mimetic attention init on a small timm ViT: per head W_q·W_kᵀ ≈ "
									+ "0.7Z + 0.7I, W_v·W_o ≈ 0.4Z − 0.4I; stats only",
							value = Examples.RECIPE_MIMETIC),
					@ExampleObject(name = "recipe_zero",
							summary = "ZerO on an MLP: deterministic identity/Hadamard weights, zero biases",
							value = Examples.RECIPE_ZERO),
					@ExampleObject(name = "recipe_fixup",
							summary = "fixup/resnet50 (hongyi-zhang/Fixup): its library_default is Fixup, "
									+ "so the recipe changes nothing and says so; stats only",
							value = Examples.RECIPE_FIXUP),
					@ExampleObject(name = "overrides", summary = "Layers with overrides by name glob (last match wins)",
							value = Examples.LAYER_OVERRIDES),
					@ExampleObject(name = "lstm", summary = "2-layer bidirectional LSTM, Keras layout and defaults",
							value = Examples.LSTM),
					@ExampleObject(name = "symmetry_check",
							summary = "Zero init, then train briefly and report symmetry",
							value = Examples.SYMMETRY_CHECK) })),
			responses = { @ApiResponse(responseCode = "200", description = "The tensors", content = {
					@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = InitializationResponse.class)),
					@Content(mediaType = "application/x-npy", schema = @Schema(type = "string", format = "binary")),
					@Content(mediaType = "application/x-npz", schema = @Schema(type = "string", format = "binary")),
					@Content(mediaType = "application/x-safetensors",
							schema = @Schema(type = "string", format = "binary")),
					@Content(mediaType = "application/x-tar", schema = @Schema(type = "string", format = "binary")) }),
					@ApiResponse(responseCode = "400", description = "Invalid field or limit exceeded",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "503",
							description = "No room in the memory budget (initlab.admission.*) within the wait; "
									+ "retry after Retry-After seconds",
							content = @Content(mediaType = "application/problem+json")) })
	ResponseEntity<Object> generate(@Valid @RequestBody InitializationRequest request,
			@Parameter(
					description = "json, npy, npz, safetensors or hf (a transformers model's Hugging Face "
							+ "directory as a tar); overrides Accept",
					example = "json") @RequestParam(required = false) String format,
			@Parameter(description = "return only this tensor (required for npy when there are several)") @RequestParam(
					required = false) String tensor,
			@Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
			HttpServletRequest servletRequest) {
		OutputFormat chosen = chooseFormat(format, accept);
		if (request.symmetryCheck() != null && request.model() != null) {
			throw new InvalidRequestException("symmetry_check",
					"a symmetry check trains a stack of linear layers, not a whole architecture; drop symmetry_check");
		}
		Plan plan = request.plan(this.planner, chosen, tensor);
		// held until the response is written (AdmissionRelease closes it)
		AdmissionRelease.hold(servletRequest, this.admission
			.acquire(TensorSource.peakElements(plan, chosen, this.executor.threads()), "this response"));
		TensorTraffic.serving(servletRequest, plan, chosen);
		if (request.symmetryCheck() != null) {
			if (chosen != OutputFormat.JSON) {
				throw new InvalidRequestException("symmetry_check",
						"a symmetry report is part of the JSON response; ask for format json, or drop symmetry_check");
			}
			return ResponseEntity.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.body(InitializationResponse.of(plan)
					.withSymmetryReport(this.symmetryCheck.run(request.symmetryCheck(), request.layers(), plan)));
		}
		if (chosen == OutputFormat.JSON) {
			return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(InitializationResponse.of(plan));
		}
		TensorFile file = new TensorFile(plan, chosen, this.executor);
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(chosen.mediaType()))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(file.fileName()).build().toString())
			.body(file);
	}

	/**
	 * {@code ?format=} wins; else the first binary type the Accept header names; else
	 * JSON.
	 */
	static OutputFormat chooseFormat(String format, String accept) {
		if (format != null) {
			return OutputFormat.byName(format)
				.orElseThrow(() -> new InvalidRequestException("format",
						"unknown format '" + format + "'; allowed: " + String.join(", ", OutputFormat.names())));
		}
		if (accept != null) {
			List<MediaType> types;
			try {
				types = MediaType.parseMediaTypes(accept);
			}
			catch (RuntimeException ex) {
				return OutputFormat.JSON;
			}
			types = new java.util.ArrayList<>(types);
			types.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
			for (MediaType type : types) {
				if (type.isWildcardType() || type.isWildcardSubtype()) {
					continue;
				}
				var found = OutputFormat.byMediaType(type.getType() + "/" + type.getSubtype());
				if (found.isPresent()) {
					return found.get();
				}
			}
		}
		return OutputFormat.JSON;
	}

}
