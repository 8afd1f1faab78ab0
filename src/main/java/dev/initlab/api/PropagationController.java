package dev.initlab.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.initlab.admission.Admission;
import dev.initlab.experiments.PropagationRequest;
import dev.initlab.experiments.PropagationRunner;
import dev.initlab.plots.Plots;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.propagation.LayerStats;

@RestController
@RequestMapping("/api/v1/propagation")
@Tag(name = "propagation", description = "Vanishing and exploding signals in deep stacks, before training")
class PropagationController {

	private final PropagationRunner runner;

	private final Admission admission;

	PropagationController(PropagationRunner runner, Admission admission) {
		this.runner = runner;
		this.admission = admission;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = { MediaType.APPLICATION_JSON_VALUE, "image/svg+xml" })
	@Operation(summary = "Push a random batch through a deep stack", description = """
			Forwards a unit-variance batch through `depth` square layers of `width` units (one policy each) and \
			back-propagates a unit-variance gradient; per layer: preactivation_std, activation_mean, \
			activation_std, saturation_fraction, dead_fraction, gradient_std. verdict: vanishing when \
			activation_std[depth]/activation_std[1] < 0.1, exploding when > 10, else stable. `?format=svg` plots \
			activation std per layer (log scale), one line per policy. A policy's `layers` gives some layers \
			their own init (`[{"layers": [11, 12], "init": {...}}]`, 1-based, each layer named at most once), \
			resolved as a layer's own init in /initializations. A weight scheme `lsuv` (`tolerance`, \
			`max_iterations`) is LSUV: orthogonal, then each such layer rescaled on the batch until its output \
			variance is 1 ± tolerance; `lsuv_iterations` reports the rescalings per layer (null where LSUV did \
			not apply). With `block: {"type": "residual", "branch_layers": 2, "norm": "none"|"pre_ln"|"post_ln", \
			"alpha": 1.0}` the stack is `depth` residual blocks x ← α·x + f(x), f = W_m·φ(…φ(W_1·x)) with no \
			activation after the last branch layer (so kaiming_* takes nonlinearity linear there); pre_ln: \
			x ← α·x + f(LN(x)); post_ln: x ← LN(α·x + f(x)); `layers` has one entry per block, overrides number \
			the branch layers block-major (block b's layer j is (b − 1)·m + j), and the plot's x axis is the \
			block. A policy's `recipe` (GET /api/v1/recipes: scaled_residual, fixup, deepnorm, skipinit) rewrites \
			the branch layers' initializers after its init and before its `layers` overrides; each result echoes \
			it.""", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
			mediaType = MediaType.APPLICATION_JSON_VALUE,
			examples = {
					@ExampleObject(name = "he_vs_xavier", summary = "50-layer ReLU: Xavier vanishes, He stays",
							value = Examples.PROPAGATION),
					@ExampleObject(name = "overrides_and_lsuv",
							summary = "Xavier with He on layers 11-20 (a per-layer override), and LSUV",
							value = Examples.PROPAGATION_OVERRIDES),
					@ExampleObject(name = "residual",
							summary = "12 residual blocks: He explodes (×2 variance per block), "
									+ "last branch layers / sqrt(2L) or zero stay bounded",
							value = Examples.PROPAGATION_RESIDUAL),
					@ExampleObject(name = "residual_recipes",
							summary = "24 residual blocks: He explodes; scaled_residual, fixup and "
									+ "skipinit keep it bounded",
							value = Examples.PROPAGATION_RECIPES) })),
			responses = {
					@ApiResponse(responseCode = "200",
							description = "Per-layer statistics per policy, or their plot with ?format=svg",
							content = {
									@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
											schema = @Schema(implementation = PropagationRunner.Response.class)),
									@Content(mediaType = "image/svg+xml", schema = @Schema(type = "string")) }),
					@ApiResponse(responseCode = "400", description = "Invalid field or limit exceeded",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "503",
							description = "No room in the memory budget (initlab.admission.*) within the wait; "
									+ "retry after Retry-After seconds",
							content = @Content(mediaType = "application/problem+json")) })
	ResponseEntity<?> run(@Valid @RequestBody PropagationRequest request,
			@Parameter(description = "json (default) or svg",
					example = "json") @RequestParam(required = false) String format) {
		if (format != null && !format.equals("json") && !format.equals("svg")) {
			throw new InvalidRequestException("format", "unknown format '" + format + "'; allowed: json, svg");
		}
		PropagationRunner.Response response = this.runner.run(request, this.admission);
		if ("svg".equals(format)) {
			return ResponseEntity.ok()
				.contentType(MediaType.parseMediaType("image/svg+xml"))
				.body(Plots.propagationPlot(response.results().stream().map(PropagationRunner.Result::label).toList(),
						response.results()
							.stream()
							.map(r -> r.layers().stream().mapToDouble(LayerStats::activationStd).toArray())
							.toList(),
						(response.block() != null) ? "block" : "layer"));
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(response);
	}

}
