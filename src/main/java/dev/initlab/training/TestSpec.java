package dev.initlab.training;

import jakarta.validation.constraints.NotNull;

/**
 * A test set drawn separately, as the courses do.
 *
 * @param nSamples test samples
 * @param seed the test set's seed
 */
public record TestSpec(@NotNull @Limit(property = "initlab.experiments.max-samples", what = "samples") Integer nSamples,
		Long seed) {
}
