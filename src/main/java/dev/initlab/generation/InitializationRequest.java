package dev.initlab.generation;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import dev.initlab.init.Policy;
import dev.initlab.layers.LayerSpec;

/**
 * A model's layers and an init policy: what {@code POST /api/v1/initializations} takes.
 *
 * @param seed int64 seed; drawn (and returned) when absent
 * @param rng generator name (see {@code GET /api/v1/rngs}), default {@code xoshiro256pp}
 * @param dtype {@code float32} (default), {@code float64}, {@code float16},
 * {@code bfloat16}
 * @param layout {@code pytorch} (default) or {@code keras}
 * @param seeding {@code per_tensor} (default) or {@code sequential}
 * @param init the default policy; unnamed roles fall back to {@code pytorch_default}
 * @param layers the layers, in order
 * @param include any of {@code stats}, {@code data} (default both)
 * @param symmetryCheck train briefly from the generated tensors (stacks of linear layers)
 * and add a {@code symmetry_report}
 */
public record InitializationRequest(
		@Schema(description = "int64 seed; drawn and returned when absent", example = "42") Long seed,
		@Schema(description = "generator, see GET /api/v1/rngs", defaultValue = "xoshiro256pp") String rng,
		@Schema(description = "element type", allowableValues = {
				"float32", "float64", "float16", "bfloat16" }, defaultValue = "float32") String dtype,
		@Schema(description = "tensor names and axis order", allowableValues = { "pytorch", "keras" },
				defaultValue = "pytorch") String layout,
		@Schema(description = "stream per tensor (default) or one stream in layer order",
				allowableValues = { "per_tensor", "sequential" }, defaultValue = "per_tensor") String seeding,
		@Valid @Schema(description = "default policy: an initializer per role, or {\"preset\": NAME}") Policy init,
		@NotEmpty @Valid List<@NotNull LayerSpec> layers,
		@Schema(description = "what each tensor carries: stats, data (default both)") List<String> include,
		@Valid @Schema(description = "train briefly from exactly these tensors (a stack of linear layers) and report "
				+ "symmetry") SymmetryCheck symmetryCheck){

	/** A request without a symmetry check. */
	public InitializationRequest(Long seed, String rng, String dtype, String layout, String seeding, Policy init,
			List<LayerSpec> layers, List<String> include) {
		this(seed, rng, dtype, layout, seeding, init, layers, include, null);
	}

	static final List<String> INCLUDE = List.of("stats", "data");

}
