package dev.initlab.init;

import java.util.Arrays;

import dev.initlab.rng.RandomStream;

/**
 * The Dirac delta: a convolution that preserves its input's channels. Same as PyTorch's
 * {@code dirac_(tensor, groups)} on a {@code [out, in/groups, *k]} weight of 3 to 5
 * dimensions: with {@code per = out / groups}, element
 * {@code [g*per + d, d, k0/2, k1/2, ...]} is {@code gain} for every group g and
 * {@code d < min(per, in/groups)}; all else is zero. PyTorch's has no gain (gain 1).
 * Draws nothing.
 */
final class Dirac implements Fill.Whole {

	private final int[] shape;

	private final int groups;

	private final double gain;

	Dirac(int[] shape, int groups, double gain) {
		if (shape.length < 3 || shape.length > 5) {
			throw new IllegalArgumentException("dirac needs 3, 4 or 5 dimensions");
		}
		if (groups < 1 || shape[0] % groups != 0) {
			throw new IllegalArgumentException("dim 0 (" + shape[0] + ") must be divisible by groups (" + groups + ")");
		}
		this.shape = shape.clone();
		this.groups = groups;
		this.gain = gain;
	}

	/** How many elements are {@code gain}. */
	long ones() {
		return (long) this.groups * Math.min(this.shape[0] / this.groups, this.shape[1]);
	}

	@Override
	public void fill(RandomStream stream, double[] out) {
		Arrays.fill(out, 0.0);
		int per = this.shape[0] / this.groups;
		int min = Math.min(per, this.shape[1]);
		int kernel = 1;
		int centre = 0;
		for (int i = 2; i < this.shape.length; i++) {
			centre = centre * this.shape[i] + this.shape[i] / 2;
			kernel *= this.shape[i];
		}
		for (int g = 0; g < this.groups; g++) {
			for (int d = 0; d < min; d++) {
				long index = ((long) (g * per + d) * this.shape[1] + d) * kernel + centre;
				out[(int) index] = this.gain;
			}
		}
	}

}
