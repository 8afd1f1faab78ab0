package dev.initlab.rng;

/**
 * PCG64 as NumPy implements it: O'Neill's PCG XSL-RR 128/64, a 128-bit LCG with
 * multiplier {@code 0x2360ed051fc65da44385df649fccf645} whose output is
 * {@code rotr64(hi ^ lo, hi >>> 58)} of the state after each step
 * ({@code pcg_setseq_128_xsl_rr_64_random_r} in numpy/random/src/pcg64/pcg64.h, NumPy
 * 2.4.6).
 * <p>
 * Seeding is {@code pcg_setseq_128_srandom_r(initstate, initseq)}: {@code inc =
 * (initseq << 1) | 1}, state 0, step, add {@code initstate}, step. NumPy's
 * {@code PCG64.__init__} takes both from {@code SeedSequence.generate_state(4,
 * np.uint64)}: words 0 and 1 are the high and low halves of {@code initstate}, words 2
 * and 3 those of {@code initseq}.
 * <p>
 * 32-bit draws ({@code pcg64_next32}) hand out the low half of a 64-bit output and keep
 * the high half for the next 32-bit draw; 64-bit draws leave that buffer alone.
 */
final class Pcg64 {

	private static final long MULT_HI = 0x2360ed051fc65da4L;

	private static final long MULT_LO = 0x4385df649fccf645L;

	private long stateHi;

	private long stateLo;

	private final long incHi;

	private final long incLo;

	private boolean hasUint32;

	private int uinteger;

	Pcg64(long initStateHi, long initStateLo, long initSeqHi, long initSeqLo) {
		this.incHi = (initSeqHi << 1) | (initSeqLo >>> 63);
		this.incLo = (initSeqLo << 1) | 1;
		step();
		long lo = this.stateLo + initStateLo;
		this.stateHi += initStateHi + carry(lo, initStateLo);
		this.stateLo = lo;
		step();
	}

	/** PCG64 seeded as {@code np.random.PCG64(seed)}. */
	static Pcg64 fromSeed(long seed) {
		long[] words = SeedSequence.generateState64(seed, 4);
		return new Pcg64(words[0], words[1], words[2], words[3]);
	}

	/** The next 64-bit output. */
	long nextLong() {
		step();
		long hi = this.stateHi;
		return Long.rotateRight(hi ^ this.stateLo, (int) (hi >>> 58));
	}

	/** The next 32 bits (read as unsigned), half of a 64-bit output. */
	int nextInt() {
		if (this.hasUint32) {
			this.hasUint32 = false;
			return this.uinteger;
		}
		long next = nextLong();
		this.hasUint32 = true;
		this.uinteger = (int) (next >>> 32);
		return (int) next;
	}

	/** NumPy's {@code next_double}: {@code (u64 >>> 11) * 2^-53}. */
	double nextDouble() {
		return (nextLong() >>> 11) * 0x1.0p-53;
	}

	/** State and increment as {@code {stateHi, stateLo, incHi, incLo}}. */
	long[] state() {
		return new long[] { this.stateHi, this.stateLo, this.incHi, this.incLo };
	}

	private void step() {
		// state = state * MULT + inc (mod 2^128)
		long sLo = this.stateLo;
		long lo = sLo * MULT_LO;
		long hi = unsignedMultiplyHigh(sLo, MULT_LO) + this.stateHi * MULT_LO + sLo * MULT_HI;
		long sum = lo + this.incLo;
		this.stateHi = hi + this.incHi + carry(sum, lo);
		this.stateLo = sum;
	}

	/** 1 if {@code sum = a + b} wrapped around 2^64, given {@code sum} and {@code a}. */
	private static long carry(long sum, long a) {
		return (Long.compareUnsigned(sum, a) < 0) ? 1 : 0;
	}

	private static long unsignedMultiplyHigh(long a, long b) {
		// Math.unsignedMultiplyHigh arrives in Java 18.
		return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
	}

}
