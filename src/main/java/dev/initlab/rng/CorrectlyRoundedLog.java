package dev.initlab.rng;

/**
 * The natural logarithm rounded correctly (to nearest, ties to even), in pure Java, so
 * that the legacy NumPy normals come out the same on every JVM.
 * <p>
 * NumPy's polar method calls the platform's {@code log}. {@link StrictMath#log} (fdlibm,
 * under 1 ulp) disagrees with glibc's in about 7% of calls, and {@link Math#log} is an
 * intrinsic that may change with the JVM and CPU; glibc's own {@code log} is correctly
 * rounded except in about 1 call in 1200 (glibc 2.36: results up to 0.505 ulp off). A
 * correctly rounded log is the one target every good libm approaches, so it is what
 * initlab uses; the test vectors list the values where NumPy's platform log missed.
 * <p>
 * Method: {@code x = 2^k m} with {@code m} in [&radic;&frac12;, &radic;2), then
 * {@code log m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...)} with {@code s = (m - 1) / (m +
 * 1)}, |s| &le; 0.1716, plus {@code k ln 2}, all in double-double arithmetic, rounded
 * once at the end. Ziv's strategy: a fast evaluation (15 terms, the small ones in plain
 * double, relative error below 2<sup>-69</sup>) is returned when its rounding cannot be
 * in doubt (error bound 2<sup>-64</sup>); otherwise (about once in 1000 to 2000 calls) an
 * accurate one (22 terms, all in double-double, about 2<sup>-100</sup>) decides, which
 * can round wrongly only for an argument whose logarithm lies within 2<sup>-47</sup> ulp
 * of a rounding boundary.
 */
final class CorrectlyRoundedLog {

	private static final int ACCURATE_TERMS = 22;

	private static final int FAST_TERMS = 15;

	/** Terms of the fast evaluation summed in double-double: 1/3 and 1/5. */
	private static final int FAST_DOUBLE_DOUBLE_TERMS = 3;

	/** 1 / (2n + 1) for n = 0 .. ACCURATE_TERMS - 1, high and low parts. */
	private static final double[] INV_ODD_HI = new double[ACCURATE_TERMS];

	private static final double[] INV_ODD_LO = new double[ACCURATE_TERMS];

	static {
		for (int n = 0; n < ACCURATE_TERMS; n++) {
			double d = 2 * n + 1;
			double hi = 1.0 / d;
			INV_ODD_HI[n] = hi;
			INV_ODD_LO[n] = -Math.fma(hi, d, -1.0) / d;
		}
	}

	/** ln 2 as a double-double (hi = the double nearest ln 2). */
	private static final double LN2_HI = 0x1.62e42fefa39efp-1;

	private static final double LN2_LO = 0x1.abc9e3b39803fp-56;

	private static final double SQRT2 = 1.4142135623730951;

	private CorrectlyRoundedLog() {
	}

	/** The correctly rounded natural logarithm; special values as {@link Math#log}. */
	static double log(double x) {
		if (!(x > 0.0) || x == Double.POSITIVE_INFINITY) {
			return StrictMath.log(x);
		}
		double[] y = evaluate(x, FAST_TERMS, FAST_DOUBLE_DOUBLE_TERMS);
		double rounded = y[0] + y[1];
		double err = Math.abs(y[0]) * 0x1p-64;
		if (rounded == y[0] + (y[1] + err) && rounded == y[0] + (y[1] - err)) {
			return rounded;
		}
		return accurate(x);
	}

	/** The accurate evaluation alone (for tests); positive finite {@code x} only. */
	static double accurate(double x) {
		double[] y = evaluate(x, ACCURATE_TERMS, ACCURATE_TERMS);
		return y[0] + y[1];
	}

	/**
	 * log x as a normalized double-double, summing {@code terms} terms of the atanh
	 * series, of which the first {@code ddTerms} in double-double arithmetic.
	 */
	private static double[] evaluate(double x, int terms, int ddTerms) {
		int k = 0;
		if (x < Double.MIN_NORMAL) {
			x *= 0x1p54;
			k = -54;
		}
		int e = Math.getExponent(x);
		double m = Math.scalb(x, -e);
		k += e;
		if (m >= SQRT2) {
			m *= 0.5;
			k++;
		}
		double lHi = 0.0;
		double lLo = 0.0;
		if (m != 1.0) {
			// s = (m - 1) / (m + 1): m - 1 is exact (Sterbenz), m + 1 a double-double.
			double f = m - 1.0;
			double gHi = m + 1.0;
			double gb = gHi - m;
			double gLo = (m - (gHi - gb)) + (1.0 - gb);
			double sHi = f / gHi;
			double sLo = (Math.fma(-sHi, gHi, f) - sHi * gLo) / gHi;
			// z = s^2
			double zHi = sHi * sHi;
			double zLo = Math.fma(sHi, sHi, -zHi) + 2.0 * sHi * sLo;
			// p = sum over n >= 1 of z^(n-1) / (2n + 1), by Horner: the small terms in
			// double, the leading ones in double-double.
			int top = terms - 1;
			double pHi = INV_ODD_HI[top];
			double pLo = (top < ddTerms) ? INV_ODD_LO[top] : 0.0;
			for (int n = top - 1; n >= ddTerms; n--) {
				pHi = Math.fma(zHi, pHi, INV_ODD_HI[n]);
			}
			for (int n = Math.min(top, ddTerms) - 1; n >= 1; n--) {
				// p = p * z + 1 / (2n + 1)
				double mHi = pHi * zHi;
				double mLo = Math.fma(pHi, zHi, -mHi) + (pHi * zLo + pLo * zHi);
				double aHi = mHi + INV_ODD_HI[n];
				double ab = aHi - mHi;
				double aLo = ((mHi - (aHi - ab)) + (INV_ODD_HI[n] - ab)) + (mLo + INV_ODD_LO[n]);
				pHi = aHi + aLo;
				pLo = aLo - (pHi - aHi);
			}
			// t = s * z * p = s^3/3 + s^5/5 + ...
			double mHi = pHi * zHi;
			double mLo = Math.fma(pHi, zHi, -mHi) + (pHi * zLo + pLo * zHi);
			double tHi = mHi * sHi;
			double tLo = Math.fma(mHi, sHi, -tHi) + (mHi * sLo + mLo * sHi);
			// log m = 2 (s + t)
			double uHi = sHi + tHi;
			double ub = uHi - sHi;
			double uLo = ((sHi - (uHi - ub)) + (tHi - ub)) + (sLo + tLo);
			double vHi = uHi + uLo;
			lHi = 2.0 * vHi;
			lLo = 2.0 * (uLo - (vHi - uHi));
		}
		if (k == 0) {
			return new double[] { lHi, lLo };
		}
		// + k ln 2, with k * LN2_HI split exactly
		double kHi = k * LN2_HI;
		double kLo = Math.fma(k, LN2_HI, -kHi) + k * LN2_LO;
		double rHi = kHi + lHi;
		double rb = rHi - kHi;
		double rLo = ((kHi - (rHi - rb)) + (lHi - rb)) + (kLo + lLo);
		double yHi = rHi + rLo;
		return new double[] { yHi, rLo - (yHi - rHi) };
	}

}
