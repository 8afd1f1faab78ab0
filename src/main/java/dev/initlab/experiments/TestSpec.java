package dev.initlab.experiments;

import jakarta.validation.constraints.NotNull;

import dev.initlab.problems.Limit;

/**
 * A test set drawn separately, as the courses do.
 *
 * @param nSamples test samples
 * @param seed the test set's seed
 */
public record TestSpec(@NotNull @Limit(property = "initlab.experiments.max-samples", what = "samples") Integer nSamples,
		Long seed) {
}
