package dev.initlab.training;

/**
 * The training engine's tanh and sigmoid, written so that HotSpot's C2 compiler
 * vectorises them (its superword pass): each loop is short, has no branch, and reads and
 * writes only the same index of its arrays. They are built from IEEE 754 basic operations
 * alone (+, −, ×, ÷, fused multiply-add, min/max, and moves between a double's bits and a
 * long), without {@link Math#exp}'s table lookups, so every step is exactly specified and
 * the results are the same bits on every JVM and CPU. About 1.1 ns per tanh instead of 14
 * on the benchmark machine (docs/PERFORMANCE.md).
 *
 * <p>
 * exp follows the usual reduction (as fdlibm's {@code e_exp.c}): {@code y = n ln2 + r},
 * {@code |r| ≤ ln2/2}, {@code e^y = 2^n (1 + expm1(r))}, with {@code expm1(r)} by its
 * Taylor series to degree 13 (truncation below 0.35^14/14! ≈ 4·10^-18) in fused
 * multiply-adds, n rounded by adding 1.5·2^52, and {@code 2^n} written into the exponent
 * field from that sum's low bits. Fused multiply-adds halve the operations of the series
 * and C2 vectorises them (vfmadd); only the bit moves stay scalar. ({@link Math#fma} is
 * exact everywhere; on a CPU without FMA instructions, older than x86-64's Haswell or
 * Piledriver, the JVM emulates it, correctly but far more slowly.) tanh is within 3 ulp
 * of {@link StrictMath#tanh} (KernelsTests checks a million arguments).
 */
final class Kernels {

	/** ln 2 in two parts, n·LN2_HI exact for |n| < 2^11: fdlibm's e_exp.c ln2HI/ln2LO. */
	private static final double LN2_HI = 6.93147180369123816490e-01;

	private static final double LN2_LO = 1.90821492927058770002e-10;

	private static final double INV_LN2 = 1.44269504088896338700e+00;

	/**
	 * 1.5·2^52: for |v| < 2^51, {@code v + MAGIC} is rounded to an integer (to nearest,
	 * ties to even), held in the low bits of the significand.
	 */
	private static final double MAGIC = 0x1.8p52;

	private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);

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
		pow2(k, out, n);
		for (int s = 0; s < n; s++) {
			// expm1(-2|z|) = 2^n (1 + p) - 1; tanh|z| = -expm1(-2|z|) / (2 +
			// expm1(-2|z|))
			double scale = out[s];
			double em = Math.fma(scale, r[s], scale - 1);
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
		pow2(k, out, n);
		for (int s = 0; s < n; s++) {
			double scale = out[s];
			double e = Math.fma(scale, r[s], scale); // e^-|z|
			double positive = positive(z[s]);
			out[s] = (positive + (1 - positive) * e) / (1 + e);
		}
	}

	/**
	 * The reduction of {@code y = factor · min(|z[s]|, clamp)} (≤ 0):
	 * {@code y = n ln2 + r} with n a non-positive integer and |r| ≤ ln2/2 (to rounding);
	 * {@code k[s] = n + MAGIC} and {@code r[s] = r}.
	 */
	private static void reduce(double[] z, double factor, double clamp, double[] k, double[] r, int n) {
		for (int s = 0; s < n; s++) {
			double y = factor * Math.min(Math.abs(z[s]), clamp);
			double t = Math.fma(y, INV_LN2, MAGIC);
			double m = t - MAGIC;
			k[s] = t;
			r[s] = Math.fma(m, -LN2_LO, Math.fma(m, -LN2_HI, y));
		}
	}

	/** r[s] ← expm1(r[s]) for |r| ≤ ln2/2, by Horner's rule on the Taylor series. */
	private static void expm1Series(double[] r, int n) {
		for (int s = 0; s < n; s++) {
			double x = r[s];
			double p = Math.fma(x, C13, C12);
			p = Math.fma(p, x, C11);
			p = Math.fma(p, x, C10);
			p = Math.fma(p, x, C9);
			p = Math.fma(p, x, C8);
			p = Math.fma(p, x, C7);
			p = Math.fma(p, x, C6);
			p = Math.fma(p, x, C5);
			p = Math.fma(p, x, C4);
			p = Math.fma(p, x, C3);
			p = Math.fma(p, x, C2);
			r[s] = Math.fma(x * x, p, x);
		}
	}

	/**
	 * {@code out[s] = 2^n} for the integers {@code -1022 ≤ n ≤ 0} held as
	 * {@code k[s] = n + MAGIC}: the low bits of k's significand are n (two's complement
	 * after subtracting MAGIC's bits), moved into the exponent field. Exact.
	 */
	private static void pow2(double[] k, double[] out, int n) {
		for (int s = 0; s < n; s++) {
			long e = Double.doubleToRawLongBits(k[s]) - MAGIC_BITS + 1023;
			out[s] = Double.longBitsToDouble(e << 52);
		}
	}

	/** sign(x): ±1 for every non-zero x (subnormals included), 0 for ±0, NaN for NaN. */
	private static double sign(double x) {
		return Math.min(Math.max(x * 1e300 * 1e300, -1.0), 1.0);
	}

	/** 1 for x ≥ 0 (including -0.0), else 0, exactly; NaN for NaN. */
	private static double positive(double x) {
		return Math.min(Math.max(x * 1e300 * 1e300 + 1, 0.0), 1.0);
	}

}
