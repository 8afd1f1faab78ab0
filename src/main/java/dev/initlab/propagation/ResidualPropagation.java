package dev.initlab.propagation;

import java.util.ArrayList;
import java.util.List;

import dev.initlab.rng.RandomStream;

/**
 * Signal propagation through a stack of {@link Residual} blocks: the forward pass of a
 * unit-variance batch and the exact backward pass of a unit-variance output gradient
 * through the skip connection, the branch and the layer normalization.
 *
 * <p>
 * Memory: the forward pass keeps only each block's input; the backward pass recomputes
 * one block's internals from its input (gradient checkpointing, Chen et al. 2016,
 * arXiv:1604.06174), so a pass holds the weights, {@code depth} block inputs and one
 * block's internals ({@link #peakElements}), at the cost of one more forward pass.
 */
public final class ResidualPropagation {

	private ResidualPropagation() {
	}

	/**
	 * Float64 elements a pass holds at its peak: the branch weights and biases, the block
	 * inputs kept for the backward pass, and one block's internals while it is
	 * recomputed: the normalized input, every hidden branch layer's pre-activations and
	 * activations, the branch output, the sum and its normalization, the LayerNorms'
	 * inverse stds, and the gradients in flight (the incoming one, after the post-LN,
	 * through a hidden layer, into the branch input and into the block input).
	 */
	public static long peakElements(int depth, int width, int batch, int branchLayers) {
		long wb = (long) width * batch;
		long weights = (long) depth * branchLayers * ((long) width * width + width);
		long inputs = (long) depth * wb;
		long block = (2L * (branchLayers - 1) + 9) * wb + 2L * batch;
		return weights + inputs + block;
	}

	/**
	 * The pass: per block, the statistics of its output.
	 * @param weights per branch layer, block-major (block b's layer j at
	 * {@code b * branchLayers + j}), {@code [width, width]} row-major
	 * @param biases per branch layer, or null entries for none
	 * @param x the input batch, {@code [width][batch]}
	 * @param f the activation between branch layers
	 * @param block the block
	 * @param stream draws the output gradient as standard normals
	 * @return one entry per block: {@code preactivation_std} is the std of the branch
	 * output f(…) (the last branch layer's pre-activation), activation mean and std are
	 * the block output's, saturation and dead fractions count the branch's hidden
	 * activations (none when {@code branchLayers} is 1: saturation null, dead 0), and
	 * {@code gradient_std} is the std of ∂L/∂(block output)
	 */
	public static List<LayerStats> run(List<double[]> weights, List<double[]> biases, double[][] x,
			SignalPropagation.Nonlinearity f, Residual block, RandomStream stream) {
		int m = block.branchLayers();
		if (weights.size() % m != 0 || weights.size() != biases.size() || weights.isEmpty()) {
			throw new IllegalArgumentException("need branch_layers (" + m + ") weights and biases per block: "
					+ weights.size() + ", " + biases.size());
		}
		int depth = weights.size() / m;
		int width = x.length;
		int batch = x[0].length;
		double[][][] inputs = new double[depth][][];
		List<LayerStats> forward = new ArrayList<>();
		double[][] a = x;
		for (int b = 0; b < depth; b++) {
			inputs[b] = a;
			Pass pass = new Pass(weights, biases, f, block, b, a, false);
			double[] moments = SignalPropagation.moments(pass.output);
			forward.add(new LayerStats(b + 1, SignalPropagation.moments(pass.branch)[1], moments[0], moments[1],
					pass.saturation(), pass.deadFraction(width), Double.NaN));
			a = pass.output;
		}
		double[][] g = new double[width][batch];
		for (double[] row : g) {
			stream.fillGaussian(row, 0, batch);
		}
		double[] gradStd = new double[depth];
		for (int b = depth - 1; b >= 0; b--) {
			gradStd[b] = SignalPropagation.moments(g)[1];
			if (b == 0) {
				break;
			}
			g = blockBackward(weights, biases, f, block, b, inputs[b], g);
			inputs[b] = null;
		}
		List<LayerStats> stats = new ArrayList<>();
		for (int b = 0; b < depth; b++) {
			LayerStats s = forward.get(b);
			stats.add(new LayerStats(s.layer(), s.preactivationStd(), s.activationMean(), s.activationStd(),
					s.saturationFraction(), s.deadFraction(), gradStd[b]));
		}
		return stats;
	}

	/**
	 * LSUV in a residual stack: block by block, input to output, the branch's layers are
	 * rescaled by {@link SignalPropagation#lsuv} on what the branch reads (the block's
	 * input, or its layer normalization with {@code pre_ln}), so each branch layer's
	 * output has unit variance on the batch; then the batch goes on through the block.
	 * @param settings per branch layer (block-major), or null entries to leave alone
	 * @return per branch layer, the rescalings it took; null for layers left alone
	 */
	public static List<Integer> lsuv(List<double[]> weights, List<double[]> biases, double[][] x,
			SignalPropagation.Nonlinearity f, Residual block, List<SignalPropagation.Lsuv> settings) {
		int m = block.branchLayers();
		int depth = weights.size() / m;
		List<Integer> iterations = new ArrayList<>();
		double[][] a = x;
		for (int b = 0; b < depth; b++) {
			double[][] u = (block.norm() == Residual.Norm.PRE_LN) ? LayerNorm.of(a).u : a;
			iterations.addAll(SignalPropagation.lsuv(weights.subList(b * m, (b + 1) * m),
					biases.subList(b * m, (b + 1) * m), u, f, settings.subList(b * m, (b + 1) * m)));
			a = blockForward(weights, biases, f, block, b, a);
		}
		return iterations;
	}

	/** Block {@code b}'s output for input {@code x}. */
	static double[][] blockForward(List<double[]> weights, List<double[]> biases, SignalPropagation.Nonlinearity f,
			Residual block, int b, double[][] x) {
		return new Pass(weights, biases, f, block, b, x, false).output;
	}

	/** ∂L/∂(block b's input) from ∂L/∂(its output) {@code g}, for input {@code x}. */
	static double[][] blockBackward(List<double[]> weights, List<double[]> biases, SignalPropagation.Nonlinearity f,
			Residual block, int b, double[][] x, double[][] g) {
		return new Pass(weights, biases, f, block, b, x, true).backward(g);
	}

	/**
	 * One block's forward pass from its input, keeping what its backward pass needs when
	 * asked to.
	 */
	private static final class Pass {

		private final List<double[]> weights;

		private final SignalPropagation.Nonlinearity f;

		private final Residual block;

		private final int first;

		/** The input normalized ({@code pre_ln}); null otherwise. */
		private final LayerNorm pre;

		/** Per hidden branch layer: its pre-activations and activations (if kept). */
		private final List<double[][]> zs = new ArrayList<>();

		private final List<double[][]> as = new ArrayList<>();

		/** f(…), the last branch layer's output. */
		private final double[][] branch;

		/** The sum normalized ({@code post_ln}); null otherwise. */
		private final LayerNorm post;

		private final double[][] output;

		private long saturated;

		private long hiddenValues;

		private int deadUnits;

		Pass(List<double[]> weights, List<double[]> biases, SignalPropagation.Nonlinearity f, Residual block, int b,
				double[][] x, boolean keep) {
			this.weights = weights;
			this.f = f;
			this.block = block;
			int m = block.branchLayers();
			this.first = b * m;
			this.pre = (block.norm() == Residual.Norm.PRE_LN) ? LayerNorm.of(x) : null;
			double[][] a = (this.pre != null) ? this.pre.u : x;
			for (int j = 0; j < m - 1; j++) {
				double[][] z = SignalPropagation.affine(weights.get(this.first + j), biases.get(this.first + j), a);
				a = SignalPropagation.apply(f, z);
				if (keep) {
					this.zs.add(z);
					this.as.add(a);
				}
				else {
					count(a);
				}
			}
			this.branch = SignalPropagation.affine(weights.get(this.first + m - 1), biases.get(this.first + m - 1), a);
			double alpha = block.alpha();
			double[][] sum = new double[x.length][];
			for (int i = 0; i < x.length; i++) {
				double[] xi = x[i];
				double[] bi = this.branch[i];
				double[] si = new double[xi.length];
				for (int s = 0; s < si.length; s++) {
					si[s] = alpha * xi[s] + bi[s];
				}
				sum[i] = si;
			}
			this.post = (block.norm() == Residual.Norm.POST_LN) ? LayerNorm.of(sum) : null;
			this.output = (this.post != null) ? this.post.u : sum;
		}

		private void count(double[][] a) {
			for (double[] row : a) {
				boolean zero = true;
				for (double v : row) {
					if (this.f.saturates() && this.f.saturated(v)) {
						this.saturated++;
					}
					if (v != 0) {
						zero = false;
					}
				}
				if (zero) {
					this.deadUnits++;
				}
				this.hiddenValues += row.length;
			}
		}

		Double saturation() {
			return (this.f.saturates() && this.hiddenValues > 0) ? (double) this.saturated / this.hiddenValues : null;
		}

		double deadFraction(int width) {
			int hidden = this.block.branchLayers() - 1;
			return (hidden == 0) ? 0.0 : (double) this.deadUnits / ((long) hidden * width);
		}

		/** ∂L/∂(block input) from ∂L/∂(block output). */
		double[][] backward(double[][] g) {
			int width = g.length;
			int batch = g[0].length;
			double[][] gs = (this.post != null) ? this.post.backward(g) : g;
			// through the branch, from its last layer to its first
			double[][] d = gs;
			for (int j = this.block.branchLayers() - 1; j >= 1; j--) {
				double[][] da = SignalPropagation.multiply(this.weights.get(this.first + j), d, width, width, batch,
						true);
				double[][] z = this.zs.get(j - 1);
				double[][] a = this.as.get(j - 1);
				for (int i = 0; i < width; i++) {
					this.f.derivative().multiply(da[i], z[i], a[i], batch);
				}
				d = da;
			}
			double[][] gu = SignalPropagation.multiply(this.weights.get(this.first), d, width, width, batch, true);
			double[][] gx = (this.pre != null) ? this.pre.backward(gu) : gu;
			double alpha = this.block.alpha();
			for (int i = 0; i < width; i++) {
				double[] gxi = gx[i];
				double[] gsi = gs[i];
				for (int s = 0; s < batch; s++) {
					gxi[s] += alpha * gsi[s];
				}
			}
			return gx;
		}

	}

	/**
	 * Layer normalization over the units of each sample (the rows of a
	 * {@code [width][batch]} array), without affine parameters:
	 * {@code u = (x − mean) / sqrt(var + eps)} with the biased variance, as
	 * {@code torch.nn.LayerNorm(width)} at its init.
	 */
	static final class LayerNorm {

		/** The normalized values, {@code [width][batch]}. */
		final double[][] u;

		/** Per sample, {@code 1 / sqrt(var + eps)}. */
		final double[] inverseStd;

		private LayerNorm(double[][] u, double[] inverseStd) {
			this.u = u;
			this.inverseStd = inverseStd;
		}

		static LayerNorm of(double[][] x) {
			int width = x.length;
			int batch = x[0].length;
			double[] mean = new double[batch];
			for (double[] row : x) {
				for (int s = 0; s < batch; s++) {
					mean[s] += row[s];
				}
			}
			for (int s = 0; s < batch; s++) {
				mean[s] /= width;
			}
			double[] variance = new double[batch];
			for (double[] row : x) {
				for (int s = 0; s < batch; s++) {
					double d = row[s] - mean[s];
					variance[s] += d * d;
				}
			}
			double[] inverseStd = new double[batch];
			for (int s = 0; s < batch; s++) {
				inverseStd[s] = 1 / Math.sqrt(variance[s] / width + Residual.LN_EPS);
			}
			double[][] u = new double[width][batch];
			for (int i = 0; i < width; i++) {
				for (int s = 0; s < batch; s++) {
					u[i][s] = (x[i][s] - mean[s]) * inverseStd[s];
				}
			}
			return new LayerNorm(u, inverseStd);
		}

		/**
		 * ∂L/∂x from ∂L/∂u, exactly (eps included): with {@code r = 1/sqrt(var + eps)},
		 * {@code ∂u_i/∂x_k = r·(δ_ik − 1/n − u_i·u_k/n)}, so
		 * {@code gx = r·(gu − mean(gu) − u·mean(gu·u))} per sample, means over the n
		 * units.
		 */
		double[][] backward(double[][] gu) {
			int width = gu.length;
			int batch = gu[0].length;
			double[] meanG = new double[batch];
			double[] meanGu = new double[batch];
			for (int i = 0; i < width; i++) {
				for (int s = 0; s < batch; s++) {
					meanG[s] += gu[i][s];
					meanGu[s] += gu[i][s] * this.u[i][s];
				}
			}
			for (int s = 0; s < batch; s++) {
				meanG[s] /= width;
				meanGu[s] /= width;
			}
			double[][] gx = new double[width][batch];
			for (int i = 0; i < width; i++) {
				for (int s = 0; s < batch; s++) {
					gx[i][s] = this.inverseStd[s] * (gu[i][s] - meanG[s] - this.u[i][s] * meanGu[s]);
				}
			}
			return gx;
		}

	}

}
