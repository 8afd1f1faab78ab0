package dev.initlab.experiments;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of {@code POST /api/v1/propagation}; configuration properties under
 * {@code initlab.propagation}.
 *
 * @param maxDepth layers
 * @param maxWidth units per layer
 * @param maxBatch samples
 * @param maxWork policies × depth × width² × batch multiply-adds (forward)
 * @param maxLsuvIterations the largest {@code max_iterations} an LSUV policy may ask for
 */
@ConfigurationProperties("initlab.propagation")
public record PropagationLimits(@DefaultValue("500") int maxDepth, @DefaultValue("2048") int maxWidth,
		@DefaultValue("4096") int maxBatch, @DefaultValue("20000000000") long maxWork,
		@DefaultValue("100") int maxLsuvIterations) {

	static final String PREFIX = "initlab.propagation.";

}
