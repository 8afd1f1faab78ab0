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
 * @param maxElements the float64 elements one pass holds at its peak. A plain stack:
 * depth × width × (width + 3 × batch), its weights and every layer's pre-activations,
 * activations and gradients. A residual stack: its branch weights and biases, depth ×
 * branch_layers × (width² + width), the block inputs kept for the backward pass, depth ×
 * width × batch, and one block's internals, (2 × branch_layers + 7) × width × batch + 2 ×
 * batch (see {@code ResidualPropagation.peakElements}). Propagation returns statistics,
 * never tensor data, so this (not the JSON or element limits of {@code /initializations})
 * bounds its weights. 40 Mi (41,943,040: 320 MiB) admits API.md's example (depth 50,
 * width 512, batch 256: 32.8M plain, 34.3M with a 2-layer residual block) in a 768 MiB
 * heap.
 * @param maxBranchLayers linear layers per residual branch
 */
@ConfigurationProperties("initlab.propagation")
public record PropagationLimits(@DefaultValue("500") int maxDepth, @DefaultValue("2048") int maxWidth,
		@DefaultValue("4096") int maxBatch, @DefaultValue("20000000000") long maxWork,
		@DefaultValue("100") int maxLsuvIterations, @DefaultValue("41943040") long maxElements,
		@DefaultValue("8") int maxBranchLayers) {

	static final String PREFIX = "initlab.propagation.";

}
