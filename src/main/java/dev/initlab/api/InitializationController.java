package dev.initlab.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.initlab.generation.InitializationRequest;
import dev.initlab.generation.InitializationResponse;
import dev.initlab.generation.Planner;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "initializations", description = "Generate initialized parameter tensors")
class InitializationController {

	private final Planner planner;

	InitializationController(Planner planner) {
		this.planner = planner;
	}

	@PostMapping(path = "/initializations", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Generate initialized parameter tensors", description = """
			Describe a model's layers (PyTorch vocabulary) and an init policy; get back reproducible tensors \
			named as state_dict() keys, with each tensor's resolved init (fans, gain, std or bound) and stats. \
			A layer's own `init` overrides the request's `init` for that layer; roles no policy names fall \
			back to `pytorch_default`. The same request gives the same bytes on any machine.""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					mediaType = MediaType.APPLICATION_JSON_VALUE,
					examples = {
							@ExampleObject(name = "mlp", summary = "Two linear layers, He + Xavier",
									value = Examples.INITIALIZATION),
							@ExampleObject(name = "conv", summary = "Conv stem, transposed conv, dirac; stats only",
									value = Examples.CONV_STATS_ONLY) })),
			responses = { @ApiResponse(responseCode = "200", description = "The tensors"),
					@ApiResponse(responseCode = "400", description = "Invalid field or limit exceeded",
							content = @Content(mediaType = "application/problem+json")) })
	InitializationResponse generate(@Valid @RequestBody InitializationRequest request) {
		return InitializationResponse.of(this.planner.plan(request, true));
	}

}
