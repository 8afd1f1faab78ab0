package dev.initlab.propagation;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One layer of a forward/backward pass through a deep stack.
 *
 * @param layer 1 for the first hidden layer (the input is not a layer)
 * @param preactivationStd std of W a + b over units and samples
 * @param activationMean mean of the layer's output
 * @param activationStd std of the layer's output
 * @param saturationFraction share of outputs with tanh |a| > 0.99 or sigmoid a < 0.01 or
 * > 0.99 (null for other activations)
 * @param deadFraction share of units whose output is exactly 0 on every sample
 * @param gradientStd std of ∂L/∂(this layer's output) for a unit-variance random output
 * gradient
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LayerStats(int layer, double preactivationStd, double activationMean, double activationStd,
		Double saturationFraction, double deadFraction, double gradientStd) {
}
