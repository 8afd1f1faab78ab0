package dev.initlab.init;

/**
 * N(mean, std^2): {@code mean + std * z}, z standard normal from the stream
 * ({@link Fill.Affine#sample}).
 */
record Normal(double mean, double std) implements Fill.Affine {

	Normal {
		if (!(std >= 0)) {
			throw new IllegalArgumentException("std must be >= 0: " + std);
		}
	}

	@Override
	public Fill.Variate variate() {
		return Fill.Variate.STANDARD_NORMAL;
	}

	@Override
	public double shift() {
		return this.mean;
	}

	@Override
	public double scale() {
		return this.std;
	}

}
