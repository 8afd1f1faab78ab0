package dev.initlab.experiments;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import dev.initlab.problems.Limit;

/**
 * A deep stack to push a random batch through, once per policy.
 *
 * @param seed int64 seed (drawn and returned when absent)
 * @param rng generator (default xoshiro256pp)
 * @param depth layers
 * @param width units per layer
 * @param activation the nonlinearity after each layer (default relu)
 * @param batchSize samples in the batch (default 256)
 * @param policies the init policies to compare
 * @param block absent for a plain stack (a linear layer and the activation per layer), or
 * a residual block; then {@code depth} counts blocks
 */
public record PropagationRequest(@Schema(example = "0") Long seed, String rng,
		@NotNull @Limit(property = PropagationLimits.PREFIX + "max-depth",
				what = "depth") @Schema(example = "50") Integer depth,
		@NotNull @Limit(property = PropagationLimits.PREFIX + "max-width",
				what = "width") @Schema(example = "512") Integer width,
		@Schema(example = "relu") String activation,
		@Limit(property = PropagationLimits.PREFIX + "max-batch",
				what = "batch size") @Schema(example = "256") Integer batchSize,
		@NotEmpty @Valid List<ExperimentRequest.@NotNull PolicySpec> policies, @Valid BlockSpec block) {

	/** A plain stack. */
	public PropagationRequest(Long seed, String rng, Integer depth, Integer width, String activation, Integer batchSize,
			List<ExperimentRequest.PolicySpec> policies) {
		this(seed, rng, depth, width, activation, batchSize, policies, null);
	}

}
