package dev.initlab.rng;

/**
 * NumPy's default generator: {@code np.random.default_rng(seed)}, i.e.
 * {@code Generator(PCG64(SeedSequence(seed)))}, value for value.
 * <ul>
 * <li>Seeding: {@link SeedSequence} of the seed, {@code generate_state(4, np.uint64)},
 * into {@link Pcg64}.</li>
 * <li>{@link #nextDouble()} is {@code random()}: {@code (u64 >>> 11) * 2^-53}.</li>
 * <li>{@link #nextGaussian()} is {@code standard_normal()}: NumPy's 256-layer ziggurat
 * ({@link NumpyZiggurat}).</li>
 * <li>{@link #nextInt(int)} is {@code integers(0, n)}: Lemire's multiply-and-reject
 * (arXiv:1805.10941) on 32-bit draws ({@code buffered_bounded_lemire_uint32} in
 * numpy/random/src/distributions/distributions.c), each 32-bit draw being half of a
 * 64-bit PCG64 output, the other half kept for the next 32-bit draw; {@code n = 1} draws
 * nothing.</li>
 * <li>{@link #uniform(double, double)} and {@link #normal(double, double)} are
 * {@code low + (high - low) * random()} and {@code loc + scale * standard_normal()}.</li>
 * </ul>
 * Uniforms, integers and all but the tail normals involve no libm call and are
 * bit-identical to NumPy's on every platform; tail normals call {@code log1p} (see
 * {@link NumpyZiggurat}). Not thread-safe.
 */
public final class NumpyPcg64Stream implements RandomStream {

	private final Pcg64 pcg;

	/**
	 * The stream of {@code np.random.default_rng(seed)}.
	 * @param seed any non-negative long
	 * @throws IllegalArgumentException if the seed is negative (NumPy rejects negative
	 * entropy)
	 */
	public NumpyPcg64Stream(long seed) {
		if (seed < 0) {
			throw new IllegalArgumentException("NumPy default_rng seed must be non-negative, got " + seed);
		}
		this.pcg = Pcg64.fromSeed(seed);
	}

	@Override
	public double nextDouble() {
		return this.pcg.nextDouble();
	}

	@Override
	public double nextGaussian() {
		return NumpyZiggurat.standardNormal(this.pcg);
	}

	@Override
	public int nextInt(int n) {
		if (n <= 0) {
			throw new IllegalArgumentException("n must be positive, got " + n);
		}
		long rng = n - 1;
		if (rng == 0) {
			return 0;
		}
		long rngExcl = n;
		long m = (this.pcg.nextInt() & 0xFFFFFFFFL) * rngExcl;
		long leftover = m & 0xFFFFFFFFL;
		if (leftover < rngExcl) {
			long threshold = (0xFFFFFFFFL - rng) % rngExcl;
			while (leftover < threshold) {
				m = (this.pcg.nextInt() & 0xFFFFFFFFL) * rngExcl;
				leftover = m & 0xFFFFFFFFL;
			}
		}
		return (int) (m >>> 32);
	}

	/**
	 * {@code Generator.uniform(low, high)}: {@code low + (high - low) * random()}.
	 * @throws IllegalArgumentException if {@code high - low} is negative or not finite,
	 * which NumPy's Generator rejects too
	 */
	public double uniform(double low, double high) {
		double range = high - low;
		if (!Double.isFinite(range) || range < 0.0) {
			throw new IllegalArgumentException("high - low must be finite and non-negative: " + low + ", " + high);
		}
		return low + range * nextDouble();
	}

	/**
	 * {@code Generator.normal(loc, scale)}: {@code loc + scale * standard_normal()}.
	 * @throws IllegalArgumentException if {@code scale} is negative or NaN
	 */
	public double normal(double loc, double scale) {
		if (!(scale >= 0.0)) {
			throw new IllegalArgumentException("scale must be non-negative, got " + scale);
		}
		return loc + scale * nextGaussian();
	}

}
