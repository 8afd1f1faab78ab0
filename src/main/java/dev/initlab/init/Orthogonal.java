package dev.initlab.init;

import java.util.Arrays;

import dev.initlab.rng.RandomStream;

/**
 * A (semi-)orthogonal matrix, Haar-distributed, times {@code gain}.
 * <p>
 * Same as PyTorch's {@code orthogonal_} (Saxe, McClelland and Ganguli 2013,
 * arXiv:1312.6120): the tensor is viewed as {@code rows = shape[0]} by
 * {@code cols = numel / rows} (trailing dimensions flattened); a standard normal matrix
 * of that shape is drawn in row-major order, transposed when {@code rows < cols},
 * factored {@code A = QR} (thin, by {@link HouseholderQr}: blocked Householder, the same
 * bits on every machine and thread count; in the tensor's precision as PyTorch's, float32
 * for a tensor of 32 bits or fewer via {@link #fillNarrow}, float64 otherwise), and each
 * column of Q is multiplied by {@code sign(R_ii)} so that Q is Haar-distributed (Mezzadri
 * 2007, arXiv:math-ph/0609050); the transpose is undone and the result scaled by
 * {@code gain}.
 */
final class Orthogonal implements Fill.Whole {

	private final int rows;

	private final int cols;

	private final double gain;

	Orthogonal(int[] shape, double gain) {
		if (shape.length < 2) {
			throw new IllegalArgumentException("orthogonal needs at least 2 dimensions");
		}
		this.rows = shape[0];
		long numel = 1;
		for (int d : shape) {
			numel *= d;
		}
		this.cols = (int) (numel / this.rows);
		this.gain = gain;
	}

	@Override
	public void fill(RandomStream stream, double[] out) {
		matrix(stream, this.rows, this.cols, this.gain, out);
	}

	/** In single precision: the QR in float32, as PyTorch's for a float32 tensor. */
	@Override
	public void fillNarrow(RandomStream stream, double[] out) {
		matrix(stream, this.rows, this.cols, this.gain, out, HouseholderQr.shared(), true);
	}

	/**
	 * Per-element standard deviation: every entry has E[x^2] = gain^2 / max(rows, cols).
	 */
	static double expectedStd(int rows, long cols, double gain) {
		return Math.abs(gain) / Math.sqrt(Math.max(rows, cols));
	}

	/**
	 * Writes a gain-scaled Haar (semi-)orthogonal {@code rows x cols} matrix, row-major,
	 * into {@code out[0, rows * cols)}, factored in double; the QR runs on the common
	 * pool.
	 */
	static void matrix(RandomStream stream, int rows, int cols, double gain, double[] out) {
		matrix(stream, rows, cols, gain, out, HouseholderQr.shared(), false);
	}

	/**
	 * As {@link #matrix(RandomStream, int, int, double, double[])}, with {@code qr}, in
	 * single precision when {@code single}: the normal draws rounded to float and the QR
	 * in float ({@link HouseholderQr#thinQ(float[][], int)}), for tensors of 32 bits or
	 * fewer, as PyTorch factors a float32 tensor in float32 (orthogonal to about
	 * {@code 1e-6} instead of {@code 1e-15}, twice the vector width). The sign and gain
	 * are applied in double either way.
	 */
	static void matrix(RandomStream stream, int rows, int cols, double gain, double[] out, HouseholderQr qr,
			boolean single) {
		boolean transpose = rows < cols;
		int m = transpose ? cols : rows;
		int k = transpose ? rows : cols;
		if (single) {
			// the same draws in the same order, a row at a time straight into the floats
			// (no pass over a whole double matrix)
			float[][] a = new float[m][k];
			double[] draws = new double[cols];
			for (int i = 0; i < rows; i++) {
				stream.fillGaussian(draws, 0, cols);
				if (transpose) {
					for (int j = 0; j < cols; j++) {
						a[j][i] = (float) draws[j];
					}
				}
				else {
					float[] row = a[i];
					for (int j = 0; j < cols; j++) {
						row[j] = (float) draws[j];
					}
				}
			}
			double[] sign = signs(qr.thinQ(a, k), gain);
			for (int i = 0; i < m; i++) {
				float[] q = a[i];
				if (transpose) {
					for (int j = 0; j < k; j++) {
						out[j * cols + i] = q[j] * sign[j];
					}
				}
				else {
					int base = i * cols;
					for (int j = 0; j < k; j++) {
						out[base + j] = q[j] * sign[j];
					}
				}
			}
			return;
		}
		stream.fillGaussian(out, 0, rows * cols);
		double[][] a = new double[m][];
		if (transpose) {
			for (int j = 0; j < m; j++) {
				a[j] = new double[k];
			}
			for (int i = 0; i < rows; i++) {
				for (int j = 0; j < cols; j++) {
					a[j][i] = out[i * cols + j];
				}
			}
		}
		else {
			for (int i = 0; i < m; i++) {
				a[i] = Arrays.copyOfRange(out, i * k, (i + 1) * k);
			}
		}
		double[] sign = signs(qr.thinQ(a, k), gain);
		for (int i = 0; i < m; i++) {
			double[] q = a[i];
			for (int j = 0; j < k; j++) {
				double v = q[j] * sign[j];
				if (transpose) {
					out[j * cols + i] = v;
				}
				else {
					out[i * cols + j] = v;
				}
			}
		}
	}

	/** {@code sign(R_jj) * gain} for each column (Mezzadri's fix). */
	private static double[] signs(double[] rdiag, double gain) {
		double[] sign = new double[rdiag.length];
		for (int j = 0; j < rdiag.length; j++) {
			sign[j] = Math.signum(rdiag[j]) * gain;
		}
		return sign;
	}

}
