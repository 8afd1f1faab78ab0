package dev.initlab.init;

import dev.initlab.rng.RandomStream;

/**
 * U(low, high): {@code low + (high - low) * u} computed in double, u ~ U[0, 1) from
 * {@link RandomStream#fillUniform}, one uniform per element, as PyTorch's
 * {@code uniform_}. For a tensor of 32 bits or fewer the stream is its
 * {@link RandomStream#forNarrowDType view}: with the Commons RNG generators, 24-bit
 * uniforms, two per 64-bit output (as PyTorch's float uniforms); otherwise 53-bit ones.
 */
record Uniform(double low, double high) implements Fill.Affine {

	Uniform {
		if (!(low <= high)) {
			throw new IllegalArgumentException("low must not exceed high: " + low + " > " + high);
		}
	}

	static Uniform symmetric(double bound) {
		return new Uniform(-bound, bound);
	}

	@Override
	public Fill.Variate variate() {
		return Fill.Variate.UNIT_UNIFORM;
	}

	@Override
	public double shift() {
		return this.low;
	}

	/** {@code high - low}, the width {@link Fill.Affine#sample} multiplies u by. */
	@Override
	public double scale() {
		return this.high - this.low;
	}

	double mean() {
		return 0.5 * (this.low + this.high);
	}

	double std() {
		return (this.high - this.low) / Math.sqrt(12.0);
	}

}
