package dev.initlab.rng;

/**
 * NumPy's {@code SeedSequence} for one non-negative integer of entropy, no spawn key and
 * the default pool of four words: how {@code np.random.default_rng(seed)} turns a seed
 * into bit-generator state.
 * <p>
 * From numpy/random/bit_generator.pyx (NumPy 2.4.6): the entropy is the integer's 32-bit
 * words, least significant first ({@code _int_to_uint32_array}; 0 is one word 0). Each
 * pool word is {@code hashmix(entropy[i] or 0)}, then every word is mixed with the
 * {@code hashmix} of every other ({@code mix_entropy}). {@code generate_state} cycles
 * over the pool with a second hash; asked for uint64 words it produces twice as many
 * uint32 words and pairs them little-endian. All arithmetic is on unsigned 32-bit words
 * (Java's {@code int} multiplication and {@code >>>} give the same bits).
 */
final class SeedSequence {

	private static final int POOL_SIZE = 4;

	private static final int INIT_A = 0x43b0d7e5;

	private static final int MULT_A = 0x931e8875;

	private static final int INIT_B = 0x8b51f9dd;

	private static final int MULT_B = 0x58f38ded;

	private static final int MIX_MULT_L = 0xca01f9dd;

	private static final int MIX_MULT_R = 0x4973f715;

	private static final int XSHIFT = 16;

	private SeedSequence() {
	}

	/**
	 * {@code SeedSequence(seed).generate_state(nWords, np.uint64)}.
	 * @param seed the entropy, at least 0
	 * @param nWords how many 64-bit words
	 */
	static long[] generateState64(long seed, int nWords) {
		int[] pool = pool(seed);
		long[] out = new long[nWords];
		int hashConst = INIT_B;
		for (int i = 0; i < 2 * nWords; i++) {
			int value = pool[i % POOL_SIZE];
			value ^= hashConst;
			hashConst *= MULT_B;
			value *= hashConst;
			value ^= value >>> XSHIFT;
			out[i / 2] |= (value & 0xFFFFFFFFL) << (32 * (i % 2));
		}
		return out;
	}

	/** The mixed entropy pool of {@code SeedSequence(seed)}. */
	static int[] pool(long seed) {
		if (seed < 0) {
			throw new IllegalArgumentException("SeedSequence entropy must be non-negative, got " + seed);
		}
		int[] entropy = (seed >>> 32 == 0) ? new int[] { (int) seed } : new int[] { (int) seed, (int) (seed >>> 32) };
		int[] pool = new int[POOL_SIZE];
		int[] hashConst = { INIT_A };
		for (int i = 0; i < POOL_SIZE; i++) {
			pool[i] = hashmix((i < entropy.length) ? entropy[i] : 0, hashConst);
		}
		for (int src = 0; src < POOL_SIZE; src++) {
			for (int dst = 0; dst < POOL_SIZE; dst++) {
				if (src != dst) {
					pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst));
				}
			}
		}
		// Entropy beyond the pool size would be mixed in here; a long has at most two
		// words.
		return pool;
	}

	private static int hashmix(int value, int[] hashConst) {
		value ^= hashConst[0];
		hashConst[0] *= MULT_A;
		value *= hashConst[0];
		value ^= value >>> XSHIFT;
		return value;
	}

	private static int mix(int x, int y) {
		int result = MIX_MULT_L * x - MIX_MULT_R * y;
		result ^= result >>> XSHIFT;
		return result;
	}

}
