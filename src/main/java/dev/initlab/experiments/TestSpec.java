package dev.initlab.experiments;

import jakarta.validation.constraints.NotNull;

/**
 * A test set drawn separately, as the courses do.
 *
 * @param nSamples test samples
 * @param seed the test set's seed
 */
public record TestSpec(@NotNull Integer nSamples, Long seed) {
}
