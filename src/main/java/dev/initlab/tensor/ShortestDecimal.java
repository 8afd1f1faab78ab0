package dev.initlab.tensor;

import java.math.BigInteger;

/**
 * Writes a float or double as ASCII bytes straight into a caller's buffer, in the text of
 * Java's {@code Float.toString} / {@code Double.toString} since JDK 19 (and of Jackson's
 * {@code NumberOutput.toString(v, true)}): the shortest decimal that reads back to the
 * same value (at least two digits, the closest to the value among the shortest), plain
 * from 10^-3 up to 10^7 ({@code 0.00123}, {@code 1234.5}), otherwise one digit before the
 * point and an exponent ({@code 1.0E-4}, {@code -3.4028235E38}).
 * <p>
 * The digits come from Raffaello Giulietti's Schubfach ("The Schubfach way to render
 * doubles", 2020, section 9): with {@code v = c·2^q} and {@code k} the largest integer
 * with {@code 10^k ≤ 2^q} (of three quarters of it at a power of two, where the gap below
 * is half the one above), {@code v·10^-k} and the two ends of the interval that rounds to
 * {@code v} are computed to two fractional bits, rounded to odd, from a 63-bit (float) or
 * 126-bit (double) upper approximation of {@code 10^-k}; the answer is then a multiple of
 * 10 inside the interval if exactly one is, else the one of {@code ⌊v·10^-k⌋} and its
 * successor that is inside, or the nearer one (ties to even). The approximations are
 * computed exactly, once, with {@link BigInteger}.
 * <p>
 * Nothing is allocated per value: this is the JSON writer's inner loop.
 */
final class ShortestDecimal {

	/** The longest text of a float: {@code -1.2345678E-45}. */
	static final int MAX_FLOAT_CHARS = 15;

	/** The longest text of a double: {@code -1.2345678901234567E-308}. */
	static final int MAX_DOUBLE_CHARS = 24;

	private static final int FLOAT_Q_MIN = -149;

	private static final int FLOAT_C_MIN = 1 << 23;

	/** Subnormal significands below this are worked with ten times larger. */
	private static final int FLOAT_C_TINY = 8;

	private static final int FLOAT_K_MIN = -45;

	private static final int FLOAT_K_MAX = 31;

	private static final int DOUBLE_Q_MIN = -1074;

	private static final long DOUBLE_C_MIN = 1L << 52;

	private static final int DOUBLE_C_TINY = 3;

	private static final int DOUBLE_K_MIN = -324;

	private static final int DOUBLE_K_MAX = 292;

	/** {@code ⌊10^-k·2^(62-r)⌋ + 1} with {@code r = ⌊log2 10^-k⌋}, in [2^62, 2^63]. */
	private static final long[] FLOAT_G = new long[FLOAT_K_MAX - FLOAT_K_MIN + 1];

	/** The upper and lower 63 bits of {@code ⌊10^-k·2^(125-r)⌋ + 1}, interleaved. */
	private static final long[] DOUBLE_G = new long[2 * (DOUBLE_K_MAX - DOUBLE_K_MIN + 1)];

	private static final long[] POW10 = new long[19];

	/** "00", "01", ..., "99". */
	private static final byte[] PAIRS = new byte[200];

	static {
		for (int k = FLOAT_K_MIN; k <= FLOAT_K_MAX; k++) {
			FLOAT_G[k - FLOAT_K_MIN] = scaledPow10(-k, 62).longValueExact();
		}
		BigInteger low63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
		for (int k = DOUBLE_K_MIN; k <= DOUBLE_K_MAX; k++) {
			BigInteger g = scaledPow10(-k, 125);
			DOUBLE_G[2 * (k - DOUBLE_K_MIN)] = g.shiftRight(63).longValueExact();
			DOUBLE_G[2 * (k - DOUBLE_K_MIN) + 1] = g.and(low63).longValueExact();
		}
		POW10[0] = 1;
		for (int i = 1; i < POW10.length; i++) {
			POW10[i] = 10 * POW10[i - 1];
		}
		for (int i = 0; i < 100; i++) {
			PAIRS[2 * i] = (byte) ('0' + i / 10);
			PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
		}
	}

	private ShortestDecimal() {
	}

	/**
	 * {@code ⌊10^n·2^(bits-r)⌋ + 1}, {@code r = flog2pow10(n)}: a {@code bits+1}-bit
	 * upper approximation of {@code 10^n}, checked to have exactly that many bits.
	 */
	private static BigInteger scaledPow10(int n, int bits) {
		int shift = bits - flog2pow10(n);
		BigInteger p = BigInteger.TEN.pow(Math.abs(n));
		BigInteger g;
		if (n >= 0) {
			g = (shift >= 0) ? p.shiftLeft(shift) : p.shiftRight(-shift);
		}
		else {
			g = BigInteger.ONE.shiftLeft(shift).divide(p);
		}
		if (g.bitLength() != bits + 1) {
			throw new IllegalStateException("10^" + n + " scaled to " + g.bitLength() + " bits");
		}
		return g.add(BigInteger.ONE);
	}

	/** {@code ⌊e·log10 2⌋}, exact for |e| ≤ 5456721. */
	static int flog10pow2(int e) {
		return (int) (e * 661_971_961_083L >> 41);
	}

	/** {@code ⌊log10(3/4·2^e)⌋}, exact for |e| ≤ 2^16. */
	static int flog10threeQuartersPow2(int e) {
		return (int) (e * 661_971_961_083L - 274_743_187_321L >> 41);
	}

	/** {@code ⌊e·log2 10⌋}, exact for |e| ≤ 1233. */
	static int flog2pow10(int e) {
		return (int) (e * 913_124_641_741L >> 38);
	}

	/**
	 * Writes a finite float at {@code pos}, returns the position after it; {@code out}
	 * needs {@link #MAX_FLOAT_CHARS} bytes from {@code pos}.
	 */
	static int appendFloat(float v, byte[] out, int pos) {
		int bits = Float.floatToRawIntBits(v);
		if (bits < 0) {
			out[pos++] = '-';
		}
		int fraction = bits & (FLOAT_C_MIN - 1);
		int biased = (bits >>> 23) & 0xff;
		if (biased == 0xff) {
			throw new IllegalArgumentException("not finite: " + v);
		}
		if (biased != 0) {
			int c = FLOAT_C_MIN | fraction;
			int minusQ = 150 - biased;
			if (0 < minusQ && minusQ < 24) {
				// a small integer: its digits as they are
				int f = c >> minusQ;
				if (f << minusQ == c) {
					return format(f, 0, 9, out, pos);
				}
			}
			return floatDecimal(-minusQ, c, 0, out, pos);
		}
		if (fraction == 0) {
			return zero(out, pos);
		}
		return (fraction < FLOAT_C_TINY) ? floatDecimal(FLOAT_Q_MIN, 10 * fraction, -1, out, pos)
				: floatDecimal(FLOAT_Q_MIN, fraction, 0, out, pos);
	}

	private static int floatDecimal(int q, int c, int dk, byte[] out, int pos) {
		int odd = c & 1;
		long cb = (long) c << 2;
		long cbr = cb + 2;
		long cbl;
		int k;
		if (c != FLOAT_C_MIN || q == FLOAT_Q_MIN) {
			cbl = cb - 2;
			k = flog10pow2(q);
		}
		else {
			cbl = cb - 1;
			k = flog10threeQuartersPow2(q);
		}
		int h = q + flog2pow10(-k) + 33;
		long g = FLOAT_G[k - FLOAT_K_MIN];
		int vb = roundToOdd(g, cb << h);
		int vbl = roundToOdd(g, cbl << h);
		int vbr = roundToOdd(g, cbr << h);
		int s = vb >> 2;
		if (s >= 100) {
			int sp10 = 10 * (s / 10);
			int tp10 = sp10 + 10;
			boolean upIn = vbl + odd <= sp10 << 2;
			boolean wpIn = (tp10 << 2) + odd <= vbr;
			if (upIn != wpIn) {
				return format(upIn ? sp10 : tp10, k, 9, out, pos);
			}
		}
		int t = s + 1;
		boolean uIn = vbl + odd <= s << 2;
		boolean wIn = (t << 2) + odd <= vbr;
		if (uIn != wIn) {
			return format(uIn ? s : t, k + dk, 9, out, pos);
		}
		int cmp = vb - ((s + t) << 1);
		return format((cmp < 0 || cmp == 0 && (s & 1) == 0) ? s : t, k + dk, 9, out, pos);
	}

	/** {@code g·cp / 2^95} to two fractional bits, the last one set when inexact. */
	private static int roundToOdd(long g, long cp) {
		long x = Math.multiplyHigh(g, cp);
		return (int) ((x >>> 31) | ((x & 0xffff_ffffL) + 0xffff_ffffL) >>> 32);
	}

	/**
	 * Writes a finite double at {@code pos}, returns the position after it; {@code out}
	 * needs {@link #MAX_DOUBLE_CHARS} bytes from {@code pos}.
	 */
	static int appendDouble(double v, byte[] out, int pos) {
		long bits = Double.doubleToRawLongBits(v);
		if (bits < 0) {
			out[pos++] = '-';
		}
		long fraction = bits & (DOUBLE_C_MIN - 1);
		int biased = (int) (bits >>> 52) & 0x7ff;
		if (biased == 0x7ff) {
			throw new IllegalArgumentException("not finite: " + v);
		}
		if (biased != 0) {
			long c = DOUBLE_C_MIN | fraction;
			int minusQ = 1075 - biased;
			if (0 < minusQ && minusQ < 53) {
				long f = c >> minusQ;
				if (f << minusQ == c) {
					return format(f, 0, 17, out, pos);
				}
			}
			return doubleDecimal(-minusQ, c, 0, out, pos);
		}
		if (fraction == 0) {
			return zero(out, pos);
		}
		return (fraction < DOUBLE_C_TINY) ? doubleDecimal(DOUBLE_Q_MIN, 10 * fraction, -1, out, pos)
				: doubleDecimal(DOUBLE_Q_MIN, fraction, 0, out, pos);
	}

	private static int doubleDecimal(int q, long c, int dk, byte[] out, int pos) {
		int odd = (int) c & 1;
		long cb = c << 2;
		long cbr = cb + 2;
		long cbl;
		int k;
		if (c != DOUBLE_C_MIN || q == DOUBLE_Q_MIN) {
			cbl = cb - 2;
			k = flog10pow2(q);
		}
		else {
			cbl = cb - 1;
			k = flog10threeQuartersPow2(q);
		}
		int h = q + flog2pow10(-k) + 2;
		int i = 2 * (k - DOUBLE_K_MIN);
		long g1 = DOUBLE_G[i];
		long g0 = DOUBLE_G[i + 1];
		long vb = roundToOdd(g1, g0, cb << h);
		long vbl = roundToOdd(g1, g0, cbl << h);
		long vbr = roundToOdd(g1, g0, cbr << h);
		long s = vb >> 2;
		if (s >= 100) {
			long sp10 = 10 * (s / 10);
			long tp10 = sp10 + 10;
			boolean upIn = vbl + odd <= sp10 << 2;
			boolean wpIn = (tp10 << 2) + odd <= vbr;
			if (upIn != wpIn) {
				return format(upIn ? sp10 : tp10, k, 17, out, pos);
			}
		}
		long t = s + 1;
		boolean uIn = vbl + odd <= s << 2;
		boolean wIn = (t << 2) + odd <= vbr;
		if (uIn != wIn) {
			return format(uIn ? s : t, k + dk, 17, out, pos);
		}
		long cmp = vb - ((s + t) << 1);
		return format((cmp < 0 || cmp == 0 && (s & 1) == 0) ? s : t, k + dk, 17, out, pos);
	}

	/**
	 * {@code (g1·2^63 + g0)·cp / 2^127} to two fractional bits, the last one set when
	 * inexact.
	 */
	private static long roundToOdd(long g1, long g0, long cp) {
		long x1 = Math.multiplyHigh(g0, cp);
		long y0 = g1 * cp;
		long y1 = Math.multiplyHigh(g1, cp);
		long z = (y0 >>> 1) + x1;
		long high = y1 + (z >>> 63);
		return high | ((z & Long.MAX_VALUE) + Long.MAX_VALUE) >>> 63;
	}

	private static int zero(byte[] out, int pos) {
		out[pos] = '0';
		out[pos + 1] = '.';
		out[pos + 2] = '0';
		return pos + 3;
	}

	/**
	 * Writes {@code f·10^e} ({@code 0 < f < 10^digits}) in Java's layout, trailing zeros
	 * of the fraction dropped.
	 */
	private static int format(long f, int e, int digits, byte[] out, int pos) {
		// f·10^e = 0.d1 d2 ... d_digits · 10^e with exactly `digits` digits
		int len = flog10pow2(64 - Long.numberOfLeadingZeros(f));
		if (f >= POW10[len]) {
			len++;
		}
		f *= POW10[digits - len];
		e += len;
		if (0 < e && e <= 7) {
			// the integer part, the point, the rest
			writeDigits(f, digits, out, pos);
			System.arraycopy(out, pos + e, out, pos + e + 1, digits - e);
			out[pos + e] = '.';
			return trim(out, pos + digits + 1, pos + e + 2);
		}
		if (-3 < e && e <= 0) {
			out[pos++] = '0';
			out[pos++] = '.';
			for (; e < 0; e++) {
				out[pos++] = '0';
			}
			writeDigits(f, digits, out, pos);
			return trim(out, pos + digits, pos + 1);
		}
		// d1.d2...E(e-1): the digits written one place on, then d1 moved before the point
		writeDigits(f, digits, out, pos + 1);
		out[pos] = out[pos + 1];
		out[pos + 1] = '.';
		pos = trim(out, pos + digits + 1, pos + 3);
		out[pos++] = 'E';
		int exponent = e - 1;
		if (exponent < 0) {
			out[pos++] = '-';
			exponent = -exponent;
		}
		if (exponent >= 100) {
			out[pos++] = (byte) ('0' + exponent / 100);
			exponent %= 100;
			out[pos++] = PAIRS[2 * exponent];
			out[pos++] = PAIRS[2 * exponent + 1];
		}
		else if (exponent >= 10) {
			out[pos++] = PAIRS[2 * exponent];
			out[pos++] = PAIRS[2 * exponent + 1];
		}
		else {
			out[pos++] = (byte) ('0' + exponent);
		}
		return pos;
	}

	/** The end of the text after dropping trailing zeros, but not before {@code min}. */
	private static int trim(byte[] out, int end, int min) {
		while (end > min && out[end - 1] == '0') {
			end--;
		}
		return end;
	}

	/**
	 * Writes {@code f} as exactly {@code digits} (9 or 17) digits, leading zeros kept.
	 */
	private static void writeDigits(long f, int digits, byte[] out, int pos) {
		if (digits == 9) {
			int v = (int) f;
			int first = v / 100_000_000;
			out[pos] = (byte) ('0' + first);
			write8(v - first * 100_000_000, out, pos + 1);
		}
		else {
			long first = f / 10_000_000_000_000_000L;
			long rest = f - first * 10_000_000_000_000_000L;
			int high = (int) (rest / 100_000_000);
			out[pos] = (byte) ('0' + first);
			write8(high, out, pos + 1);
			write8((int) (rest - high * 100_000_000L), out, pos + 9);
		}
	}

	private static void write8(int v, byte[] out, int pos) {
		int high = v / 10_000;
		write4(high, out, pos);
		write4(v - high * 10_000, out, pos + 4);
	}

	private static void write4(int v, byte[] out, int pos) {
		int high = v / 100;
		int low = v - high * 100;
		out[pos] = PAIRS[2 * high];
		out[pos + 1] = PAIRS[2 * high + 1];
		out[pos + 2] = PAIRS[2 * low];
		out[pos + 3] = PAIRS[2 * low + 1];
	}

}
