package dev.initlab.init;

import dev.initlab.rng.RandomStream;

/**
 * A sparse 2-D matrix: every element N(0, std^2), then in each column exactly
 * {@code ceil(sparsity * rows)} distinct rows, chosen uniformly, set to zero. Same as
 * PyTorch's {@code sparse_} (Martens 2010, "Deep learning via Hessian-free
 * optimization"), which picks the rows with {@code randperm}; here a partial Fisher-Yates
 * shuffle on the same stream.
 */
final class Sparse implements Fill.Whole {

	private final int rows;

	private final int cols;

	private final int zerosPerColumn;

	private final double std;

	Sparse(int[] shape, double sparsity, double std) {
		if (shape.length != 2) {
			throw new IllegalArgumentException("sparse needs exactly 2 dimensions");
		}
		if (!(sparsity >= 0 && sparsity <= 1) || !(std >= 0)) {
			throw new IllegalArgumentException("need 0 <= sparsity <= 1 and std >= 0");
		}
		this.rows = shape[0];
		this.cols = shape[1];
		this.zerosPerColumn = zerosPerColumn(this.rows, sparsity);
		this.std = std;
	}

	static int zerosPerColumn(int rows, double sparsity) {
		return (int) Math.ceil(sparsity * rows);
	}

	@Override
	public void fill(RandomStream stream, double[] out) {
		stream.fillGaussian(out, 0, this.rows * this.cols);
		for (int i = 0, n = this.rows * this.cols; i < n; i++) {
			out[i] *= this.std;
		}
		int[] order = new int[this.rows];
		for (int c = 0; c < this.cols; c++) {
			for (int i = 0; i < this.rows; i++) {
				order[i] = i;
			}
			for (int i = 0; i < this.zerosPerColumn; i++) {
				int j = i + stream.nextInt(this.rows - i);
				int t = order[i];
				order[i] = order[j];
				order[j] = t;
				out[order[i] * this.cols + c] = 0.0;
			}
		}
	}

}
