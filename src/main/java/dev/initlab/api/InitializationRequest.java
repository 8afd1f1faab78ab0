package dev.initlab.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import dev.initlab.experiments.SymmetryCheck;
import dev.initlab.generation.Blueprint;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Planner;
import dev.initlab.generation.Seeding;
import dev.initlab.init.InitOverride;
import dev.initlab.init.Policy;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.models.Architecture;
import dev.initlab.models.Architectures;
import dev.initlab.models.InvalidConfigException;
import dev.initlab.models.Model;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.recipes.RecipeSpec;
import dev.initlab.problems.InvalidRequestException.FieldError;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

/**
 * A model's layers, or a whole architecture, and an init policy: what
 * {@code POST /api/v1/initializations} takes.
 *
 * @param seed int64 seed; drawn (and returned) when absent
 * @param rng generator name (see {@code GET /api/v1/rngs}), default {@code xoshiro256pp}
 * @param dtype element type ({@link DType}), default {@code float32}
 * @param layout tensor names and axis order ({@link Layout}), default {@code pytorch}
 * @param seeding stream derivation ({@link Seeding}), default {@code per_tensor}
 * @param init the default policy; unnamed roles fall back to {@code pytorch_default}
 * (layers) or {@code library_default} (a model)
 * @param layers the layers, in order (exactly one of layers and model)
 * @param model a whole architecture as its library builds it (exactly one of layers and
 * model)
 * @param overrides initializers by tensor-name glob, applied in order after the policy;
 * the last match wins
 * @param include any of {@code stats}, {@code data} (default both)
 * @param symmetryCheck train briefly from the generated tensors (stacks of linear layers)
 * and add a {@code symmetry_report}
 */
public record InitializationRequest(
		@Schema(description = "int64 seed; drawn and returned when absent", example = "42") Long seed,
		@Schema(description = "generator, see GET /api/v1/rngs", defaultValue = "xoshiro256pp") String rng,
		@Schema(description = "element type", defaultValue = "float32") String dtype,
		@Schema(description = "tensor names and axis order", defaultValue = "pytorch") String layout,
		@Schema(description = "stream per tensor (default) or one stream in layer order",
				defaultValue = "per_tensor") String seeding,
		@Valid @Schema(description = "default policy: an initializer per role, or {\"preset\": NAME}; for a model "
				+ "the default is {\"preset\": \"library_default\"}") Policy init,
		@Valid @Schema(
				description = "the layers, in order; exactly one of layers and model") List<@NotNull LayerSpec> layers,
		@Schema(description = "a whole architecture as its library builds it (see GET /api/v1/architectures); "
				+ "exactly one of layers and model") ModelSpec model,
		@Schema(description = "initializers by tensor-name glob (* within one dot-separated part, ** any parts), "
				+ "applied in order after the policy; the last match wins; a glob matching nothing is a 400") List<InitOverride> overrides,
		@Schema(description = "what each tensor carries: stats, data (default both)") List<String> include,
		@Valid @Schema(description = "train briefly from exactly these tensors (a stack of linear layers) and report "
				+ "symmetry") SymmetryCheck symmetryCheck,
		@Schema(description = "a depth- or width-aware init recipe, {\"name\": NAME, ...params} (see GET "
				+ "/api/v1/recipes), applied after the preset and before the overrides",
				example = "{\"name\": \"deepnorm\"}") RecipeSpec recipe) {

	/** A request for layers without a symmetry check. */
	public InitializationRequest(Long seed, String rng, String dtype, String layout, String seeding, Policy init,
			List<LayerSpec> layers, List<String> include) {
		this(seed, rng, dtype, layout, seeding, init, layers, include, null);
	}

	/** A request for layers. */
	public InitializationRequest(Long seed, String rng, String dtype, String layout, String seeding, Policy init,
			List<LayerSpec> layers, List<String> include, SymmetryCheck symmetryCheck) {
		this(seed, rng, dtype, layout, seeding, init, layers, null, null, include, symmetryCheck, null);
	}

	/** A request without a recipe. */
	public InitializationRequest(Long seed, String rng, String dtype, String layout, String seeding, Policy init,
			List<LayerSpec> layers, ModelSpec model, List<InitOverride> overrides, List<String> include,
			SymmetryCheck symmetryCheck) {
		this(seed, rng, dtype, layout, seeding, init, layers, model, overrides, include, symmetryCheck, null);
	}

	/**
	 * A whole architecture: {@code {"architecture": "transformers/GPT2LMHeadModel",
	 * "config": {...}}}.
	 *
	 * @param architecture {@code library/Name}, see {@code GET /api/v1/architectures}
	 * @param config the library's config fields (omitted: the library's defaults)
	 */
	public record ModelSpec(
			@Schema(description = "library/Name, see GET /api/v1/architectures",
					example = "transformers/GPT2LMHeadModel") String architecture,
			@Schema(description = "the library's own config fields; omitted fields take the library's defaults",
					example = "{\"n_layer\": 2, \"n_embd\": 64, \"n_head\": 4}") Map<String, Object> config) {
	}

	/** The items {@code include} may name. */
	static final List<String> INCLUDE = List.of("stats", "data");

	/**
	 * Plans this request: its wire values are converted to a {@link Blueprint} once,
	 * here, and the names found unknown are reported with the planner's own findings.
	 * @param planner the planner
	 * @param format the response format
	 * @param tensor the one tensor to return, or null for all
	 */
	public Plan plan(Planner planner, OutputFormat format, String tensor) {
		List<FieldError> errors = new ArrayList<>();
		Blueprint blueprint = blueprint(errors);
		return planner.plan(blueprint, format, tensor, errors);
	}

	/**
	 * The typed values of this request: defaults where a field is absent, and where a
	 * name is unknown the default too, with the field's error added to {@code errors}.
	 */
	Blueprint blueprint(List<FieldError> errors) {
		Generator generator = InvalidRequestException.lookup("rng", "rng", this.rng, Generator.DEFAULT,
				Generator::byName, Generator.names(), errors);
		DType dtype = InvalidRequestException.lookup("dtype", "dtype", this.dtype, DType.FLOAT32, DType::byName,
				DType.names(), errors);
		Layout layout = InvalidRequestException.lookup("layout", "layout", this.layout, Layout.PYTORCH, Layout::byName,
				Layout.names(), errors);
		Seeding seeding = InvalidRequestException.lookup("seeding", "seeding", this.seeding, Seeding.PER_TENSOR,
				Seeding::byName, Seeding.names(), errors);
		boolean stats = true;
		boolean data = true;
		if (this.include != null) {
			for (int i = 0; i < this.include.size(); i++) {
				String item = this.include.get(i);
				if (item == null || !INCLUDE.contains(item)) {
					errors.add(new FieldError("include[" + i + "]",
							"unknown item '" + item + "'; allowed: " + String.join(", ", INCLUDE)));
				}
			}
			stats = this.include.contains("stats");
			data = this.include.contains("data");
		}
		Model model = null;
		if (this.model != null) {
			if (this.layers != null) {
				errors.add(new FieldError("model", "give either layers or model, not both"));
			}
			model = model(errors);
		}
		else if (this.layers == null || this.layers.isEmpty()) {
			errors.add(new FieldError("layers",
					"give the layers (a non-empty list) or a model ({\"architecture\", \"config\"}); architectures: "
							+ String.join(", ", Architectures.names())));
		}
		return new Blueprint(this.seed, generator, dtype, layout, seeding, this.init,
				(model == null) ? this.layers : List.of(), model, this.overrides, this.recipe, stats, data);
	}

	/** The model the request names, or null with its errors added. */
	private Model model(List<FieldError> errors) {
		if (this.model.architecture() == null) {
			errors.add(new FieldError("model.architecture",
					"a model needs its architecture; allowed: " + String.join(", ", Architectures.names())));
			return null;
		}
		Architecture architecture = InvalidRequestException.lookup("model.architecture", "architecture",
				this.model.architecture(), null, Architectures::byName, Architectures.names(), errors);
		if (architecture == null) {
			return null;
		}
		try {
			return Model.of(architecture, this.model.config());
		}
		catch (InvalidConfigException ex) {
			for (InvalidConfigException.Problem p : ex.problems()) {
				errors.add(new FieldError("model.config." + p.field(), p.message()));
			}
			return null;
		}
	}

}
