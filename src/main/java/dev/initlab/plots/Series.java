package dev.initlab.plots;

import java.util.Arrays;
import java.util.Objects;

/**
 * One line of a chart: a legend label and its points, in drawing order.
 * <p>
 * {@code x} must be finite; a {@code y} that is NaN or infinite (or, on a log axis, not
 * positive) is not drawn and leaves a gap in the line, as matplotlib does with NaN. The
 * arrays are copied in and out, so a series cannot change after it is made.
 *
 * @param label the legend entry
 * @param x the abscissae, all finite
 * @param y the ordinates, as many as {@code x}
 */
public record Series(String label, double[] x, double[] y) {

	public Series {
		Objects.requireNonNull(label, "label");
		Objects.requireNonNull(x, "x");
		Objects.requireNonNull(y, "y");
		if (x.length != y.length) {
			throw new IllegalArgumentException(
					"Series '" + label + "' has " + x.length + " x values but " + y.length + " y values");
		}
		for (int i = 0; i < x.length; i++) {
			if (!Double.isFinite(x[i])) {
				throw new IllegalArgumentException("Series '" + label + "' has a non-finite x[" + i + "] = " + x[i]);
			}
		}
		x = x.clone();
		y = y.clone();
	}

	@Override
	public double[] x() {
		return this.x.clone();
	}

	@Override
	public double[] y() {
		return this.y.clone();
	}

	int size() {
		return this.x.length;
	}

	double xAt(int i) {
		return this.x[i];
	}

	double yAt(int i) {
		return this.y[i];
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof Series that) && this.label.equals(that.label) && Arrays.equals(this.x, that.x)
				&& Arrays.equals(this.y, that.y);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.label, Arrays.hashCode(this.x), Arrays.hashCode(this.y));
	}

	@Override
	public String toString() {
		return "Series[label=" + this.label + ", x=" + Arrays.toString(this.x) + ", y=" + Arrays.toString(this.y) + "]";
	}

}
