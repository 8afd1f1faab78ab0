package dev.initlab.training;

/**
 * A fully connected network in double precision: hidden layers with one activation, then
 * a sigmoid (one unit, binary cross-entropy) or softmax (cross-entropy) output. Weights
 * are PyTorch-layout {@code [out, in]} row-major arrays; activations are features ×
 * samples, so the inner loops run over samples on primitive arrays.
 */
final class Network {

	final int[] sizes;

	final Activation hidden;

	final boolean softmax;

	final double[][] w;

	final double[][] b;

	/**
	 * @param sizes units per layer, input first
	 * @param hidden activation of the hidden layers
	 * @param softmax softmax output (else one sigmoid unit)
	 * @param w weights per linear layer, {@code [out, in]} row-major
	 * @param b biases per linear layer
	 */
	Network(int[] sizes, Activation hidden, boolean softmax, double[][] w, double[][] b) {
		this.sizes = sizes.clone();
		this.hidden = hidden;
		this.softmax = softmax;
		this.w = w;
		this.b = b;
	}

	int layers() {
		return this.sizes.length - 1;
	}

	/** Pre-activations and activations of every layer; {@code a[0]} is the input. */
	record Pass(double[][][] z, double[][][] a, int samples) {
	}

	/** Gradient of the mean loss. */
	record Gradients(double[][] dw, double[][] db) {

		/** sqrt(|dW|² + |db|²) of each linear layer. */
		double[] norms() {
			double[] norms = new double[this.dw.length];
			for (int l = 0; l < this.dw.length; l++) {
				double s = 0;
				for (double v : this.dw[l]) {
					s += v * v;
				}
				for (double v : this.db[l]) {
					s += v * v;
				}
				norms[l] = Math.sqrt(s);
			}
			return norms;
		}

	}

	/** Input as features × samples. */
	static double[][] columns(Dataset data, int[] indices) {
		int n = (indices != null) ? indices.length : data.size();
		double[][] x = new double[data.features()][n];
		for (int s = 0; s < n; s++) {
			double[] row = data.x()[(indices != null) ? indices[s] : s];
			for (int f = 0; f < row.length; f++) {
				x[f][s] = row[f];
			}
		}
		return x;
	}

	Pass forward(double[][] x) {
		int m = x[0].length;
		int layers = layers();
		double[][][] z = new double[layers + 1][][];
		double[][][] a = new double[layers + 1][][];
		a[0] = x;
		for (int l = 1; l <= layers; l++) {
			int out = this.sizes[l];
			int in = this.sizes[l - 1];
			double[] wl = this.w[l - 1];
			double[] bl = this.b[l - 1];
			double[][] zl = new double[out][m];
			double[][] prev = a[l - 1];
			for (int i = 0; i < out; i++) {
				double[] zi = zl[i];
				java.util.Arrays.fill(zi, bl[i]);
				for (int k = 0; k < in; k++) {
					double wik = wl[i * in + k];
					if (wik == 0) {
						continue;
					}
					double[] pk = prev[k];
					for (int s = 0; s < m; s++) {
						zi[s] += wik * pk[s];
					}
				}
			}
			z[l] = zl;
			a[l] = (l < layers) ? activate(zl) : output(zl);
		}
		return new Pass(z, a, m);
	}

	private double[][] activate(double[][] zl) {
		double[][] al = new double[zl.length][];
		for (int i = 0; i < zl.length; i++) {
			double[] zi = zl[i];
			double[] ai = new double[zi.length];
			for (int s = 0; s < zi.length; s++) {
				ai[s] = this.hidden.apply(zi[s]);
			}
			al[i] = ai;
		}
		return al;
	}

	private double[][] output(double[][] zl) {
		int m = zl[0].length;
		double[][] al = new double[zl.length][m];
		if (!this.softmax) {
			for (int s = 0; s < m; s++) {
				al[0][s] = Activation.sigmoid(zl[0][s]);
			}
			return al;
		}
		for (int s = 0; s < m; s++) {
			double max = Double.NEGATIVE_INFINITY;
			for (double[] zk : zl) {
				max = Math.max(max, zk[s]);
			}
			double sum = 0;
			for (int k = 0; k < zl.length; k++) {
				al[k][s] = Math.exp(zl[k][s] - max);
				sum += al[k][s];
			}
			for (int k = 0; k < zl.length; k++) {
				al[k][s] /= sum;
			}
		}
		return al;
	}

	/**
	 * Mean loss, computed stably from the output logits (always finite). The mean is
	 * taken incrementally, so a loss that is the same on every sample (ln 2 from zero
	 * weights) comes out exactly.
	 */
	double loss(Pass pass, int[] y) {
		double[][] z = pass.z()[layers()];
		int m = pass.samples();
		double mean = 0;
		for (int s = 0; s < m; s++) {
			double sample;
			if (!this.softmax) {
				double zs = z[0][s];
				// -[y log σ(z) + (1-y) log(1-σ(z))] = max(z, 0) - z y + log(1 + e^-|z|)
				sample = Math.max(zs, 0) - zs * y[s] + Math.log1p(Math.exp(-Math.abs(zs)));
			}
			else {
				double max = Double.NEGATIVE_INFINITY;
				for (double[] zk : z) {
					max = Math.max(max, zk[s]);
				}
				double sum = 0;
				for (double[] zk : z) {
					sum += Math.exp(zk[s] - max);
				}
				sample = max + Math.log(sum) - z[y[s]][s];
			}
			mean += (sample - mean) / (s + 1);
		}
		return mean;
	}

	/**
	 * Predicted classes: sigmoid output > 0.5 is class 1 (so exactly 0.5 is 0), else
	 * argmax.
	 */
	int[] predict(Pass pass) {
		double[][] a = pass.a()[layers()];
		int m = pass.samples();
		int[] p = new int[m];
		for (int s = 0; s < m; s++) {
			if (!this.softmax) {
				p[s] = (a[0][s] > 0.5) ? 1 : 0;
			}
			else {
				int best = 0;
				for (int k = 1; k < a.length; k++) {
					if (a[k][s] > a[best][s]) {
						best = k;
					}
				}
				p[s] = best;
			}
		}
		return p;
	}

	double accuracy(Pass pass, int[] y) {
		int[] p = predict(pass);
		int correct = 0;
		for (int s = 0; s < p.length; s++) {
			if (p[s] == y[s]) {
				correct++;
			}
		}
		return (double) correct / p.length;
	}

	Gradients backward(Pass pass, int[] y) {
		int layers = layers();
		int m = pass.samples();
		double[][] dw = new double[layers][];
		double[][] db = new double[layers][];
		double[][] out = pass.a()[layers];
		double[][] dz = new double[out.length][m];
		for (int k = 0; k < out.length; k++) {
			for (int s = 0; s < m; s++) {
				double target = this.softmax ? ((y[s] == k) ? 1.0 : 0.0) : y[s];
				dz[k][s] = (out[k][s] - target) / m;
			}
		}
		for (int l = layers; l >= 1; l--) {
			int o = this.sizes[l];
			int in = this.sizes[l - 1];
			double[][] prev = pass.a()[l - 1];
			double[] dwl = new double[o * in];
			double[] dbl = new double[o];
			for (int i = 0; i < o; i++) {
				double[] dzi = dz[i];
				dbl[i] = compensatedSum(dzi);
				for (int k = 0; k < in; k++) {
					double[] pk = prev[k];
					double dot = 0;
					for (int s = 0; s < m; s++) {
						dot += dzi[s] * pk[s];
					}
					dwl[i * in + k] = dot;
				}
			}
			dw[l - 1] = dwl;
			db[l - 1] = dbl;
			if (l > 1) {
				double[] wl = this.w[l - 1];
				double[][] zPrev = pass.z()[l - 1];
				double[][] dzPrev = new double[in][m];
				for (int i = 0; i < o; i++) {
					double[] dzi = dz[i];
					for (int k = 0; k < in; k++) {
						double wik = wl[i * in + k];
						if (wik == 0) {
							continue;
						}
						double[] dk = dzPrev[k];
						for (int s = 0; s < m; s++) {
							dk[s] += wik * dzi[s];
						}
					}
				}
				for (int k = 0; k < in; k++) {
					double[] dk = dzPrev[k];
					double[] zk = zPrev[k];
					double[] ak = prev[k];
					for (int s = 0; s < m; s++) {
						dk[s] *= this.hidden.derivative(zk[s], ak[s]);
					}
				}
				dz = dzPrev;
			}
		}
		return new Gradients(dw, db);
	}

	/**
	 * Neumaier's compensated sum: a bias gradient whose terms cancel exactly (balanced
	 * labels under zero weights) comes out exactly zero, so a symmetric network stays
	 * exactly symmetric.
	 */
	static double compensatedSum(double[] values) {
		double sum = 0;
		double compensation = 0;
		for (double v : values) {
			double t = sum + v;
			compensation += (Math.abs(sum) >= Math.abs(v)) ? (sum - t) + v : (v - t) + sum;
			sum = t;
		}
		return sum + compensation;
	}

}
