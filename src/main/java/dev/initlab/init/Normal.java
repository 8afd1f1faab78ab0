package dev.initlab.init;

import dev.initlab.rng.RandomStream;

/** N(mean, std^2): {@code mean + std * z}, z standard normal from the stream. */
record Normal(double mean, double std) implements Fill.Affine {

	Normal {
		if (!(std >= 0)) {
			throw new IllegalArgumentException("std must be >= 0: " + std);
		}
	}

	@Override
	public void sample(RandomStream stream, double[] out, int off, int len) {
		stream.fillGaussian(out, off, len);
		for (int i = off, end = off + len; i < end; i++) {
			out[i] = this.mean + this.std * out[i];
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
