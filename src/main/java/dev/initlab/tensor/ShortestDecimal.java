package dev.initlab.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * Writes a float or double as ASCII bytes straight into a caller's buffer, in the text of
 * Java's {@code Float.toString} / {@code Double.toString} since JDK 19 (and of Jackson's
 * {@code NumberOutput.toString(v, true)}): the shortest decimal that reads back to the
 * same value (at least two digits, the closest to the value among the shortest), plain
 * from 10^-3 up to 10^7 ({@code 0.00123}, {@code 1234.5}), otherwise one digit before the
 * point and an exponent ({@code 1.0E-4}, {@code -3.4028235E38}).
 * <p>
 * The digits come from Raffaello Giulietti's Schubfach ("The Schubfach way to render
 * doubles", 2020): with {@code v = c·2^q} and {@code k} the largest integer with
 * {@code 10^k ≤ 2^q} (of three quarters of it at a power of two, where the gap below is
 * half the one above), {@code v·10^-k} and the two ends of the interval that rounds to
 * {@code v} are computed to two fractional bits, rounded to odd, from a 63-bit (float) or
 * 126-bit (double) upper approximation of {@code 10^-k}; the answer is then a multiple of
 * 10 inside the interval if exactly one is, else the one of {@code ⌊v·10^-k⌋} and its
 * successor that is inside, or the nearer one (ties to even). The approximations are
 * computed exactly, once, with {@link BigInteger}.
 * <p>
 * Nothing is allocated per value: this is the JSON writer's inner loop. The choice
 * between the candidates is made without branches (which of them wins follows no pattern
 * a branch predictor could learn: with branches it took two thirds of the time), and the
 * digits are made eight at a time in the lanes of a {@code long}.
 */
final class ShortestDecimal {

	/**
	 * Bytes from the start position that a call may write (the longest text,
	 * {@code -1.2345678901234567E-308}, has 24; whole eight-byte words are stored).
	 */
	static final int ROOM = 32;

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

	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long ASCII_ZEROS = 0x3030_3030_3030_3030L;

	/** "0.000000" as a little-endian word. */
	private static final long ZERO_POINT_ZEROS = 0x3030_3030_3030_2e30L;

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
	 * needs {@link #ROOM} bytes from {@code pos}.
	 */
	static int appendFloat(float v, byte[] out, int pos) {
		int bits = Float.floatToRawIntBits(v);
		out[pos] = '-';
		pos += bits >>> 31;
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
					return formatFloat(f, 0, out, pos);
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
		// 1 or 0: whether each candidate is inside the interval, which one is taken
		int tp10 = 10 * (s / 10) + 10;
		int upIn = ~((tp10 - 10 << 2) - vbl - odd) >>> 31;
		int wpIn = ~(vbr - (tp10 << 2) - odd) >>> 31;
		int t = s + 1;
		int uIn = ~((s << 2) - vbl - odd) >>> 31;
		int wIn = ~(vbr - (t << 2) - odd) >>> 31;
		// below the midpoint between s and t, or on it with s even
		int nearerIsS = (vb - ((s + t) << 1) + (s & 1) - 1) >>> 31;
		int takeS = nearerIsS ^ ((uIn ^ nearerIsS) & (uIn ^ wIn));
		int longer = t - takeS;
		// one digit fewer when exactly one multiple of 10 is inside (s has 3 digits or
		// more)
		int shorter = (99 - s) >>> 31 & (upIn ^ wpIn);
		int f = longer + ((tp10 - 10 * upIn - longer) & -shorter);
		return formatFloat(f, k + (dk & (shorter - 1)), out, pos);
	}

	/** {@code g·cp / 2^95} to two fractional bits, the last one set when inexact. */
	private static int roundToOdd(long g, long cp) {
		long x = Math.multiplyHigh(g, cp);
		return (int) ((x >>> 31) | ((x & 0xffff_ffffL) + 0xffff_ffffL) >>> 32);
	}

	/**
	 * Writes a finite double at {@code pos}, returns the position after it; {@code out}
	 * needs {@link #ROOM} bytes from {@code pos}.
	 */
	static int appendDouble(double v, byte[] out, int pos) {
		long bits = Double.doubleToRawLongBits(v);
		out[pos] = '-';
		pos += (int) (bits >>> 63);
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
					return formatDouble(f, 0, out, pos);
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
		// as for floats
		long tp10 = 10 * (s / 10) + 10;
		long upIn = ~((tp10 - 10 << 2) - vbl - odd) >>> 63;
		long wpIn = ~(vbr - (tp10 << 2) - odd) >>> 63;
		long t = s + 1;
		long uIn = ~((s << 2) - vbl - odd) >>> 63;
		long wIn = ~(vbr - (t << 2) - odd) >>> 63;
		long nearerIsS = (vb - ((s + t) << 1) + (s & 1) - 1) >>> 63;
		long takeS = nearerIsS ^ ((uIn ^ nearerIsS) & (uIn ^ wIn));
		long longer = t - takeS;
		long shorter = (99 - s) >>> 63 & (upIn ^ wpIn);
		long f = longer + ((tp10 - 10 * upIn - longer) & -shorter);
		return formatDouble(f, k + (dk & ((int) shorter - 1)), out, pos);
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

	/** Writes {@code f·10^e}, {@code 0 < f < 10^9}, in Java's layout. */
	private static int formatFloat(int f, int e, byte[] out, int pos) {
		// f·10^e = 0.d1 d2 ... d9 · 10^e
		int len = flog10pow2(32 - Integer.numberOfLeadingZeros(f));
		len += (int) (POW10[len] - 1 - f >>> 63);
		f *= (int) POW10[9 - len];
		e += len;
		int first = f / 100_000_000;
		long digits = eightDigits(f - first * 100_000_000);
		// trailing zeros of d2..d9: the zero bytes at the top
		int zeros = Long.numberOfLeadingZeros(digits) >>> 3;
		long ascii = digits + ASCII_ZEROS;
		if (0 < e && e <= 7) {
			// d1..de, the point, the rest: the digits after the point stored again, moved
			out[pos] = (byte) ('0' + first);
			LONG.set(out, pos + 1, ascii);
			out[pos + e] = '.';
			LONG.set(out, pos + e + 1, ascii >>> ((e - 1) << 3));
			return pos + e + 1 + Math.max(9 - e - zeros, 1);
		}
		if (-3 < e && e <= 0) {
			LONG.set(out, pos, ZERO_POINT_ZEROS);
			pos += 2 - e;
			out[pos] = (byte) ('0' + first);
			LONG.set(out, pos + 1, ascii);
			return pos + 9 - zeros;
		}
		out[pos] = (byte) ('0' + first);
		out[pos + 1] = '.';
		LONG.set(out, pos + 2, ascii);
		return exponent(e - 1, out, pos + 2 + Math.max(8 - zeros, 1));
	}

	/** Writes {@code f·10^e}, {@code 0 < f < 10^17}, in Java's layout. */
	private static int formatDouble(long f, int e, byte[] out, int pos) {
		int len = flog10pow2(64 - Long.numberOfLeadingZeros(f));
		len += (int) (POW10[len] - 1 - f >>> 63);
		f *= POW10[17 - len];
		e += len;
		int first = (int) (f / 10_000_000_000_000_000L);
		long rest = f - first * 10_000_000_000_000_000L;
		int high8 = (int) (rest / 100_000_000);
		long high = eightDigits(high8);
		long low = eightDigits((int) (rest - high8 * 100_000_000L));
		int lowZeros = Long.numberOfLeadingZeros(low) >>> 3;
		int zeros = lowZeros + ((Long.numberOfLeadingZeros(high) >>> 3) & -(lowZeros >>> 3));
		if (0 < e && e <= 7) {
			// the 17 digits one place on, the first e moved back before the point
			out[pos + 1] = (byte) ('0' + first);
			LONG.set(out, pos + 2, high + ASCII_ZEROS);
			LONG.set(out, pos + 10, low + ASCII_ZEROS);
			System.arraycopy(out, pos + 1, out, pos, e);
			out[pos + e] = '.';
			return pos + e + 1 + Math.max(17 - e - zeros, 1);
		}
		if (-3 < e && e <= 0) {
			LONG.set(out, pos, ZERO_POINT_ZEROS);
			pos += 2 - e;
			out[pos] = (byte) ('0' + first);
			LONG.set(out, pos + 1, high + ASCII_ZEROS);
			LONG.set(out, pos + 9, low + ASCII_ZEROS);
			return pos + 17 - zeros;
		}
		out[pos] = (byte) ('0' + first);
		out[pos + 1] = '.';
		LONG.set(out, pos + 2, high + ASCII_ZEROS);
		LONG.set(out, pos + 10, low + ASCII_ZEROS);
		return exponent(e - 1, out, pos + 2 + Math.max(16 - zeros, 1));
	}

	/** Writes {@code E} and the exponent. */
	private static int exponent(int exponent, byte[] out, int pos) {
		out[pos++] = 'E';
		if (exponent < 0) {
			out[pos++] = '-';
			exponent = -exponent;
		}
		if (exponent >= 100) {
			out[pos++] = (byte) ('0' + exponent / 100);
			exponent %= 100;
		}
		else if (exponent < 10) {
			out[pos] = (byte) ('0' + exponent);
			return pos + 1;
		}
		out[pos] = PAIRS[2 * exponent];
		out[pos + 1] = PAIRS[2 * exponent + 1];
		return pos + 2;
	}

	/**
	 * The eight decimal digits of {@code v < 10^8}, one per byte (0 to 9), the most
	 * significant in the lowest byte: two 4-digit halves in 32-bit lanes, split into
	 * 2-digit halves in 16-bit lanes, then into digits, all lanes at once (each lane's
	 * products stay inside it; {@code x·10486 >> 20} is {@code x/100} below 10^4 and
	 * {@code x·103 >> 10} is {@code x/10} below 100).
	 */
	static long eightDigits(int v) {
		int high = v / 10_000;
		long x = high | (long) (v - high * 10_000) << 32;
		long hundreds = (x * 10486 >>> 20) & 0x0000_007f_0000_007fL;
		x = (x - hundreds * 100) << 16 | hundreds;
		long tens = (x * 103 >>> 10) & 0x000f_000f_000f_000fL;
		return (x - tens * 10) << 8 | tens;
	}

}
