package dev.initlab.training;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The state of one policy's network after {@code iteration} updates.
 *
 * @param iteration updates so far (0: the initial state)
 * @param loss mean training loss, from the output logits
 * @param trainAccuracy fraction of training samples classified right
 * @param testAccuracy fraction of test samples classified right (only in {@code final};
 * null without a test split)
 * @param symmetry how alike the first hidden layer's units are
 * @param saturationFraction per hidden layer: share of activations with tanh |a| > 0.99
 * or sigmoid a < 0.01 or > 0.99 (null for other activations)
 * @param deadFraction per hidden layer: share of units whose output is exactly 0 on every
 * sample
 * @param gradNorms per linear layer, input to output: sqrt(|dW|² + |db|²) of the
 * mean-loss gradient
 */
public record HistoryEntry(int iteration, double loss, double trainAccuracy,
		@JsonInclude(JsonInclude.Include.NON_ABSENT) Double testAccuracy, Symmetry symmetry,
		List<Double> saturationFraction, List<Double> deadFraction, List<Double> gradNorms) {

	/** This entry without its test accuracy. */
	public HistoryEntry withoutTestAccuracy() {
		return withTestAccuracy(null);
	}

	/** This entry with a test accuracy, as {@code final} carries it. */
	HistoryEntry withTestAccuracy(Double accuracy) {
		return new HistoryEntry(this.iteration, this.loss, this.trainAccuracy, accuracy, this.symmetry,
				this.saturationFraction, this.deadFraction, this.gradNorms);
	}

}
