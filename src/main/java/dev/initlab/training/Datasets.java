package dev.initlab.training;

import dev.initlab.rng.RandomStream;

/**
 * The experiment datasets, drawn from one stream in a fixed order. With the
 * {@code numpy_legacy} stream they draw what the deeplearning.ai notebooks draw:
 * {@link #planarFlower} is the course's {@code load_planar_dataset}, {@link #circles} and
 * {@link #moons} follow scikit-learn's {@code make_circles}/{@code make_moons} (shuffle
 * by {@code RandomState.shuffle}, then normal noise) and {@link #blobs} its
 * {@code make_blobs}.
 */
public final class Datasets {

	private Datasets() {
	}

	/**
	 * The course's two-class flower: for class j,
	 * {@code t = linspace(3.12 j, 3.12 (j+1), N) +
	 * 0.2 randn(N)}, {@code r = 4 sin(4t) + 0.2 randn(N)}, point
	 * {@code (r sin t, r cos t)}; N = n/2 per class (n even), noise 0.2 by default.
	 */
	public static Dataset planarFlower(int n, double noise, RandomStream s) {
		int perClass = n / 2;
		double[][] x = new double[2 * perClass][];
		int[] y = new int[2 * perClass];
		for (int j = 0; j < 2; j++) {
			double[] t = linspace(j * 3.12, (j + 1) * 3.12, perClass, true);
			for (int i = 0; i < perClass; i++) {
				t[i] += s.nextGaussian() * noise;
			}
			double[] r = new double[perClass];
			for (int i = 0; i < perClass; i++) {
				r[i] = 4 * Math.sin(4 * t[i]) + s.nextGaussian() * noise;
			}
			for (int i = 0; i < perClass; i++) {
				x[j * perClass + i] = new double[] { r[i] * Math.sin(t[i]), r[i] * Math.cos(t[i]) };
				y[j * perClass + i] = j;
			}
		}
		return new Dataset(x, y, 2);
	}

	/**
	 * XOR: the corners of {-1, 1}², label 1 where the signs differ; with n > 4, corner
	 * {@code i mod 4} plus N(0, noise²) per coordinate.
	 */
	public static Dataset xor(int n, double noise, RandomStream s) {
		double[][] corners = { { -1, -1 }, { -1, 1 }, { 1, -1 }, { 1, 1 } };
		int[] labels = { 0, 1, 1, 0 };
		double[][] x = new double[n][];
		int[] y = new int[n];
		for (int i = 0; i < n; i++) {
			double[] c = corners[i % 4];
			x[i] = (n > 4) ? new double[] { c[0] + noise * s.nextGaussian(), c[1] + noise * s.nextGaussian() }
					: c.clone();
			y[i] = labels[i % 4];
		}
		return new Dataset(x, y, 2);
	}

	/** scikit-learn's {@code make_circles(n, shuffle=True, noise, factor)}. */
	public static Dataset circles(int n, double noise, double factor, RandomStream s) {
		int out = n / 2;
		int in = n - out;
		double[] lo = linspace(0, 2 * Math.PI, out, false);
		double[] li = linspace(0, 2 * Math.PI, in, false);
		double[][] x = new double[n][];
		int[] y = new int[n];
		for (int i = 0; i < out; i++) {
			x[i] = new double[] { Math.cos(lo[i]), Math.sin(lo[i]) };
		}
		for (int i = 0; i < in; i++) {
			x[out + i] = new double[] { Math.cos(li[i]) * factor, Math.sin(li[i]) * factor };
			y[out + i] = 1;
		}
		return shuffleAndNoise(x, y, noise, s, 2);
	}

	/** scikit-learn's {@code make_moons(n, shuffle=True, noise)}. */
	public static Dataset moons(int n, double noise, RandomStream s) {
		int out = n / 2;
		int in = n - out;
		double[] lo = linspace(0, Math.PI, out, true);
		double[] li = linspace(0, Math.PI, in, true);
		double[][] x = new double[n][];
		int[] y = new int[n];
		for (int i = 0; i < out; i++) {
			x[i] = new double[] { Math.cos(lo[i]), Math.sin(lo[i]) };
		}
		for (int i = 0; i < in; i++) {
			x[out + i] = new double[] { 1 - Math.cos(li[i]), 1 - Math.sin(li[i]) - 0.5 };
			y[out + i] = 1;
		}
		return shuffleAndNoise(x, y, noise, s, 2);
	}

	/**
	 * Two interleaved spirals: class c's point i has {@code t = i / (N - 1)}, radius t
	 * and angle {@code c π + 4π t}, plus N(0, noise²) per coordinate, drawn in order.
	 */
	public static Dataset spirals(int n, double noise, RandomStream s) {
		int perClass = n / 2;
		double[][] x = new double[2 * perClass][];
		int[] y = new int[2 * perClass];
		for (int c = 0; c < 2; c++) {
			for (int i = 0; i < perClass; i++) {
				double t = (perClass > 1) ? (double) i / (perClass - 1) : 0;
				double angle = c * Math.PI + 4 * Math.PI * t;
				x[c * perClass + i] = new double[] { t * Math.cos(angle) + noise * s.nextGaussian(),
						t * Math.sin(angle) + noise * s.nextGaussian() };
				y[c * perClass + i] = c;
			}
		}
		return new Dataset(x, y, 2);
	}

	/**
	 * scikit-learn's {@code make_blobs(n, n_features=2, centers, cluster_std=1.0,
	 * center_box=(-10, 10), shuffle=True)}: centers U(-10, 10), then each center's
	 * samples normal around it, then a shuffle.
	 */
	public static Dataset blobs(int n, int centers, double std, RandomStream s) {
		double[][] c = new double[centers][2];
		for (int k = 0; k < centers; k++) {
			for (int f = 0; f < 2; f++) {
				c[k][f] = -10 + 20 * s.nextDouble();
			}
		}
		double[][] x = new double[n][];
		int[] y = new int[n];
		int pos = 0;
		for (int k = 0; k < centers; k++) {
			int count = n / centers + ((k < n % centers) ? 1 : 0);
			for (int i = 0; i < count; i++) {
				x[pos] = new double[] { c[k][0] + std * s.nextGaussian(), c[k][1] + std * s.nextGaussian() };
				y[pos++] = k;
			}
		}
		int[] order = permutation(n, s);
		return new Dataset(x, y, centers).subset(order);
	}

	/**
	 * Splits off the last {@code round(fraction · n)} samples of a random permutation as
	 * a test set.
	 */
	public static Dataset[] split(Dataset data, double fraction, RandomStream s) {
		int n = data.size();
		int test = (int) Math.round(fraction * n);
		int[] order = permutation(n, s);
		int[] trainIdx = java.util.Arrays.copyOfRange(order, 0, n - test);
		int[] testIdx = java.util.Arrays.copyOfRange(order, n - test, n);
		return new Dataset[] { data.subset(trainIdx), data.subset(testIdx) };
	}

	private static Dataset shuffleAndNoise(double[][] x, int[] y, double noise, RandomStream s, int classes) {
		Dataset shuffled = new Dataset(x, y, classes).subset(permutation(x.length, s));
		// scikit-learn draws the noise whenever noise is given, zero included
		{
			for (double[] row : shuffled.x()) {
				row[0] += noise * s.nextGaussian();
				row[1] += noise * s.nextGaussian();
			}
		}
		return shuffled;
	}

	/**
	 * {@code np.arange(n)} shuffled as {@code RandomState.shuffle} does: for i from n-1
	 * down to 1, swap i with a uniform j in [0, i].
	 */
	static int[] permutation(int n, RandomStream s) {
		int[] order = new int[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		shuffle(order, s);
		return order;
	}

	/**
	 * Shuffles in place as {@code RandomState.shuffle}: i from n-1 down to 1 swaps with j
	 * in [0, i].
	 */
	static void shuffle(int[] order, RandomStream s) {
		for (int i = order.length - 1; i > 0; i--) {
			int j = s.nextInt(i + 1);
			int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
	}

	/**
	 * {@code np.linspace}: {@code start + i * step}, and {@code stop} last when endpoint.
	 */
	static double[] linspace(double start, double stop, int num, boolean endpoint) {
		double[] out = new double[num];
		int div = endpoint ? num - 1 : num;
		double step = (div > 0) ? (stop - start) / div : 0;
		for (int i = 0; i < num; i++) {
			out[i] = i * step + start;
		}
		if (endpoint && num > 1) {
			out[num - 1] = stop;
		}
		return out;
	}

}
