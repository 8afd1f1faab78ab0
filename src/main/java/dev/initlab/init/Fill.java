package dev.initlab.init;

import dev.initlab.rng.RandomStream;

/**
 * How a tensor's values are drawn: the one fill interface, in two shapes.
 */
public sealed interface Fill permits Fill.Elementwise, Fill.Whole {

	/**
	 * Independent, identically distributed elements: any block of the tensor can be drawn
	 * on its own, so large tensors are generated block by block.
	 */
	non-sealed interface Elementwise extends Fill {

		/**
		 * Draws {@code len} elements into {@code out[off...]}, consuming {@code stream}
		 * in order.
		 */
		void sample(RandomStream stream, double[] out, int off, int len);

	}

	/**
	 * An element-wise fill whose elements are {@code shift() + scale() * x}, computed in
	 * double, for the stream's next {@link Variate}s {@code x}: what {@code sample}
	 * writes, bit for bit. A writer may draw the variates in bulk and fuse the map with
	 * rounding and encoding (one pass instead of three).
	 */
	interface Affine extends Elementwise {

		/** The variates, then {@code shift() + scale() * x} in place. */
		@Override
		default void sample(RandomStream stream, double[] out, int off, int len) {
			variate().draw(stream, out, off, len);
			double shift = shift();
			double scale = scale();
			for (int i = off, end = off + len; i < end; i++) {
				out[i] = shift + scale * out[i];
			}
		}

		Variate variate();

		double shift();

		double scale();

	}

	/** The standard variates an {@link Affine} fill maps. */
	enum Variate {

		/** N(0, 1): {@link RandomStream#fillGaussian}. */
		STANDARD_NORMAL,

		/**
		 * U[0, 1): {@link RandomStream#fillUniform} (24 bits each in a stream's
		 * {@link RandomStream#forNarrowDType narrow view}).
		 */
		UNIT_UNIFORM;

		/** Draws {@code len} variates into {@code out[off...]}, in stream order. */
		public void draw(RandomStream stream, double[] out, int off, int len) {
			if (this == STANDARD_NORMAL) {
				stream.fillGaussian(out, off, len);
			}
			else {
				stream.fillUniform(out, off, len);
			}
		}

	}

	/**
	 * Elements that depend on each other (orthogonal, sparse, dirac, identity): the whole
	 * tensor, in row-major PyTorch-layout order, at once.
	 */
	non-sealed interface Whole extends Fill {

		/** Fills all of {@code out} (length = the tensor's element count). */
		void fill(RandomStream stream, double[] out);

		/**
		 * As {@link #fill}, for a tensor of 32 bits or fewer (float32, float16,
		 * bfloat16): a fill that computes on the values (orthogonal's QR) may then
		 * compute in float32, as PyTorch does for such a tensor; the others draw as
		 * {@link #fill}.
		 */
		default void fillNarrow(RandomStream stream, double[] out) {
			fill(stream, out);
		}

	}

}
