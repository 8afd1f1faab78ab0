package dev.initlab.training;

/**
 * The training engine's inner loops, written so that HotSpot's C2 compiler vectorises
 * them (its superword pass): each loop is short, has no branch, and reads and writes only
 * the same index of its arrays. That is why exp and tanh are built here from +, −, ×, ÷,
 * {@code floor} and {@code rint} alone, without {@link Math#exp}'s table lookups or bit
 * manipulation: about 1.7 ns per tanh instead of 14 on the benchmark machine
 * (docs/PERFORMANCE.md). Every step is an IEEE 754 basic operation, so the results are
 * the same on every JVM and CPU.
 *
 * <p>
 * exp follows the usual reduction (as fdlibm's {@code e_exp.c}): {@code y = n ln2 + r},
 * {@code |r| ≤ ln2/2}, {@code e^y = 2^n (1 + expm1(r))}, with {@code expm1(r)} by its
 * Taylor series to degree 13 (truncation below 0.35^14/14! ≈ 4·10^-18) and {@code 2^n}
 * written into the exponent field. tanh is within 3 ulp of {@link StrictMath#tanh}
 * (KernelsTests checks a million arguments).
 */
final class Kernels {

	/** ln 2 in two parts, n·LN2_HI exact for |n| < 2^11: fdlibm's e_exp.c ln2HI/ln2LO. */
	private static final double LN2_HI = 6.93147180369123816490e-01;

	private static final double LN2_LO = 1.90821492927058770002e-10;

	private static final double INV_LN2 = 1.44269504088896338700e+00;

	/** 1/k! for k = 2..13, each the correctly rounded quotient of exact integers. */
	private static final double C2 = 1.0 / 2;

	private static final double C3 = 1.0 / 6;

	private static final double C4 = 1.0 / 24;

	private static final double C5 = 1.0 / 120;

	private static final double C6 = 1.0 / 720;

	private static final double C7 = 1.0 / 5040;

	private static final double C8 = 1.0 / 40320;

	private static final double C9 = 1.0 / 362880;

	private static final double C10 = 1.0 / 3628800;

	private static final double C11 = 1.0 / 39916800;

	private static final double C12 = 1.0 / 479001600;

	private static final double C13 = 1.0 / 6227020800.0;

	/** tanh(z) is 1 in double precision for z ≥ 19.1. */
	private static final double TANH_CLAMP = 20;

	/** e^-708 is still a normal double (708/ln 2 < 1022). */
	private static final double EXP_CLAMP = 708;

	private Kernels() {
	}

	/**
	 * {@code out[s] = tanh(z[s])} for s < n; {@code k} and {@code r} are scratch arrays
	 * of at least n elements; {@code out} must not be {@code z}.
	 */
	static void tanh(double[] z, double[] out, double[] k, double[] r, int n) {
		reduce(z, -2, TANH_CLAMP, k, r, n);
		expm1Series(r, n);
		pow2Negative(k, out, n);
		for (int s = 0; s < n; s++) {
			// expm1(-2|z|) = 2^-k (1 + p) - 1; tanh|z| = -expm1(-2|z|) / (2 +
			// expm1(-2|z|))
			double scale = out[s];
			double em = scale * r[s] + (scale - 1);
			out[s] = sign(z[s]) * (-em / (2 + em));
		}
	}

	/**
	 * {@code out[s] = 1 / (1 + e^-z[s])} for s < n, as {@code 1 / (1 + e^-z)} for z ≥ 0
	 * and {@code e^z / (1 + e^z)} below (so sigmoid(0) is exactly 0.5); scratch as
	 * {@link #tanh}.
	 */
	static void sigmoid(double[] z, double[] out, double[] k, double[] r, int n) {
		reduce(z, -1, EXP_CLAMP, k, r, n);
		expm1Series(r, n);
		pow2Negative(k, out, n);
		for (int s = 0; s < n; s++) {
			double scale = out[s];
			double e = scale + scale * r[s]; // e^-|z|
			// 1 for z ≥ 0 (including -0.0), else 0: exactly, so the numerator is 1 or e
			double positive = Math.min(Math.max(z[s] * 1e300 * 1e300 + 1, 0.0), 1.0);
			out[s] = (positive + (1 - positive) * e) / (1 + e);
		}
	}

	/**
	 * The reduction of {@code y = factor · min(|z[s]|, clamp)} (≤ 0):
	 * {@code y = -k ln2 + r} with k a non-negative integer and |r| ≤ ln2/2, into k[s] and
	 * r[s].
	 */
	private static void reduce(double[] z, double factor, double clamp, double[] k, double[] r, int n) {
		for (int s = 0; s < n; s++) {
			double y = factor * Math.min(Math.abs(z[s]), clamp);
			double m = Math.rint(y * INV_LN2);
			k[s] = -m;
			r[s] = (y - m * LN2_HI) - m * LN2_LO;
		}
	}

	/** r[s] ← expm1(r[s]) for |r| ≤ ln2/2, by Horner's rule on the Taylor series. */
	private static void expm1Series(double[] r, int n) {
		for (int s = 0; s < n; s++) {
			double x = r[s];
			double p = C13;
			p = p * x + C12;
			p = p * x + C11;
			p = p * x + C10;
			p = p * x + C9;
			p = p * x + C8;
			p = p * x + C7;
			p = p * x + C6;
			p = p * x + C5;
			p = p * x + C4;
			p = p * x + C3;
			p = p * x + C2;
			r[s] = x + (x * x) * p;
		}
	}

	/**
	 * {@code out[s] = 2^-k[s]} for integers 0 ≤ k ≤ 1022, written straight into the
	 * exponent field: adding 2^52 puts k in the low bits of the significand. Exact; not
	 * vectorised (no superword form for the bit moves) but branch-free.
	 */
	private static void pow2Negative(double[] k, double[] out, int n) {
		for (int s = 0; s < n; s++) {
			long bits = Double.doubleToRawLongBits(k[s] + 0x1p52);
			out[s] = Double.longBitsToDouble((1023 - (bits & 0x7ff)) << 52);
		}
	}

	/** sign(x): ±1 for every non-zero x (subnormals included), 0 for ±0, NaN for NaN. */
	private static double sign(double x) {
		return Math.min(Math.max(x * 1e300 * 1e300, -1.0), 1.0);
	}

}
