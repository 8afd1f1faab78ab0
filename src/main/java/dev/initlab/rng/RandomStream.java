package dev.initlab.rng;

/**
 * One seeded stream of random numbers, consumed in order. The only view of a generator
 * that the rest of initlab sees.
 */
public interface RandomStream {

	/** A double uniformly distributed in [0, 1). */
	double nextDouble();

	/** A standard normal N(0, 1) variate. */
	double nextGaussian();

	/** An int uniformly distributed in [0, n), n &gt; 0. */
	int nextInt(int n);

	/** Fills {@code out[off, off + len)} with standard normals, in stream order. */
	default void fillGaussian(double[] out, int off, int len) {
		for (int i = off, end = off + len; i < end; i++) {
			out[i] = nextGaussian();
		}
	}

	/** Fills {@code out[off, off + len)} with uniforms in [0, 1), in stream order. */
	default void fillUniform(double[] out, int off, int len) {
		for (int i = off, end = off + len; i < end; i++) {
			out[i] = nextDouble();
		}
	}

}
