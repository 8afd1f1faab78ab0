package dev.initlab.init;

import org.apache.commons.math3.special.Erf;

import dev.initlab.rng.RandomStream;

/**
 * N(mean, std^2) conditioned on [a, b] (absolute bounds, as PyTorch's
 * {@code trunc_normal_}), sampled exactly: by rejection from the normal when the interval
 * holds at least 25% of the mass (at most 4 draws expected), else by inverting the CDF on
 * the tail nearer zero, where the CDF values are representable precisely. Nothing is
 * clipped.
 */
record TruncatedNormal(double mean, double std, double a, double b) implements Fill.Elementwise {

	private static final double SQRT2 = Math.sqrt(2.0);

	private static final double REJECTION_MIN_MASS = 0.25;

	TruncatedNormal {
		if (!(std > 0) || !(a < b)) {
			throw new IllegalArgumentException("need std > 0 and a < b");
		}
	}

	private double alpha() {
		return (this.a - this.mean) / this.std;
	}

	private double beta() {
		return (this.b - this.mean) / this.std;
	}

	/** Standard normal CDF. */
	static double phi(double x) {
		return 0.5 * Erf.erfc(-x / SQRT2);
	}

	/** Standard normal density. */
	static double density(double x) {
		return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
	}

	@Override
	public void sample(RandomStream stream, double[] out, int off, int len) {
		double alpha = alpha();
		double beta = beta();
		double mass = phi(beta) - phi(alpha);
		if (mass >= REJECTION_MIN_MASS) {
			for (int i = off, end = off + len; i < end; i++) {
				double z;
				do {
					z = stream.nextGaussian();
				}
				while (z < alpha || z > beta);
				out[i] = this.mean + this.std * z;
			}
			return;
		}
		// Work on the side of zero where the interval lies, mirrored to the lower tail:
		// for
		// [alpha, beta] with alpha > 0 sample from [-beta, -alpha] and negate.
		boolean mirror = alpha > 0;
		double lo = mirror ? -beta : alpha;
		double hi = mirror ? -alpha : beta;
		double pLo = phi(lo);
		double pHi = phi(hi);
		for (int i = off, end = off + len; i < end; i++) {
			double p = pLo + (pHi - pLo) * stream.nextDouble();
			double z = -SQRT2 * Erf.erfcInv(2 * p);
			z = Math.min(Math.max(z, lo), hi);
			out[i] = this.mean + this.std * (mirror ? -z : z);
		}
	}

	/** Exact mean of the truncated distribution. */
	double expectedMean() {
		double alpha = alpha();
		double beta = beta();
		double z = phi(beta) - phi(alpha);
		return this.mean + this.std * (density(alpha) - density(beta)) / z;
	}

	/** Exact standard deviation of the truncated distribution. */
	double expectedStd() {
		double alpha = alpha();
		double beta = beta();
		double z = phi(beta) - phi(alpha);
		double pa = density(alpha);
		double pb = density(beta);
		double m = (pa - pb) / z;
		double var = 1 + (alpha * pa - beta * pb) / z - m * m;
		return this.std * Math.sqrt(var);
	}

}
