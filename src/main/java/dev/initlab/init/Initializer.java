package dev.initlab.init;

import java.util.Collections;
import java.util.Map;

/**
 * A scheme resolved for one tensor: how to fill it and what was resolved.
 *
 * @param fill how values are drawn
 * @param resolved the scheme and every parameter actually used, with fan_in, fan_out,
 * gain and std or bound where they apply, in wire names, in a stable order
 * @param expectedMean the exact mean of the distribution sampled
 * @param expectedStd the exact standard deviation of the distribution sampled (after
 * truncation)
 */
public record Initializer(Fill fill, Map<String, Object> resolved, double expectedMean, double expectedStd) {

	public Initializer {
		resolved = Collections.unmodifiableMap(resolved);
	}

}
