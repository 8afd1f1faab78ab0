package dev.initlab.experiments;

import java.util.List;

import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.InvalidRequestException.FieldError;
import dev.initlab.problems.Limit;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.training.OptimizerKind;
import dev.initlab.training.Training;

/**
 * How an experiment or a symmetry check trains.
 *
 * @param optimizer the optimizer ({@link OptimizerKind}), default {@code gd}
 * @param learningRate step size (default 1.2)
 * @param iterations updates (default 1000)
 * @param recordEvery record every this many updates (default iterations / 10)
 * @param batchSize samples per update (default: full batch)
 * @param beta momentum's β and Adam's β1 (default 0.9)
 * @param beta2 Adam's β2 (default 0.999)
 * @param epsilon Adam's ε (default 1e-8)
 */
public record TrainingSpec(String optimizer, Double learningRate,
		@Limit(property = "initlab.experiments.max-iterations", what = "iterations") Integer iterations,
		Integer recordEvery, Integer batchSize, Double beta, Double beta2, Double epsilon) {

	/** Every field at its default. */
	static final TrainingSpec DEFAULTS = new TrainingSpec(null, null, null, null, null, null, null, null);

	/**
	 * The training schedule with its defaults, checked against the limits.
	 * @param path where this spec is in the request, e.g. {@code training}
	 * @param limits the experiment limits
	 * @param errors where field errors go (the caller throws them with its own)
	 * @throws LimitExceededException when a limit is exceeded
	 */
	Training resolve(String path, ExperimentLimits limits, List<FieldError> errors) {
		OptimizerKind optimizer = InvalidRequestException.lookup(path + ".optimizer", "optimizer", this.optimizer,
				OptimizerKind.GD, OptimizerKind::byName, OptimizerKind.names(), errors);
		int iterations = (this.iterations != null) ? this.iterations : 1000;
		if (iterations < 1) {
			errors.add(new FieldError(path + ".iterations", "must be >= 1"));
		}
		if (iterations > limits.maxIterations()) {
			throw new LimitExceededException("iterations", iterations, limits.maxIterations(),
					ExperimentLimits.PREFIX + "max-iterations", null);
		}
		int recordEvery = (this.recordEvery != null) ? this.recordEvery : Math.max(1, iterations / 10);
		if (recordEvery < 1) {
			errors.add(new FieldError(path + ".record_every", "must be >= 1"));
			recordEvery = 1;
		}
		else if (iterations / recordEvery > limits.maxRecords()) {
			throw new LimitExceededException("recorded entries per policy (iterations / record_every)",
					iterations / recordEvery, limits.maxRecords(), ExperimentLimits.PREFIX + "max-records",
					"Raise training.record_every.");
		}
		double lr = (this.learningRate != null) ? this.learningRate : 1.2;
		if (!(lr > 0) || !Double.isFinite(lr)) {
			errors.add(new FieldError(path + ".learning_rate", "must be a positive number"));
		}
		if (this.batchSize != null && this.batchSize < 1) {
			errors.add(new FieldError(path + ".batch_size", "must be >= 1 (omit it for full batch)"));
		}
		return new Training(optimizer, lr, Math.max(1, iterations), recordEvery,
				(this.batchSize != null) ? this.batchSize : 0, (this.beta != null) ? this.beta : 0.9,
				(this.beta2 != null) ? this.beta2 : 0.999, (this.epsilon != null) ? this.epsilon : 1e-8);
	}

}
