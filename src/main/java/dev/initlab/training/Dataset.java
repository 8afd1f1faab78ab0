package dev.initlab.training;

/**
 * Labelled points: {@code x[i]} is sample i's features, {@code y[i]} its class in
 * {@code [0, classes)}.
 *
 * @param x samples × features
 * @param y labels
 * @param classes number of classes
 */
public record Dataset(double[][] x, int[] y, int classes) {

	public int size() {
		return this.y.length;
	}

	public int features() {
		return (this.x.length > 0) ? this.x[0].length : 0;
	}

	/** The samples as {@code [features][samples]}, as networks take their input. */
	public double[][] columns() {
		return columns(null);
	}

	/**
	 * The samples at {@code indices} (all, in order, when null) as
	 * {@code [features][samples]}.
	 */
	public double[][] columns(int[] indices) {
		int n = (indices != null) ? indices.length : size();
		double[][] columns = new double[features()][n];
		for (int s = 0; s < n; s++) {
			double[] row = this.x[(indices != null) ? indices[s] : s];
			for (int f = 0; f < row.length; f++) {
				columns[f][s] = row[f];
			}
		}
		return columns;
	}

	/** The samples at {@code indices}, in that order. */
	public Dataset subset(int[] indices) {
		double[][] xs = new double[indices.length][];
		int[] ys = new int[indices.length];
		for (int i = 0; i < indices.length; i++) {
			xs[i] = this.x[indices[i]];
			ys[i] = this.y[indices[i]];
		}
		return new Dataset(xs, ys, this.classes);
	}

}
