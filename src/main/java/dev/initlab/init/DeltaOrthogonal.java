package dev.initlab.init;

import java.util.Arrays;

import dev.initlab.rng.RandomStream;

/**
 * Delta-orthogonal convolution kernel (Xiao, Bahri, Sohl-Dickstein, Schoenholz and
 * Pennington 2018, "Dynamical Isometry and a Mean Field Theory of CNNs",
 * arXiv:1806.05393): zero except at the spatial centre {@code [:, :, k0/2, k1/2, ...]},
 * which holds a Haar orthogonal {@code [out, in]} matrix (as {@link Orthogonal}) times
 * {@code gain}. Same as TensorFlow's {@code ConvolutionDeltaOrthogonal}, which also
 * requires {@code in <= out}.
 */
final class DeltaOrthogonal implements Fill.Whole {

	private final int[] shape;

	private final double gain;

	DeltaOrthogonal(int[] shape, double gain) {
		if (shape.length < 3) {
			throw new IllegalArgumentException("delta_orthogonal needs a convolution weight of 3 to 5 dimensions");
		}
		if (shape[1] > shape[0]) {
			throw new IllegalArgumentException("delta_orthogonal needs in <= out");
		}
		this.shape = shape.clone();
		this.gain = gain;
	}

	@Override
	public void fill(RandomStream stream, double[] out) {
		fill(stream, out, false);
	}

	/** With the orthogonal matrix factored in float32, as {@link Orthogonal}'s. */
	@Override
	public void fillNarrow(RandomStream stream, double[] out) {
		fill(stream, out, true);
	}

	private void fill(RandomStream stream, double[] out, boolean single) {
		int outCh = this.shape[0];
		int inCh = this.shape[1];
		double[] q = new double[outCh * inCh];
		Orthogonal.matrix(stream, outCh, inCh, this.gain, q, HouseholderQr.shared(), single);
		Arrays.fill(out, 0.0);
		int kernel = 1;
		int centre = 0;
		for (int i = 2; i < this.shape.length; i++) {
			centre = centre * this.shape[i] + this.shape[i] / 2;
			kernel *= this.shape[i];
		}
		for (int o = 0; o < outCh; o++) {
			for (int i = 0; i < inCh; i++) {
				out[(o * inCh + i) * kernel + centre] = q[o * inCh + i];
			}
		}
	}

}
