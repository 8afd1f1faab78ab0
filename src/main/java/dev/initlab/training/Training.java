package dev.initlab.training;

/**
 * How a network is trained.
 *
 * @param optimizer the optimizer
 * @param learningRate step size
 * @param iterations number of updates
 * @param recordEvery record the state every this many updates (and at 0 and at the end)
 * @param batchSize samples per update; 0 or ≥ the training set: full batch
 * @param beta1 momentum / Adam first-moment decay
 * @param beta2 Adam second-moment decay
 * @param epsilon Adam's denominator guard
 */
public record Training(OptimizerKind optimizer, double learningRate, int iterations, int recordEvery, int batchSize,
		double beta1, double beta2, double epsilon) {
}
