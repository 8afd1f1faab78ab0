package dev.initlab.init;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.statistics.distribution.TruncatedNormalDistribution;

import dev.initlab.rng.RandomStream;

/**
 * N(mean, std^2) conditioned on [a, b] (absolute bounds, as PyTorch's
 * {@code trunc_normal_}), sampled exactly: by rejection from the normal when the interval
 * holds at least 25% of the mass (at most 4 draws expected), else by inverting the CDF on
 * the tail nearer zero, where the CDF values are representable precisely. Nothing is
 * clipped.
 * <p>
 * The sampler's own quantile and CDF stay: they fix the values a seed gives, and Commons
 * Statistics' quantile differs from them in the last bits. The moments, which no sample
 * depends on, are Commons Statistics' ({@code TruncatedNormalDistribution}, erfcx-based,
 * exact to about 1e-13 relative where the textbook closed form loses digits by
 * cancellation: 1e-7 relative on [-40, -37] σ).
 */
record TruncatedNormal(double mean, double std, double a, double b) implements Fill.Elementwise {

	private static final double SQRT2 = Math.sqrt(2.0);

	private static final double REJECTION_MIN_MASS = 0.25;

	/** Acklam's rational approximation of the normal quantile: central region. */
	private static final double[] A = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
			1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };

	private static final double[] B = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
			6.680131188771972e+01, -1.328068155288572e+01 };

	/** Acklam's rational approximation of the normal quantile: tails. */
	private static final double[] C = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
			-2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };

	private static final double[] D = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
			3.754408661907416e+00 };

	private static final double P_LOW = 0.02425;

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

	/**
	 * {@code Phi(beta) - Phi(alpha)}, computed on the side of zero where the interval
	 * lies: in an upper tail both CDF values round to 1 and their difference to noise,
	 * while {@code Phi(-alpha) - Phi(-beta)} keeps every digit.
	 */
	static double mass(double alpha, double beta) {
		return (alpha > 0) ? phi(-alpha) - phi(-beta) : phi(beta) - phi(alpha);
	}

	/**
	 * The standard normal quantile, to double precision down to the smallest normal p.
	 * Not {@code -sqrt(2) erfcInv(2p)}: Commons Math computes {@code erfcInv(x)} as
	 * {@code erfInv(1 - x)}, which rounds {@code 2p} away below about 1e-16. P. J.
	 * Acklam's rational approximation ("An algorithm for computing the inverse normal
	 * cumulative distribution function", 2003; relative error 1.15e-9) refined by one
	 * Halley step on {@link #phi}.
	 */
	static double inversePhi(double p) {
		if (!(p > 0)) {
			return Double.NEGATIVE_INFINITY;
		}
		if (!(p < 1)) {
			return Double.POSITIVE_INFINITY;
		}
		double x;
		if (p < P_LOW || p > 1 - P_LOW) {
			double q = Math.sqrt(-2 * Math.log((p < P_LOW) ? p : 1 - p));
			x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
					/ ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
			x = (p < P_LOW) ? x : -x;
		}
		else {
			double q = p - 0.5;
			double r = q * q;
			x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
					/ (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
		}
		double u = (phi(x) - p) * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
		double refined = x - u / (1 + 0.5 * x * u);
		return Double.isFinite(refined) ? refined : x;
	}

	@Override
	public void sample(RandomStream stream, double[] out, int off, int len) {
		double alpha = alpha();
		double beta = beta();
		double mass = mass(alpha, beta);
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
			double z = inversePhi(p);
			z = Math.min(Math.max(z, lo), hi);
			out[i] = this.mean + this.std * (mirror ? -z : z);
		}
	}

	/**
	 * The standardized distribution, N(0, 1) on [alpha, beta], in Commons Statistics:
	 * scaling its moments by {@code std} afterwards cannot overflow where {@code std²}
	 * would.
	 */
	private TruncatedNormalDistribution standardized() {
		return TruncatedNormalDistribution.of(0, 1, alpha(), beta());
	}

	/** Exact mean of the truncated distribution. */
	double expectedMean() {
		return this.mean + this.std * standardized().getMean();
	}

	/** Exact standard deviation of the truncated distribution. */
	double expectedStd() {
		return this.std * Math.sqrt(standardized().getVariance());
	}

}
