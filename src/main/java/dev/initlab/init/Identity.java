package dev.initlab.init;

import java.util.Arrays;

import dev.initlab.rng.RandomStream;

/**
 * {@code gain} on the main diagonal of a 2-D tensor, zero elsewhere: PyTorch's
 * {@code eye_} (which has no gain) and Keras's {@code Identity(gain)}. Draws nothing.
 */
final class Identity implements Fill.Whole {

	private final int rows;

	private final int cols;

	private final double gain;

	Identity(int[] shape, double gain) {
		if (shape.length != 2) {
			throw new IllegalArgumentException("identity needs exactly 2 dimensions");
		}
		this.rows = shape[0];
		this.cols = shape[1];
		this.gain = gain;
	}

	@Override
	public void fill(RandomStream stream, double[] out) {
		Arrays.fill(out, 0.0);
		for (int i = 0, n = Math.min(this.rows, this.cols); i < n; i++) {
			out[i * this.cols + i] = this.gain;
		}
	}

}
