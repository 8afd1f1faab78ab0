package dev.initlab.experiments;

/**
 * How an experiment or a symmetry check trains.
 *
 * @param optimizer {@code gd} (default), {@code momentum}, {@code adam}
 * @param learningRate step size (default 1.2)
 * @param iterations updates (default 1000)
 * @param recordEvery record every this many updates (default iterations / 10)
 * @param batchSize samples per update (default: full batch)
 * @param beta momentum's β and Adam's β1 (default 0.9)
 * @param beta2 Adam's β2 (default 0.999)
 * @param epsilon Adam's ε (default 1e-8)
 */
public record TrainingSpec(String optimizer, Double learningRate, Integer iterations, Integer recordEvery,
		Integer batchSize, Double beta, Double beta2, Double epsilon) {
}
