package dev.initlab.propagation;

import java.util.ArrayList;
import java.util.List;

import dev.initlab.rng.RandomStream;

/**
 * Forwards a random unit-variance batch through a stack of square layers and
 * back-propagates a random unit-variance gradient, recording per-layer statistics: how
 * the signal vanishes or explodes with depth before any training.
 */
public final class SignalPropagation {

	private SignalPropagation() {
	}

	/**
	 * An activation: the function, its derivative (given z and a) and whether it
	 * saturates.
	 *
	 * @param name wire name
	 * @param f the function over a row: {@code out[s] = f(z[s])}
	 * @param derivative multiplies a row by f'(z) given z and a = f(z)
	 * @param saturates whether saturation is measured (tanh, sigmoid)
	 */
	public record Nonlinearity(String name, Row f, RowDerivative derivative, boolean saturates) {

		boolean saturated(double a) {
			return this.name.equals("tanh") ? Math.abs(a) > 0.99 : (a < 0.01 || a > 0.99);
		}

	}

	/** {@code out[s] = f(z[s])} for s < n; out is not z. */
	public interface Row {

		void apply(double[] z, double[] out, int n);

	}

	/** {@code d[s] *= f'(z[s])} for s < n, given z and a = f(z). */
	public interface RowDerivative {

		void multiply(double[] d, double[] z, double[] a, int n);

	}

	/**
	 * @param weights per layer, {@code [width, width]} row-major
	 * @param biases per layer, or null entries for none
	 * @param width units per layer
	 * @param batch samples
	 * @param f the activation
	 * @param stream draws the input batch, then the output gradient, as standard normals
	 */
	public static List<LayerStats> run(List<double[]> weights, List<double[]> biases, int width, int batch,
			Nonlinearity f, RandomStream stream) {
		return run(weights, biases, input(width, batch, stream), f, stream);
	}

	/** A {@code [width][batch]} standard normal batch. */
	public static double[][] input(int width, int batch, RandomStream stream) {
		double[][] x = new double[width][batch];
		for (double[] row : x) {
			stream.fillGaussian(row, 0, batch);
		}
		return x;
	}

	/**
	 * LSUV (Mishkin and Matas 2016, "All you need is a good init", arXiv:1511.06422),
	 * after an orthogonal pre-init: layer by layer, the weights (and bias) are divided by
	 * the std of the layer's output (W a + b) on the batch until its variance is within
	 * {@code tolerance} of 1, at most {@code maxIterations} times per layer.
	 * @return the rescalings each layer took
	 */
	public static int[] lsuv(List<double[]> weights, List<double[]> biases, double[][] x, Nonlinearity f,
			double tolerance, int maxIterations) {
		int width = x.length;
		int batch = x[0].length;
		int[] iterations = new int[weights.size()];
		double[][] a = x;
		for (int l = 0; l < weights.size(); l++) {
			double[] w = weights.get(l);
			double[] b = biases.get(l);
			double[][] z = affine(w, b, a, width, batch);
			double std = moments(z)[1];
			while (Math.abs(std * std - 1) > tolerance && iterations[l] < maxIterations && std > 0
					&& Double.isFinite(std)) {
				for (int i = 0; i < w.length; i++) {
					w[i] /= std;
				}
				if (b != null) {
					for (int i = 0; i < b.length; i++) {
						b[i] /= std;
					}
				}
				iterations[l]++;
				z = affine(w, b, a, width, batch);
				std = moments(z)[1];
			}
			double[][] out = new double[width][batch];
			for (int i = 0; i < width; i++) {
				f.f().apply(z[i], out[i], batch);
			}
			a = out;
		}
		return iterations;
	}

	private static double[][] affine(double[] w, double[] b, double[][] a, int width, int batch) {
		double[][] z = multiply(w, a, width, batch, false);
		if (b != null) {
			for (int i = 0; i < width; i++) {
				for (int s = 0; s < batch; s++) {
					z[i][s] += b[i];
				}
			}
		}
		return z;
	}

	/** The pass for a given input batch; {@code stream} draws the output gradient. */
	public static List<LayerStats> run(List<double[]> weights, List<double[]> biases, double[][] x, Nonlinearity f,
			RandomStream stream) {
		int depth = weights.size();
		int width = x.length;
		int batch = x[0].length;
		double[][] a = x;
		List<double[][]> zs = new ArrayList<>();
		List<double[][]> as = new ArrayList<>();
		double[] preStd = new double[depth];
		for (int l = 0; l < depth; l++) {
			double[][] z = affine(weights.get(l), biases.get(l), a, width, batch);
			double[][] out = new double[width][batch];
			for (int i = 0; i < width; i++) {
				f.f().apply(z[i], out[i], batch);
			}
			preStd[l] = moments(z)[1];
			zs.add(z);
			as.add(out);
			a = out;
		}
		double[][] g = new double[width][batch];
		for (double[] row : g) {
			stream.fillGaussian(row, 0, batch);
		}
		double[] gradStd = new double[depth];
		for (int l = depth - 1; l >= 0; l--) {
			gradStd[l] = moments(g)[1];
			if (l == 0) {
				break;
			}
			double[][] z = zs.get(l);
			double[][] out = as.get(l);
			double[][] dz = new double[width][batch];
			for (int i = 0; i < width; i++) {
				System.arraycopy(g[i], 0, dz[i], 0, batch);
				f.derivative().multiply(dz[i], z[i], out[i], batch);
			}
			g = multiply(weights.get(l), dz, width, batch, true);
		}
		List<LayerStats> stats = new ArrayList<>();
		for (int l = 0; l < depth; l++) {
			double[][] out = as.get(l);
			double[] m = moments(out);
			Double saturation = null;
			if (f.saturates()) {
				long count = 0;
				for (double[] row : out) {
					for (double v : row) {
						if (f.saturated(v)) {
							count++;
						}
					}
				}
				saturation = (double) count / ((long) width * batch);
			}
			int dead = 0;
			for (double[] row : out) {
				boolean zero = true;
				for (double v : row) {
					if (v != 0) {
						zero = false;
						break;
					}
				}
				if (zero) {
					dead++;
				}
			}
			stats.add(new LayerStats(l + 1, preStd[l], m[0], m[1], saturation, (double) dead / width, gradStd[l]));
		}
		return stats;
	}

	/** {@code W x} (or {@code Wᵀ x}) for a square {@code W}. */
	private static double[][] multiply(double[] w, double[][] x, int width, int batch, boolean transpose) {
		double[][] out = new double[width][batch];
		for (int i = 0; i < width; i++) {
			double[] oi = out[i];
			for (int k = 0; k < width; k++) {
				double wik = transpose ? w[k * width + i] : w[i * width + k];
				if (wik == 0) {
					continue;
				}
				double[] xk = x[k];
				for (int s = 0; s < batch; s++) {
					oi[s] += wik * xk[s];
				}
			}
		}
		return out;
	}

	/** Mean and population std over all entries. */
	static double[] moments(double[][] x) {
		double sum = 0;
		long n = 0;
		for (double[] row : x) {
			for (double v : row) {
				sum += v;
			}
			n += row.length;
		}
		double mean = sum / n;
		double m2 = 0;
		for (double[] row : x) {
			for (double v : row) {
				double d = v - mean;
				m2 += d * d;
			}
		}
		return new double[] { mean, Math.sqrt(m2 / n) };
	}

	/** Geometric mean of activation_std[l+1] / activation_std[l]. */
	public static double stdRatioPerLayer(List<LayerStats> stats) {
		if (stats.size() < 2) {
			return 1.0;
		}
		double first = stats.get(0).activationStd();
		double last = stats.get(stats.size() - 1).activationStd();
		return Math.pow(last / first, 1.0 / (stats.size() - 1));
	}

	/** vanishing when std[depth] / std[1] < 0.1, exploding when > 10, else stable. */
	public static String verdict(List<LayerStats> stats) {
		double first = stats.get(0).activationStd();
		double last = stats.get(stats.size() - 1).activationStd();
		double ratio = last / first;
		if (!(ratio >= 0.1) || first == 0) {
			return "vanishing";
		}
		return (ratio > 10) ? "exploding" : "stable";
	}

}
