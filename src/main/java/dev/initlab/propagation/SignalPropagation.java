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
	 * LSUV's settings for one layer: rescale until the output variance is within
	 * {@code tolerance} of 1, at most {@code maxIterations} times.
	 *
	 * @param tolerance in (0, 1)
	 * @param maxIterations at least 1
	 */
	public record Lsuv(double tolerance, int maxIterations) {

		public Lsuv {
			if (!(tolerance > 0 && tolerance < 1)) {
				throw new IllegalArgumentException("tolerance must be in (0, 1): " + tolerance);
			}
			if (maxIterations < 1) {
				throw new IllegalArgumentException("maxIterations must be >= 1: " + maxIterations);
			}
		}

	}

	/**
	 * LSUV (Mishkin and Matas 2016, "All you need is a good init", arXiv:1511.06422),
	 * after an orthogonal pre-init: layer by layer, input to output, the weights (and
	 * bias) are divided by the std of the layer's output (W a + b, over units and
	 * samples) on the batch until its variance is within the layer's tolerance of 1, at
	 * most its {@code maxIterations} times. Layers may be non-square: each layer's input
	 * width is the previous layer's output width ({@code x.length} for the first), and
	 * its output width is {@code weights[l].length / input width}. A layer whose output
	 * std is 0 or not finite is left as it is (no rescaling can fix it).
	 * @param weights per layer, {@code [out, in]} row-major; rescaled in place
	 * @param biases per layer (null entries for none); rescaled in place
	 * @param x the batch, {@code [features][samples]}
	 * @param f the nonlinearity after every layer but the last (whose output LSUV does
	 * not need)
	 * @param settings per layer, LSUV's settings, or null to leave that layer as it is
	 * (the batch still flows through it)
	 * @return the rescalings each layer took; null for the layers left alone
	 */
	public static List<Integer> lsuv(List<double[]> weights, List<double[]> biases, double[][] x, Nonlinearity f,
			List<Lsuv> settings) {
		if (weights.size() != biases.size() || weights.size() != settings.size()) {
			throw new IllegalArgumentException("weights, biases and settings need one entry per layer: "
					+ weights.size() + ", " + biases.size() + ", " + settings.size());
		}
		List<Integer> iterations = new ArrayList<>();
		double[][] a = x;
		for (int l = 0; l < weights.size(); l++) {
			double[] w = weights.get(l);
			double[] b = biases.get(l);
			Lsuv lsuv = settings.get(l);
			double[][] z = affine(w, b, a);
			if (lsuv == null) {
				iterations.add(null);
			}
			else {
				int n = 0;
				double std = moments(z)[1];
				while (Math.abs(std * std - 1) > lsuv.tolerance() && n < lsuv.maxIterations() && std > 0
						&& Double.isFinite(std)) {
					for (int i = 0; i < w.length; i++) {
						w[i] /= std;
					}
					if (b != null) {
						for (int i = 0; i < b.length; i++) {
							b[i] /= std;
						}
					}
					n++;
					z = affine(w, b, a);
					std = moments(z)[1];
				}
				iterations.add(n);
			}
			if (l < weights.size() - 1) {
				a = apply(f, z);
			}
		}
		return iterations;
	}

	static double[][] apply(Nonlinearity f, double[][] z) {
		double[][] out = new double[z.length][];
		for (int i = 0; i < z.length; i++) {
			out[i] = new double[z[i].length];
			f.f().apply(z[i], out[i], z[i].length);
		}
		return out;
	}

	/**
	 * {@code W a + b} for {@code W [out, in]} with {@code in = a.length} and
	 * {@code out = w.length / in}.
	 */
	static double[][] affine(double[] w, double[] b, double[][] a) {
		int in = a.length;
		if (in == 0 || w.length % in != 0) {
			throw new IllegalArgumentException(
					"a weight of " + w.length + " elements does not take an input of width " + in);
		}
		int out = w.length / in;
		if (b != null && b.length != out) {
			throw new IllegalArgumentException("a bias of " + b.length + " for " + out + " outputs");
		}
		int batch = a[0].length;
		double[][] z = multiply(w, a, out, in, batch, false);
		if (b != null) {
			for (int i = 0; i < out; i++) {
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
			double[][] z = affine(weights.get(l), biases.get(l), a);
			double[][] out = apply(f, z);
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
			g = multiply(weights.get(l), dz, width, width, batch, true);
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

	/**
	 * {@code W x} for {@code W [out, in]} and {@code x [in][batch]}, or {@code Wᵀ x} with
	 * {@code transpose} (then {@code x} is {@code [out][batch]} and the result
	 * {@code [in][batch]}).
	 */
	static double[][] multiply(double[] w, double[][] x, int out, int in, int batch, boolean transpose) {
		int rows = transpose ? in : out;
		int inner = transpose ? out : in;
		double[][] result = new double[rows][batch];
		for (int i = 0; i < rows; i++) {
			double[] ri = result[i];
			for (int k = 0; k < inner; k++) {
				double wik = transpose ? w[k * in + i] : w[i * in + k];
				if (wik == 0) {
					continue;
				}
				double[] xk = x[k];
				for (int s = 0; s < batch; s++) {
					ri[s] += wik * xk[s];
				}
			}
		}
		return result;
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
