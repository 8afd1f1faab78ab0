package dev.initlab.experiments;

import java.util.List;
import java.util.Locale;

import dev.initlab.training.Activation;
import dev.initlab.training.HistoryEntry;

/** One sentence a student can read, from a policy's history. */
final class Verdicts {

	private static final double CHANCE_LOSS = Math.log(2);

	private Verdicts() {
	}

	static String of(List<HistoryEntry> history, int units, Activation hidden) {
		HistoryEntry first = history.get(0);
		HistoryEntry last = history.get(history.size() - 1);
		int iterations = last.iteration();
		double accuracy = 100 * last.trainAccuracy();
		int distinct = (last.symmetry() != null) ? last.symmetry().distinctUnits() : units;
		if (units > 1 && distinct == 1) {
			return String.format(Locale.ROOT,
					"All %d hidden units are still identical after %d iterations: symmetry was never broken, so the "
							+ "layer acts like a single unit (training accuracy %.1f%%).",
					units, iterations, accuracy);
		}
		if (units > 1 && distinct < units) {
			return String.format(Locale.ROOT,
					"Only %d of %d hidden units are distinct after %d iterations: the others started (and stayed) "
							+ "identical, wasting capacity (training accuracy %.1f%%).",
					distinct, units, iterations, accuracy);
		}
		Double saturated = first.saturationFraction().isEmpty() ? null : first.saturationFraction().get(0);
		if (saturated != null && saturated > 0.5) {
			return String.format(Locale.ROOT,
					"%.0f%% of the %s activations started saturated, where gradients vanish: learning was slow "
							+ "(loss %.3g → %.3g, training accuracy %.1f%%).",
					100 * saturated, hidden.wireName(), first.loss(), last.loss(), accuracy);
		}
		Double dead = last.deadFraction().isEmpty() ? null : last.deadFraction().get(0);
		if (dead != null && dead >= 0.5) {
			return String.format(Locale.ROOT,
					"%.0f%% of the first layer's units output zero on every sample (dead), so they no longer learn "
							+ "(training accuracy %.1f%%).",
					100 * dead, accuracy);
		}
		if (first.loss() > 3 * CHANCE_LOSS) {
			return String.format(Locale.ROOT,
					"The initial weights are too large: the loss started at %.3g (chance is %.3f) and reached %.3g; "
							+ "training accuracy %.1f%%.",
					first.loss(), CHANCE_LOSS, last.loss(), accuracy);
		}
		if (!(last.loss() < 0.9 * first.loss())) {
			return String.format(Locale.ROOT,
					"Symmetry is broken (%d distinct units), but the loss barely moved in %d iterations (%.3g → %.3g): "
							+ "the weights may be too small or the learning rate too low (training accuracy %.1f%%).",
					distinct, iterations, first.loss(), last.loss(), accuracy);
		}
		return String.format(Locale.ROOT,
				"Symmetry broken from the start: all %d hidden units are distinct; the loss fell from %.3g to %.3g and "
						+ "training accuracy reached %.1f%%.",
				units, first.loss(), last.loss(), accuracy);
	}

}
