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
 * @param blocks how many times a whole-tensor fill is applied, to consecutive equal
 * blocks along dim 0 (the gate blocks of a recurrent weight), else 1
 */
public record Initializer(Fill fill, Map<String, Object> resolved, double expectedMean, double expectedStd,
		int blocks) {

	public Initializer {
		resolved = Collections.unmodifiableMap(resolved);
	}

	public Initializer(Fill fill, Map<String, Object> resolved, double expectedMean, double expectedStd) {
		this(fill, resolved, expectedMean, expectedStd, 1);
	}

}
