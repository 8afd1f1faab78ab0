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

	/**
	 * Pre-activations and activations of every layer, {@code [units][samples]};
	 * {@code a[0]} is the input. A pass lives in buffers the network reuses: it is valid
	 * until the next {@link #forward} with the same number of samples.
	 */
	record Pass(double[][][] z, double[][][] a, int samples) {
	}

	/** Gradient of the mean loss (in reused buffers, valid until the next backward). */
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

	/**
	 * The buffers of one batch size, allocated once and reused by every iteration. Rows
	 * are separate arrays, so the loops over samples read and write index s of distinct
	 * arrays, the shape HotSpot vectorises.
	 */
	private static final class Workspace {

		final int samples;

		final double[][][] z;

		final double[][][] a;

		final double[][][] dz;

		final double[] scratch1;

		final double[] scratch2;

		final double[][] target;

		int[] targetOf;

		final double[] sums = new double[12];

		final Gradients gradients;

		/**
		 * The weight-gradient chains in blocks: four units × two inputs ({@code {layer,
		 * i0, i1, i2, i3, k, h}}) and one unit × four inputs ({@code {layer, k0, k1, k2,
		 * k3}}); a short edge repeats its last row.
		 */
		final int[][] fourByTwo;

		final int[][] unitByFour;

		Workspace(int[] sizes, int m) {
			int layers = sizes.length - 1;
			this.samples = m;
			this.z = new double[layers + 1][][];
			this.a = new double[layers + 1][][];
			this.dz = new double[layers + 1][][];
			for (int l = 1; l <= layers; l++) {
				this.z[l] = new double[sizes[l]][m];
				this.a[l] = new double[sizes[l]][m];
				this.dz[l] = new double[sizes[l]][m];
			}
			this.scratch1 = new double[m];
			this.scratch2 = new double[m];
			this.target = new double[sizes[layers]][m];
			double[][] dw = new double[layers][];
			double[][] db = new double[layers][];
			for (int l = 0; l < layers; l++) {
				dw[l] = new double[sizes[l + 1] * sizes[l]];
				db[l] = new double[sizes[l + 1]];
			}
			this.gradients = new Gradients(dw, db);
			java.util.List<int[]> blocks = new java.util.ArrayList<>();
			java.util.List<int[]> rows = new java.util.ArrayList<>();
			for (int l = 0; l < layers; l++) {
				int units = sizes[l + 1];
				int inputs = sizes[l];
				if (units == 1) {
					for (int k = 0; k < inputs; k += 4) {
						rows.add(new int[] { l, k, Math.min(k + 1, inputs - 1), Math.min(k + 2, inputs - 1),
								Math.min(k + 3, inputs - 1) });
					}
					continue;
				}
				for (int i = 0; i < units; i += 4) {
					for (int k = 0; k < inputs; k += 2) {
						blocks.add(new int[] { l, i, Math.min(i + 1, units - 1), Math.min(i + 2, units - 1),
								Math.min(i + 3, units - 1), k, Math.min(k + 1, inputs - 1) });
					}
				}
			}
			this.fourByTwo = blocks.toArray(new int[0][]);
			this.unitByFour = rows.toArray(new int[0][]);
		}

	}

	/** The training batch's buffers, and those of one other size (a test set). */
	private Workspace main;

	private Workspace other;

	private Workspace workspace(int m) {
		if (this.main == null) {
			this.main = new Workspace(this.sizes, m);
		}
		if (this.main.samples == m) {
			return this.main;
		}
		if (this.other == null || this.other.samples != m) {
			this.other = new Workspace(this.sizes, m);
		}
		return this.other;
	}

	Pass forward(double[][] x) {
		int m = x[0].length;
		int layers = layers();
		Workspace ws = workspace(m);
		ws.a[0] = x;
		for (int l = 1; l <= layers; l++) {
			int out = this.sizes[l];
			int in = this.sizes[l - 1];
			double[] wl = this.w[l - 1];
			double[] bl = this.b[l - 1];
			double[][] zl = ws.z[l];
			double[][] prev = ws.a[l - 1];
			for (int i = 0; i < out; i++) {
				double[] zi = zl[i];
				// W a + b as NumPy's np.dot(W, A) + b computes it: a dgemm kernel's fused
				// multiply-add chain over the inputs, then the bias
				if (in == 1) {
					affine(wl[i], prev[0], bl[i], zi, m);
				}
				else if (in == 2) {
					twoInputs(wl[i * in], prev[0], wl[i * in + 1], prev[1], bl[i], zi, m);
				}
				else {
					scale(wl[i * in], prev[0], zi, m);
					for (int k = 1; k < in - 1; k++) {
						fma(wl[i * in + k], prev[k], zi, m);
					}
					fmaAdd(wl[i * in + in - 1], prev[in - 1], bl[i], zi, m);
				}
				if (l < layers) {
					this.hidden.apply(zi, ws.a[l][i], ws.scratch1, ws.scratch2, m);
				}
			}
			if (l == layers) {
				output(zl, ws.a[l], ws, m);
			}
		}
		return new Pass(ws.z, ws.a, m);
	}

	/** y[s] = w x[s] for s < n. */
	private static void scale(double w, double[] x, double[] y, int n) {
		for (int s = 0; s < n; s++) {
			y[s] = w * x[s];
		}
	}

	/** y[s] = fma(w, x[s], y[s]) for s < n. */
	private static void fma(double w, double[] x, double[] y, int n) {
		for (int s = 0; s < n; s++) {
			y[s] = Math.fma(w, x[s], y[s]);
		}
	}

	/**
	 * y[s] = fma(w, x[s], y[s]) + c for s < n: the last input and the bias in one pass.
	 */
	private static void fmaAdd(double w, double[] x, double c, double[] y, int n) {
		for (int s = 0; s < n; s++) {
			y[s] = Math.fma(w, x[s], y[s]) + c;
		}
	}

	/** y[s] = fma(v, x2[s], w x1[s]) + c: two inputs and the bias in one pass. */
	private static void twoInputs(double w, double[] x1, double v, double[] x2, double c, double[] y, int n) {
		for (int s = 0; s < n; s++) {
			y[s] = Math.fma(v, x2[s], w * x1[s]) + c;
		}
	}

	/** y[s] = w x[s] + c for s < n (one input: a product, then the bias). */
	private static void affine(double w, double[] x, double c, double[] y, int n) {
		for (int s = 0; s < n; s++) {
			y[s] = w * x[s] + c;
		}
	}

	private void output(double[][] zl, double[][] al, Workspace ws, int m) {
		if (!this.softmax) {
			Kernels.sigmoid(zl[0], al[0], ws.scratch1, ws.scratch2, m);
			return;
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
	}

	/**
	 * Mean loss, computed stably from the output logits (always finite). The mean is
	 * taken incrementally, so a loss that is the same on every sample (ln 2 from zero
	 * weights) comes out exactly.
	 * <p>
	 * On one and the same set of parameters this is NumPy's stable log-loss
	 * {@code mean(softplus(z) - y z)} to a few ulp, saturated outputs included
	 * (CourseReproductionTests, on NumPy's own trajectory). Where a run's loss drifts
	 * from a NumPy run's (the deeplearning.ai circles with {@code randn * 10} weights:
	 * about 2e-3 by iteration 7000) it is the trajectory that differs, not this formula:
	 * that run is chaotic in rounding (huge first steps switch relu units on and off), so
	 * the summation order of the matrix products (OpenBLAS's blocked FMA sums against
	 * these loops') decides it; NumPy itself on two machines differs by 9e-4 at iteration
	 * 1000.
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
		return accuracy(predict(pass), y);
	}

	/** The fraction of predictions {@code p} equal to the labels {@code y}. */
	static double accuracy(int[] p, int[] y) {
		int correct = 0;
		for (int s = 0; s < p.length; s++) {
			if (p[s] == y[s]) {
				correct++;
			}
		}
		return (double) correct / p.length;
	}

	/**
	 * Gradient of the mean loss at {@code pass}, in the order of the deeplearning.ai
	 * notebooks: {@code dZ = A - Y} back-propagated unscaled, then {@code dW = (1/m)
	 * dZ·Aᵀ} (see {@link #weightGradients}) and {@code db = (1/m) Σ dZ} (NumPy's pairwise
	 * sum). With zero weights every output is 0.5, so dZ is ±0.5 and its sums are exact:
	 * balanced labels give exactly 0 and a symmetric network stays exactly symmetric.
	 */
	Gradients backward(Pass pass, int[] y) {
		int layers = layers();
		int m = pass.samples();
		Workspace ws = workspace(m);
		double[][] out = pass.a()[layers];
		double[][] target = target(ws, y, m);
		double[][] dz = ws.dz[layers];
		for (int k = 0; k < out.length; k++) {
			double[] dk = dz[k];
			double[] ok = out[k];
			double[] tk = target[k];
			for (int s = 0; s < m; s++) {
				dk[s] = ok[s] - tk[s];
			}
		}
		double inverse = 1.0 / m;
		double[][] db = ws.gradients.db();
		for (int l = layers; l >= 1; l--) {
			int o = this.sizes[l];
			int in = this.sizes[l - 1];
			dz = ws.dz[l];
			double[] dbl = db[l - 1];
			for (int i = 0; i < o; i++) {
				dbl[i] = inverse * pairwiseSum(dz[i], 0, m);
			}
			if (l > 1) {
				double[] wl = this.w[l - 1];
				double[][] dzPrev = ws.dz[l - 1];
				for (int k = 0; k < in; k++) {
					// Wᵀ dz as np.dot(W.T, dZ): a fused multiply-add chain over the units
					double[] dk = dzPrev[k];
					scale(wl[k], dz[0], dk, m);
					for (int i = 1; i < o; i++) {
						fma(wl[i * in + k], dz[i], dk, m);
					}
					this.hidden.multiplyByDerivative(dk, pass.z()[l - 1][k], pass.a()[l - 1][k], m);
				}
			}
		}
		weightGradients(ws, pass.a(), m, inverse);
		return ws.gradients;
	}

	/**
	 * The targets as doubles, shaped like the output: y itself for a sigmoid output,
	 * one-hot rows for softmax. Cached while the same label array comes back.
	 */
	private static double[][] target(Workspace ws, int[] y, int m) {
		if (ws.targetOf != y) {
			double[][] t = ws.target;
			for (double[] row : t) {
				java.util.Arrays.fill(row, 0.0);
			}
			for (int s = 0; s < m; s++) {
				if (t.length == 1) {
					t[0][s] = y[s];
				}
				else {
					t[y[s]][s] = 1.0;
				}
			}
			ws.targetOf = y;
		}
		return ws.target;
	}

	/**
	 * {@code dW = inverse · dZ·prevᵀ} of every layer ({@code [units, inputs]} row-major).
	 * Each entry is one sequential chain of fused multiply-adds over the samples, s = 0,
	 * 1, …: the order a BLAS {@code dgemm} kernel accumulates in, which keeps the chaotic
	 * course runs closest to NumPy's. Chains are computed in blocks in one pass over the
	 * samples (the workspace's plan), so they overlap instead of waiting on each other; a
	 * four-by-two block and a one-by-four block (usually the output layer's) share a pass
	 * when both are left. The grouping changes no chain's order, so no bit of the result.
	 */
	private static void weightGradients(Workspace ws, double[][][] a, int m, double inverse) {
		double[][] dw = ws.gradients.dw();
		double[][][] dz = ws.dz;
		double[] r = ws.sums;
		int[][] blocks = ws.fourByTwo;
		int[][] rows = ws.unitByFour;
		int b = 0;
		int u = 0;
		while (b < blocks.length || u < rows.length) {
			int[] f = (b < blocks.length) ? blocks[b++] : null;
			int[] g = (u < rows.length) ? rows[u++] : null;
			if (f != null && g != null) {
				double[][] d = dz[f[0] + 1];
				double[][] p = a[f[0]];
				double[][] p1 = a[g[0]];
				fourByTwoAndUnitByFour(d[f[1]], d[f[2]], d[f[3]], d[f[4]], p[f[5]], p[f[6]], dz[g[0] + 1][0], p1[g[1]],
						p1[g[2]], p1[g[3]], p1[g[4]], m, r);
			}
			else if (f != null) {
				double[][] d = dz[f[0] + 1];
				double[][] p = a[f[0]];
				fourByTwo(d[f[1]], d[f[2]], d[f[3]], d[f[4]], p[f[5]], p[f[6]], m, r);
			}
			else {
				double[][] p1 = a[g[0]];
				unitByFour(dz[g[0] + 1][0], p1[g[1]], p1[g[2]], p1[g[3]], p1[g[4]], m, r, 8);
			}
			if (f != null) {
				double[] dwl = dw[f[0]];
				int inputs = a[f[0]].length;
				for (int j = 0; j < 4; j++) {
					dwl[f[1 + j] * inputs + f[5]] = inverse * r[2 * j];
					dwl[f[1 + j] * inputs + f[6]] = inverse * r[2 * j + 1];
				}
			}
			if (g != null) {
				double[] dwl = dw[g[0]];
				for (int j = 0; j < 4; j++) {
					dwl[g[1 + j]] = inverse * r[8 + j];
				}
			}
		}
	}

	/**
	 * {@code r = {Σ a p, Σ a q, Σ b p, Σ b q, Σ c p, Σ c q, Σ d p, Σ d q}}, see above.
	 */
	static void fourByTwo(double[] a, double[] b, double[] c, double[] d, double[] p, double[] q, int n, double[] r) {
		double ap = 0;
		double aq = 0;
		double bp = 0;
		double bq = 0;
		double cp = 0;
		double cq = 0;
		double dp = 0;
		double dq = 0;
		for (int s = 0; s < n; s++) {
			double ps = p[s];
			double qs = q[s];
			ap = Math.fma(a[s], ps, ap);
			aq = Math.fma(a[s], qs, aq);
			bp = Math.fma(b[s], ps, bp);
			bq = Math.fma(b[s], qs, bq);
			cp = Math.fma(c[s], ps, cp);
			cq = Math.fma(c[s], qs, cq);
			dp = Math.fma(d[s], ps, dp);
			dq = Math.fma(d[s], qs, dq);
		}
		r[0] = ap;
		r[1] = aq;
		r[2] = bp;
		r[3] = bq;
		r[4] = cp;
		r[5] = cq;
		r[6] = dp;
		r[7] = dq;
	}

	/** {@code r[at..at+3] = {Σ d p, Σ d q, Σ d u, Σ d v}}, see above. */
	static void unitByFour(double[] d, double[] p, double[] q, double[] u, double[] v, int n, double[] r, int at) {
		double dp = 0;
		double dq = 0;
		double du = 0;
		double dv = 0;
		for (int s = 0; s < n; s++) {
			double ds = d[s];
			dp = Math.fma(ds, p[s], dp);
			dq = Math.fma(ds, q[s], dq);
			du = Math.fma(ds, u[s], du);
			dv = Math.fma(ds, v[s], dv);
		}
		r[at] = dp;
		r[at + 1] = dq;
		r[at + 2] = du;
		r[at + 3] = dv;
	}

	/**
	 * {@link #fourByTwo} into r[0..7] and {@link #unitByFour} into r[8..11] in one pass:
	 * twelve independent chains keep both multiply-add units busy.
	 */
	static void fourByTwoAndUnitByFour(double[] a, double[] b, double[] c, double[] d, double[] p, double[] q,
			double[] e, double[] u0, double[] u1, double[] u2, double[] u3, int n, double[] r) {
		double ap = 0;
		double aq = 0;
		double bp = 0;
		double bq = 0;
		double cp = 0;
		double cq = 0;
		double dp = 0;
		double dq = 0;
		double e0 = 0;
		double e1 = 0;
		double e2 = 0;
		double e3 = 0;
		for (int s = 0; s < n; s++) {
			double ps = p[s];
			double qs = q[s];
			double es = e[s];
			ap = Math.fma(a[s], ps, ap);
			aq = Math.fma(a[s], qs, aq);
			bp = Math.fma(b[s], ps, bp);
			bq = Math.fma(b[s], qs, bq);
			cp = Math.fma(c[s], ps, cp);
			cq = Math.fma(c[s], qs, cq);
			dp = Math.fma(d[s], ps, dp);
			dq = Math.fma(d[s], qs, dq);
			e0 = Math.fma(es, u0[s], e0);
			e1 = Math.fma(es, u1[s], e1);
			e2 = Math.fma(es, u2[s], e2);
			e3 = Math.fma(es, u3[s], e3);
		}
		r[0] = ap;
		r[1] = aq;
		r[2] = bp;
		r[3] = bq;
		r[4] = cp;
		r[5] = cq;
		r[6] = dp;
		r[7] = dq;
		r[8] = e0;
		r[9] = e1;
		r[10] = e2;
		r[11] = e3;
	}

	/**
	 * Σ a[off..off+n) in NumPy's order for {@code np.sum} of a contiguous row
	 * (numpy/_core/src/umath/loops_utils.h.src, pairwise_sum): below 8 terms a plain
	 * loop; up to 128, eight interleaved partial sums combined pairwise, then the
	 * remainder; above, the halves (the split rounded down to a multiple of 8) summed
	 * recursively.
	 */
	static double pairwiseSum(double[] a, int off, int n) {
		if (n < 8) {
			double res = 0;
			for (int i = 0; i < n; i++) {
				res += a[off + i];
			}
			return res;
		}
		if (n <= 128) {
			double r0 = a[off];
			double r1 = a[off + 1];
			double r2 = a[off + 2];
			double r3 = a[off + 3];
			double r4 = a[off + 4];
			double r5 = a[off + 5];
			double r6 = a[off + 6];
			double r7 = a[off + 7];
			int i = 8;
			for (; i < n - (n % 8); i += 8) {
				r0 += a[off + i];
				r1 += a[off + i + 1];
				r2 += a[off + i + 2];
				r3 += a[off + i + 3];
				r4 += a[off + i + 4];
				r5 += a[off + i + 5];
				r6 += a[off + i + 6];
				r7 += a[off + i + 7];
			}
			double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
			for (; i < n; i++) {
				res += a[off + i];
			}
			return res;
		}
		int n2 = n / 2;
		n2 -= n2 % 8;
		return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
	}

}
