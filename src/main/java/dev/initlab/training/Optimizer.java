package dev.initlab.training;

/**
 * Parameter updates, as the deeplearning.ai "Optimization" notebook writes them: plain
 * gradient descent; momentum {@code v = β v + (1 − β) g; θ −= lr v}; Adam with bias
 * correction {@code θ −= lr v̂ / (sqrt(ŝ) + ε)} (Kingma and Ba 2014, arXiv:1412.6980).
 */
final class Optimizer {

	private final OptimizerKind kind;

	private final double lr;

	private final double beta1;

	private final double beta2;

	private final double epsilon;

	private double[][] vw;

	private double[][] vb;

	private double[][] sw;

	private double[][] sb;

	private int t;

	Optimizer(OptimizerKind kind, double lr, double beta1, double beta2, double epsilon) {
		this.kind = kind;
		this.lr = lr;
		this.beta1 = beta1;
		this.beta2 = beta2;
		this.epsilon = epsilon;
	}

	void step(Network net, Network.Gradients g) {
		if (this.vw == null) {
			this.vw = zerosLike(net.w);
			this.vb = zerosLike(net.b);
			this.sw = zerosLike(net.w);
			this.sb = zerosLike(net.b);
		}
		this.t++;
		for (int l = 0; l < net.w.length; l++) {
			update(net.w[l], g.dw()[l], this.vw[l], this.sw[l]);
			update(net.b[l], g.db()[l], this.vb[l], this.sb[l]);
		}
	}

	private void update(double[] p, double[] g, double[] v, double[] s) {
		switch (this.kind) {
			case GD -> {
				for (int i = 0; i < p.length; i++) {
					p[i] -= this.lr * g[i];
				}
			}
			case MOMENTUM -> {
				for (int i = 0; i < p.length; i++) {
					v[i] = this.beta1 * v[i] + (1 - this.beta1) * g[i];
					p[i] -= this.lr * v[i];
				}
			}
			case ADAM -> {
				double c1 = 1 - Math.pow(this.beta1, this.t);
				double c2 = 1 - Math.pow(this.beta2, this.t);
				for (int i = 0; i < p.length; i++) {
					v[i] = this.beta1 * v[i] + (1 - this.beta1) * g[i];
					s[i] = this.beta2 * s[i] + (1 - this.beta2) * g[i] * g[i];
					p[i] -= this.lr * (v[i] / c1) / (Math.sqrt(s[i] / c2) + this.epsilon);
				}
			}
		}
	}

	private static double[][] zerosLike(double[][] a) {
		double[][] z = new double[a.length][];
		for (int i = 0; i < a.length; i++) {
			z[i] = new double[a[i].length];
		}
		return z;
	}

}
