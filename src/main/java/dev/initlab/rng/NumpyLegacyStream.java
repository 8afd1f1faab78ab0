package dev.initlab.rng;

/**
 * NumPy's legacy global stream: {@code np.random.seed(seed)} followed by the
 * {@code RandomState} functions, value for value.
 * <ul>
 * <li>{@link #nextDouble()} is {@code random_sample} / {@code rand}: two MT19937 words
 * {@code a, b}, {@code ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992}.</li>
 * <li>{@link #nextGaussian()} is {@code randn} / {@code standard_normal}: the polar
 * method of {@code legacy_gauss} (numpy/random/src/legacy/legacy-distributions.c):
 * {@code x1 = 2u - 1}, {@code x2 = 2u - 1} until {@code 0 < r2 = x1^2 + x2^2 < 1}, then
 * {@code f = sqrt(-2 log(r2) / r2)}; it returns {@code f * x2} and keeps {@code f * x1}
 * for the next call. Uniform draws in between neither use nor clear the kept value, as in
 * NumPy.</li>
 * <li>{@link #nextInt(int)} is {@code randint(0, n)}: NumPy's masked rejection on 32-bit
 * words ({@code buffered_bounded_masked_uint32} in
 * numpy/random/src/distributions/distributions.c): {@code v = word & mask} with the
 * smallest all-ones mask covering {@code n - 1}, redrawn while {@code v > n - 1};
 * {@code n = 1} draws nothing.</li>
 * <li>{@link #uniform(double, double)} and {@link #normal(double, double)} are
 * {@code low + (high - low) * u} and {@code loc + scale * gauss}.</li>
 * </ul>
 * Every value is bit-identical to NumPy's except where the platform's {@code log} is not
 * correctly rounded: initlab's is ({@link CorrectlyRoundedLog}); glibc 2.36 misses in
 * about 1 pair in 1300, which moves both normals of that pair by an ulp or two. The seed
 * is NumPy's: an integer in [0, 2<sup>32</sup> - 1], used by {@code init_genrand}
 * ({@link Mt19937}). Same as {@code numpy.random.RandomState(seed)}; not thread-safe.
 */
public final class NumpyLegacyStream implements RandomStream {

	private final Mt19937 mt;

	private boolean hasGauss;

	private double gauss;

	/**
	 * The stream of {@code np.random.seed(seed)}.
	 * @param seed 0 to 2<sup>32</sup> - 1, as NumPy accepts
	 * @throws IllegalArgumentException if the seed is out of that range
	 */
	public NumpyLegacyStream(long seed) {
		if (seed < 0 || seed > 0xFFFFFFFFL) {
			throw new IllegalArgumentException("NumPy legacy seed must be between 0 and 2**32 - 1, got " + seed);
		}
		this.mt = new Mt19937(seed);
	}

	@Override
	public double nextDouble() {
		return this.mt.nextDouble();
	}

	@Override
	public double nextGaussian() {
		if (this.hasGauss) {
			this.hasGauss = false;
			double kept = this.gauss;
			this.gauss = 0.0;
			return kept;
		}
		double x1;
		double x2;
		double r2;
		do {
			x1 = 2.0 * this.mt.nextDouble() - 1.0;
			x2 = 2.0 * this.mt.nextDouble() - 1.0;
			r2 = x1 * x1 + x2 * x2;
		}
		while (r2 >= 1.0 || r2 == 0.0);
		double f = Math.sqrt(-2.0 * CorrectlyRoundedLog.log(r2) / r2);
		this.gauss = f * x1;
		this.hasGauss = true;
		return f * x2;
	}

	@Override
	public int nextInt(int n) {
		if (n <= 0) {
			throw new IllegalArgumentException("n must be positive, got " + n);
		}
		int rng = n - 1;
		if (rng == 0) {
			return 0;
		}
		int mask = -1 >>> Integer.numberOfLeadingZeros(rng);
		int value;
		do {
			value = this.mt.nextInt() & mask;
		}
		while (value > rng);
		return value;
	}

	/**
	 * {@code RandomState.uniform(low, high)}: {@code low + (high - low) * u}. As in
	 * NumPy, {@code high < low} is allowed.
	 * @throws IllegalArgumentException if {@code high - low} is not finite
	 */
	public double uniform(double low, double high) {
		double range = high - low;
		if (!Double.isFinite(range)) {
			throw new IllegalArgumentException("Range exceeds valid bounds: " + low + ", " + high);
		}
		return low + range * nextDouble();
	}

	/**
	 * {@code RandomState.normal(loc, scale)}: {@code loc + scale * gauss}.
	 * @throws IllegalArgumentException if {@code scale} is negative or NaN
	 */
	public double normal(double loc, double scale) {
		if (!(scale >= 0.0)) {
			throw new IllegalArgumentException("scale must be non-negative, got " + scale);
		}
		return loc + scale * nextGaussian();
	}

}
