package dev.initlab.rng;

import java.lang.reflect.Field;
import java.util.Arrays;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The edge of Commons RNG's normal ziggurat ({@link ZigguratSampler.NormalizedGaussian},
 * McFarland 2016, "A modified ziggurat algorithm for generating exponentially and
 * normally distributed pseudorandom numbers", J. Stat. Comput. Simul. 86(7)), for loops
 * that take its fast path themselves: {@code x = nextLong()}, {@code i = x & 0xff}, and
 * for {@code i < }{@link #I_MAX} the sample {@code X[i] * x}; otherwise
 * {@link #edge}{@code (rng, x)}, which draws the rest from the same generator. The
 * samples are the library's, bit for bit, for the same generator state.
 * <p>
 * The tables and constants are the library's own, read from its private static fields
 * when this class is initialized (never copied), so an upgrade that changes them changes
 * both or fails here; the tail's exponentials come from the library's
 * {@link ZigguratSampler.Exponential}.
 */
final class ModifiedZiggurat {

	private static final Class<?> NORMAL = ZigguratSampler.NormalizedGaussian.class;

	/** Layers: {@code i < I_MAX} is the fast path. */
	static final int I_MAX = intField("I_MAX");

	/** Layer widths scaled by 2^-63 ({@code I_MAX + 1} entries). */
	static final double[] X = (double[]) field(NORMAL, "X");

	private static final double[] Y = (double[]) field(NORMAL, "Y");

	private static final long[] IPMF = (long[]) field(NORMAL, "IPMF");

	private static final byte[] MAP = (byte[]) field(NORMAL, "MAP");

	static final int J_INFLECTION = intField("J_INFLECTION");

	private static final long CONVEX_E_MAX = longField("CONVEX_E_MAX");

	private static final long CONCAVE_E_MAX = longField("CONCAVE_E_MAX");

	/** Where the tail begins. */
	static final double X_0 = doubleField("X_0");

	private static final double ONE_OVER_X_0 = doubleField("ONE_OVER_X_0");

	private static final double TWO_POW_63 = 0x1.0p63;

	static {
		if (X.length <= I_MAX || Y.length != X.length || IPMF.length != 256 || MAP.length != 256) {
			throw new ExceptionInInitializerError("unexpected ziggurat tables in " + NORMAL.getName());
		}
	}

	/**
	 * {@link #X} over all 256 layer indices (the fast path reads only those below
	 * {@link #I_MAX}): indexing with {@code x & 0xff} needs no bounds check.
	 */
	private static final double[] X_256 = Arrays.copyOf(X, 256);

	private ModifiedZiggurat() {
	}

	/**
	 * A generator whose next longs may already have been drawn: a loop draws four longs
	 * at a time and takes the fast path for all four when none reaches the edge (95% of
	 * the time); otherwise the four are served again, in order, before the generator's
	 * own, so the edge reads the longs that follow its first draw, as the library's
	 * sampler does. The tail's exponentials draw from it too.
	 */
	static final class Lookahead implements UniformRandomProvider {

		private final UniformRandomProvider source;

		private final ContinuousSampler exponential;

		private final long[] pending = new long[4];

		private int head;

		private int count;

		/**
		 * @param tailMean the mean of the tail's exponentials: 1 (anything else is a
		 * deliberate fault, for a test to catch)
		 */
		Lookahead(UniformRandomProvider source, double tailMean) {
			this.source = source;
			this.exponential = (tailMean == 1.0) ? ZigguratSampler.Exponential.of(this)
					: ZigguratSampler.Exponential.of(this, tailMean);
		}

		@Override
		public long nextLong() {
			return (this.head < this.count) ? this.pending[this.head++] : this.source.nextLong();
		}

		/**
		 * Writes the samples whose first draws are the consecutive longs {@code x0..x3}
		 * into {@code out[i...]}.
		 * @return the index after the last sample written (the edge's draws may have used
		 * some of the four, so it writes four or fewer)
		 */
		int four(long x0, long x1, long x2, long x3, double[] out, int i) {
			int k0 = ((int) x0) & 0xff;
			int k1 = ((int) x1) & 0xff;
			int k2 = ((int) x2) & 0xff;
			int k3 = ((int) x3) & 0xff;
			if (Math.max(Math.max(k0, k1), Math.max(k2, k3)) < I_MAX) {
				out[i] = X_256[k0] * x0;
				out[i + 1] = X_256[k1] * x1;
				out[i + 2] = X_256[k2] * x2;
				out[i + 3] = X_256[k3] * x3;
				return i + 4;
			}
			this.pending[0] = x0;
			this.pending[1] = x1;
			this.pending[2] = x2;
			this.pending[3] = x3;
			this.head = 0;
			this.count = 4;
			int next = i;
			while (this.head < this.count) {
				out[next++] = one(this.pending[this.head++]);
			}
			return next;
		}

		/** The sample whose first draw is {@code x}. */
		double one(long x) {
			int k = ((int) x) & 0xff;
			return (k < I_MAX) ? X_256[k] * x : edge(this, this.exponential, x);
		}

	}

	/**
	 * The sample for a first draw {@code xx} whose layer {@code xx & 0xff} is at least
	 * {@link #I_MAX}: an overhang or the tail, drawing more from {@code rng} (the tail's
	 * exponentials from {@code exponential}, a sampler over the same generator).
	 */
	static double edge(UniformRandomProvider rng, ContinuousSampler exponential, long xx) {
		long u1 = xx & Long.MAX_VALUE;
		double sign = ((xx >>> 62) & 0x2) - 1.0;
		int j = region(rng.nextLong());
		double x;
		if (j > J_INFLECTION) {
			// convex overhang: accept the lower-left triangle, test near the hypotenuse
			for (;;) {
				x = interpolate(X, j, u1);
				long distance = (rng.nextLong() >>> 1) - u1;
				if (distance >= 0) {
					break;
				}
				if (distance >= CONVEX_E_MAX && interpolate(Y, j, u1 + distance) < Math.exp(-0.5 * x * x)) {
					break;
				}
				u1 = rng.nextLong() >>> 1;
			}
		}
		else if (j == 0) {
			x = tail(exponential);
		}
		else if (j < J_INFLECTION) {
			// concave overhang: reflect into the lower-left triangle, accept far below it
			for (;;) {
				long u = rng.nextLong() >>> 1;
				long u2 = Math.max(u1, u);
				u1 = Math.min(u1, u);
				x = interpolate(X, j, u1);
				if (u2 - u1 > CONCAVE_E_MAX || interpolate(Y, j, u2) < Math.exp(-0.5 * x * x)) {
					break;
				}
				u1 = rng.nextLong() >>> 1;
			}
		}
		else {
			// the inflection layer: the whole rectangle
			for (;;) {
				x = interpolate(X, j, u1);
				if (interpolate(Y, j, rng.nextLong() >>> 1) < Math.exp(-0.5 * x * x)) {
					break;
				}
				u1 = rng.nextLong() >>> 1;
			}
		}
		return sign * x;
	}

	/**
	 * The edge region of a second draw {@code r}, by alias sampling: 0 for the tail, else
	 * the overhang of layer {@code j}: concave below {@code J_INFLECTION}, convex above.
	 */
	static int region(long r) {
		int k = ((int) r) & 0xff;
		return (r >= IPMF[k]) ? MAP[k] & 0xff : k;
	}

	/** Marsaglia's tail beyond {@code X_0}, from two exponentials per try. */
	static double tail(ContinuousSampler exponential) {
		double x;
		do {
			x = ONE_OVER_X_0 * exponential.sample();
		}
		while (exponential.sample() < 0.5 * x * x);
		return x + X_0;
	}

	/**
	 * {@code v[j] + u (v[j-1] - v[j])}, with {@code v} scaled by 2^-63 and u in [0,
	 * 2^63).
	 */
	private static double interpolate(double[] v, int j, long u) {
		return v[j] * TWO_POW_63 + u * (v[j - 1] - v[j]);
	}

	private static Object field(Class<?> type, String name) {
		try {
			Field f = type.getDeclaredField(name);
			f.setAccessible(true);
			return f.get(null);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			throw new ExceptionInInitializerError("cannot read " + type.getName() + "." + name + ": " + ex);
		}
	}

	private static int intField(String name) {
		return (Integer) field(NORMAL, name);
	}

	private static long longField(String name) {
		return (Long) field(NORMAL, name);
	}

	private static double doubleField(String name) {
		return (Double) field(NORMAL, name);
	}

}
