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
	 * Elements that depend on each other (orthogonal, sparse, dirac, identity): the whole
	 * tensor, in row-major PyTorch-layout order, at once.
	 */
	non-sealed interface Whole extends Fill {

		/** Fills all of {@code out} (length = the tensor's element count). */
		void fill(RandomStream stream, double[] out);

	}

}
