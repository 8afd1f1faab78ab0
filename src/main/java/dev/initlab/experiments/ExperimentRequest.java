package dev.initlab.experiments;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import dev.initlab.init.Policy;
import dev.initlab.training.DatasetSpec;
import dev.initlab.training.TrainingSpec;

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
	public record ModelSpec(List<Integer> hiddenLayers, String activation, String output) {
	}

	/**
	 * @param label how the policy is shown
	 * @param init the init policy
	 * @param seed this policy's seed (default the request's)
	 * @param rng this policy's generator (default the request's)
	 */
	public record PolicySpec(@NotBlank String label, @NotNull @Valid Policy init, Long seed, String rng) {
	}

}
