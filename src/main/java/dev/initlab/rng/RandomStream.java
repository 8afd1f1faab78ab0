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

	/**
	 * Fills {@code out[off, off + len)} with uniforms in [0, 1), in stream order: the
	 * uniforms of element-wise uniform fills. {@link #nextDouble}s, except in the view
	 * {@link #forNarrowDType}.
	 */
	default void fillUniform(double[] out, int off, int len) {
		for (int i = off, end = off + len; i < end; i++) {
			out[i] = nextDouble();
		}
	}

	/**
	 * The view of this stream (sharing its state) that draws for a tensor of a dtype of
	 * 32 bits or fewer (float32, float16, bfloat16). It differs only where a 53-bit
	 * double per element is more than the dtype can keep: a 64-bit generator's
	 * {@link #fillUniform} gives two 24-bit uniforms per 64-bit output, as PyTorch's
	 * float uniforms keep 24 bits. NumPy's streams (which must equal NumPy's float64
	 * output) and the 32-bit Commons Math generators are their own view.
	 * {@link #nextDouble}, normals and {@link #nextInt} are the same in both.
	 */
	default RandomStream forNarrowDType() {
		return this;
	}

	/**
	 * Writes {@code (float) (shift + scale * u)} (computed in double, rounded once) as
	 * little-endian float32 into {@code out[0, 4 * len)}, for {@code u} the next
	 * {@code len} uniforms of {@link #fillUniform}, in one pass; false, with nothing
	 * drawn, where this stream has no such loop (the caller then draws and encodes).
	 */
	default boolean encodeUniformFloat32(double shift, double scale, byte[] out, int len) {
		return false;
	}

}
