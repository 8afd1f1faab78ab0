package dev.initlab.experiments;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.initlab.problems.LimitExceededException;

/**
 * Limits of one experiment; each a configuration property under
 * {@code initlab.experiments}.
 *
 * @param maxIterations updates per policy
 * @param maxSamples training + test samples
 * @param maxWidth units per hidden layer
 * @param maxDepth hidden layers
 * @param maxPolicies policies per request
 * @param maxRecords recorded entries per policy (iterations / record_every)
 * @param maxWork policies × iterations × samples × parameters, a bound on compute
 * @param syncMaxWork the same bound for the synchronous {@code symmetry_check} of
 * {@code /initializations}
 * @param maxLsuvIterations the largest {@code max_iterations} an LSUV policy may ask for
 * @param maxBoundaryResolution grid points per axis of a decision boundary
 * @param maxBoundaryPoints training points drawn on a decision boundary's SVG (every k-th
 * sample, so that the picture stays small; the JSON has them all)
 */
@ConfigurationProperties("initlab.experiments")
public record ExperimentLimits(@DefaultValue("100000") int maxIterations, @DefaultValue("10000") int maxSamples,
		@DefaultValue("256") int maxWidth, @DefaultValue("8") int maxDepth, @DefaultValue("8") int maxPolicies,
		@DefaultValue("1000") int maxRecords, @DefaultValue("20000000000") long maxWork,
		@DefaultValue("1000000000") long syncMaxWork, @DefaultValue("100") int maxLsuvIterations,
		@DefaultValue("400") int maxBoundaryResolution, @DefaultValue("1000") int maxBoundaryPoints) {

	static final String PREFIX = "initlab.experiments.";

	/** Bounds policies × iterations × samples × parameters by {@code limit}. */
	static void checkWork(int policies, int iterations, int samples, int[] sizes, long limit, String property,
			String advice) {
		long parameters = 0;
		for (int l = 1; l < sizes.length; l++) {
			parameters += (long) sizes[l] * (sizes[l - 1] + 1);
		}
		double work = (double) policies * iterations * samples * parameters;
		if (work > limit) {
			throw new LimitExceededException("units of work (policies × iterations × samples × parameters)",
					(long) Math.min(work, Long.MAX_VALUE), limit, property, advice);
		}
	}

}
