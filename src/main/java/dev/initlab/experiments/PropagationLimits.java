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
 * @param maxElements the float64 elements one pass holds at its peak: depth × width ×
 * (width + 3 × batch), its weights and every layer's pre-activations, activations and
 * gradients. Propagation returns statistics, never tensor data, so this (not the JSON or
 * element limits of {@code /initializations}) bounds its weights. 2^25 (256 MiB) admits
 * API.md's example (depth 50, width 512, batch 256: 32.8M) in a 768 MiB heap.
 */
@ConfigurationProperties("initlab.propagation")
public record PropagationLimits(@DefaultValue("500") int maxDepth, @DefaultValue("2048") int maxWidth,
		@DefaultValue("4096") int maxBatch, @DefaultValue("20000000000") long maxWork,
		@DefaultValue("100") int maxLsuvIterations, @DefaultValue("33554432") long maxElements) {

	static final String PREFIX = "initlab.propagation.";

}
