package dev.initlab.experiments;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import dev.initlab.init.Policy;
import dev.initlab.problems.Limit;
import dev.initlab.recipes.RecipeSpec;

/**
 * A side-by-side training experiment: one network per policy, same data.
 *
 * @param seed int64 seed (drawn and returned when absent)
 * @param rng generator for the dataset and the policies (default xoshiro256pp)
 * @param dataset the data
 * @param model the network
 * @param training optimizer and schedule
 * @param policies the init policies to compare, in order
 */
public record ExperimentRequest(@Schema(example = "1") Long seed, String rng, @Valid DatasetSpec dataset,
		@Valid ModelSpec model, @Valid TrainingSpec training, @NotEmpty @Valid List<@NotNull PolicySpec> policies) {

	/**
	 * @param hiddenLayers units per hidden layer (default [4])
	 * @param activation hidden activation (default tanh)
	 * @param output {@code sigmoid} (binary cross-entropy) or {@code softmax}
	 * (cross-entropy)
	 */
	public record ModelSpec(@Limit(property = "initlab.experiments.max-width",
			what = "units in a hidden layer") List<Integer> hiddenLayers, String activation, String output) {
	}

	/** The output layer of an experiment's network, by wire name. */
	enum Output {

		/** One unit, binary cross-entropy: two classes. */
		SIGMOID("sigmoid"),

		/** A unit per class, cross-entropy. */
		SOFTMAX("softmax");

		private final String wireName;

		Output(String wireName) {
			this.wireName = wireName;
		}

		String wireName() {
			return this.wireName;
		}

		static Optional<Output> byName(String name) {
			return Arrays.stream(values()).filter((o) -> o.wireName.equals(name)).findFirst();
		}

		static List<String> names() {
			return Arrays.stream(values()).map(Output::wireName).toList();
		}

	}

	/**
	 * @param label how the policy is shown
	 * @param init the init policy
	 * @param seed this policy's seed (default the request's)
	 * @param rng this policy's generator (default the request's)
	 * @param layers per-layer overrides: the named layers take their own policy
	 * @param recipe a depth-aware recipe (API.md section 7) for the policy's stack,
	 * between its preset and its overrides: in {@code /propagation}, on residual stacks
	 */
	public record PolicySpec(@NotBlank String label,
			@NotNull @Valid @Schema(description = "an initializer per role and/or a preset; the weight initializer "
					+ "may be {\"scheme\": \"lsuv\", \"tolerance\": 0.1, \"max_iterations\": 10} (LSUV: "
					+ "orthogonal, then rescaled on the batch)") Policy init,
			Long seed, String rng,
			@Valid @Schema(description = "Per-layer overrides: each names layers (1-based, input to output) and "
					+ "gives them their own init, as a layer's own init does in /initializations (its initializer "
					+ "for a role, then its preset, then this policy's). A layer may be named by one override "
					+ "only. In a /propagation residual stack the branch layers are numbered block-major: block "
					+ "b's branch layer j is (b − 1)·branch_layers + j.") List<@NotNull LayerOverride> layers,
			@Schema(description = "A depth-aware recipe (GET /api/v1/recipes) applied to this policy's stack after "
					+ "its init and before its layers overrides. In /experiments: mup (with base_layers) and zero "
					+ "(ZerO); in /propagation, on residual stacks (block): scaled_residual, fixup, deepnorm, "
					+ "skipinit.", example = "{\"name\": \"scaled_residual\"}") RecipeSpec recipe) {

		/** A policy without per-layer overrides. */
		public PolicySpec(String label, Policy init, Long seed, String rng) {
			this(label, init, seed, rng, null, null);
		}

		/** A policy without a recipe. */
		public PolicySpec(String label, Policy init, Long seed, String rng, List<LayerOverride> layers) {
			this(label, init, seed, rng, layers, null);
		}

	}

	/**
	 * Some layers of a policy's stack with their own init.
	 *
	 * @param layers 1-based layer indices, input to output: layer 1 takes the input; in
	 * an experiment the last is the output layer
	 * @param init these layers' own policy: its initializer for a role wins, then its
	 * preset, then the policy's
	 */
	@Schema(description = "Layers with their own init")
	public record LayerOverride(
			@NotEmpty @Schema(description = "1-based layer indices, input to output (in /experiments the last is "
					+ "the output layer)", example = "[1, 2]") List<@NotNull Integer> layers,
			@NotNull @Valid @Schema(
					description = "these layers' own init: an initializer per role and/or a preset") Policy init) {
	}

}
