package dev.initlab.rng;

/**
 * MT19937, the Mersenne Twister of Matsumoto and Nishimura (1998), seeded from one 32-bit
 * word the way NumPy's {@code RandomState.seed(int)} seeds it.
 * <p>
 * The state is filled by {@code init_genrand}: {@code mt[0] = seed},
 * {@code mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >>> 30)) + i} (mod 2<sup>32</sup>),
 * which is {@code mt19937_seed} in numpy/random/src/mt19937/mt19937.c, reached from
 * {@code _legacy_seeding} in numpy/random/_mt19937.pyx (NumPy 2.4.6). The seed is the
 * unsigned word 0 .. 2<sup>32</sup> - 1. Commons Math's
 * {@code MersenneTwister.setSeed(int)} runs the same recurrence on the sign-extended
 * {@code int}, which agrees below 2<sup>31</sup> and gives another state from
 * 2<sup>31</sup> up, so initlab carries its own.
 * <p>
 * Outputs are tempered 32-bit words, and {@link #nextDouble()} is NumPy's
 * {@code mt19937_next_double}: {@code (a >>> 5) * 2^26 + (b >>> 6)} over 2<sup>53</sup>,
 * from two words.
 */
final class Mt19937 {

	private static final int N = 624;

	private static final int M = 397;

	private static final int MATRIX_A = 0x9908b0df;

	private static final int UPPER_MASK = 0x80000000;

	private static final int LOWER_MASK = 0x7fffffff;

	private final int[] mt = new int[N];

	private int pos;

	/**
	 * The generator after {@code init_genrand(seed)}; {@code seed} is an unsigned word.
	 */
	Mt19937(long seed) {
		if (seed < 0 || seed > 0xFFFFFFFFL) {
			throw new IllegalArgumentException("MT19937 seed must be in [0, 2^32 - 1], got " + seed);
		}
		int[] mt = this.mt;
		mt[0] = (int) seed;
		for (int i = 1; i < N; i++) {
			mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
		}
		this.pos = N;
	}

	/** The next tempered output, 32 bits read as unsigned. */
	int nextInt() {
		if (this.pos == N) {
			twist();
		}
		int y = this.mt[this.pos++];
		y ^= y >>> 11;
		y ^= (y << 7) & 0x9d2c5680;
		y ^= (y << 15) & 0xefc60000;
		y ^= y >>> 18;
		return y;
	}

	/** A double in [0, 1) with 53 random bits, from two outputs. */
	double nextDouble() {
		int a = nextInt() >>> 5;
		int b = nextInt() >>> 6;
		return (a * 67108864.0 + b) / 9007199254740992.0;
	}

	private void twist() {
		int[] mt = this.mt;
		int i = 0;
		for (; i < N - M; i++) {
			int y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
			mt[i] = mt[i + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
		}
		for (; i < N - 1; i++) {
			int y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
			mt[i] = mt[i + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
		}
		int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
		mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
		this.pos = 0;
	}

}
