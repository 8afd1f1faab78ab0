package dev.initlab.training;

/**
 * A trained network's prediction over the input plane, as the course's
 * {@code plot_decision_boundary} computes it: the data's bounding box widened by 1 on
 * each side ({@code x_min - 1 .. x_max + 1}, {@code y} likewise), sampled on an N × N
 * grid whose points are sent through the network's own forward pass.
 * <p>
 * Rows are indexed by y, columns by x: {@code prediction[j][i]} is the prediction at
 * {@code (x[i], y[j])}, as NumPy's {@code meshgrid(x, y)} lays it out.
 *
 * @param x the grid's x coordinates: N evenly spaced, ascending, both ends included (as
 * {@code np.linspace(x_min - 1, x_max + 1, N)})
 * @param y the grid's y coordinates, likewise
 * @param classes the classes the output tells apart (2 for a sigmoid output)
 * @param probability sigmoid output: P(class 1) at each grid point; null for softmax
 * @param prediction the predicted class at each grid point (sigmoid: 1 where P(class 1)
 * &gt; 0.5)
 * @param confidence the predicted class's probability at each grid point
 */
public record DecisionBoundary(double[] x, double[] y, int classes, double[][] probability, int[][] prediction,
		double[][] confidence) {

	/** The margin around the data, as the course's plot. */
	static final double MARGIN = 1.0;

	/**
	 * The grid of {@code network}'s predictions over the plane of {@code data}.
	 * @param network a network of two inputs
	 * @param data its training data: the grid spans their bounding box plus the margin
	 * @param resolution grid points per axis, at least 2
	 * @throws IllegalArgumentException when the network does not take two features, the
	 * resolution is below 2 or the box is too wide for a double (see {@link #plane})
	 */
	public static DecisionBoundary of(TrainedNetwork network, Dataset data, int resolution) {
		if (network.inputs() != 2) {
			throw new IllegalArgumentException("A decision boundary is drawn over a plane of two input features; "
					+ "the network takes " + network.inputs());
		}
		if (resolution < 2) {
			throw new IllegalArgumentException("The grid needs at least 2 points per axis, got " + resolution);
		}
		double[][] box = plane(data);
		if (box == null) {
			throw new IllegalArgumentException("The data's bounding box is too wide to sample");
		}
		double[] x = linspace(box[0][0], box[0][1], resolution);
		double[] y = linspace(box[1][0], box[1][1], resolution);
		int n = resolution;
		double[][] columns = new double[2][n * n];
		for (int j = 0; j < n; j++) {
			for (int i = 0; i < n; i++) {
				columns[0][j * n + i] = x[i];
				columns[1][j * n + i] = y[j];
			}
		}
		TrainedNetwork.Outputs out = network.forward(columns);
		double[][] a = out.activations();
		boolean sigmoid = !network.softmax();
		double[][] probability = sigmoid ? new double[n][n] : null;
		int[][] prediction = new int[n][n];
		double[][] confidence = new double[n][n];
		for (int j = 0; j < n; j++) {
			for (int i = 0; i < n; i++) {
				int s = j * n + i;
				int c = out.predicted()[s];
				prediction[j][i] = c;
				if (sigmoid) {
					probability[j][i] = a[0][s];
					confidence[j][i] = (c == 1) ? a[0][s] : 1 - a[0][s];
				}
				else {
					confidence[j][i] = a[c][s];
				}
			}
		}
		return new DecisionBoundary(x, y, sigmoid ? 2 : network.outputs(), probability, prediction, confidence);
	}

	/**
	 * The plane the grid spans: {@code {{x_min - 1, x_max + 1}, {y_min - 1, y_max + 1}}}
	 * over the first two features of {@code data}, or null when a side's length is not a
	 * finite double (an inline dataset with values near ±1.8e308).
	 */
	public static double[][] plane(Dataset data) {
		double[][] box = new double[2][];
		for (int f = 0; f < 2; f++) {
			double min = Double.POSITIVE_INFINITY;
			double max = Double.NEGATIVE_INFINITY;
			for (double[] sample : data.x()) {
				min = Math.min(min, sample[f]);
				max = Math.max(max, sample[f]);
			}
			double lo = min - MARGIN;
			double hi = max + MARGIN;
			if (!Double.isFinite(hi - lo)) {
				return null;
			}
			box[f] = new double[] { lo, hi };
		}
		return box;
	}

	/** {@code n} evenly spaced values from {@code lo} to {@code hi}, both included. */
	static double[] linspace(double lo, double hi, int n) {
		double[] v = new double[n];
		double step = (hi - lo) / (n - 1);
		for (int i = 0; i < n; i++) {
			v[i] = lo + i * step;
		}
		v[n - 1] = hi;
		return v;
	}

}
