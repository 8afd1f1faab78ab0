package dev.initlab.plots;

import java.awt.geom.Path2D;

/**
 * Marching squares: the line where a gridded field crosses a level, as one path of
 * segments in the grid's coordinates.
 */
final class Contour {

	private Contour() {
	}

	/**
	 * The segments where {@code v} crosses {@code level}, a point being above it when
	 * {@code v > level} (so a field equal to the level everywhere has no contour). Each
	 * cell's crossings lie on its edges, placed by linear interpolation; a saddle cell
	 * (opposite corners alike) is split by the mean of its corners.
	 * @param x the columns' coordinates
	 * @param y the rows' coordinates
	 * @param v {@code v[j][i]} the value at {@code (x[i], y[j])}
	 */
	static Path2D.Double of(double[] x, double[] y, double[][] v, double level) {
		Path2D.Double path = new Path2D.Double();
		for (int j = 0; j + 1 < y.length; j++) {
			for (int i = 0; i + 1 < x.length; i++) {
				double v00 = v[j][i];
				double v10 = v[j][i + 1];
				double v01 = v[j + 1][i];
				double v11 = v[j + 1][i + 1];
				boolean a00 = v00 > level;
				boolean a10 = v10 > level;
				boolean a01 = v01 > level;
				boolean a11 = v11 > level;
				if (a00 == a10 && a00 == a01 && a00 == a11) {
					continue;
				}
				// crossings on the edges: bottom, right, top, left (null where none)
				double[] bottom = (a00 != a10) ? new double[] { cross(x[i], x[i + 1], v00, v10, level), y[j] } : null;
				double[] right = (a10 != a11) ? new double[] { x[i + 1], cross(y[j], y[j + 1], v10, v11, level) }
						: null;
				double[] top = (a01 != a11) ? new double[] { cross(x[i], x[i + 1], v01, v11, level), y[j + 1] } : null;
				double[] left = (a00 != a01) ? new double[] { x[i], cross(y[j], y[j + 1], v00, v01, level) } : null;
				if (bottom != null && right != null && top != null && left != null) {
					boolean centre = (v00 + v10 + v01 + v11) / 4 > level;
					if (centre == a00) {
						// the centre joins the corners alike to (0, 0): cut off (1, 0)
						// and (0, 1)
						segment(path, bottom, right);
						segment(path, top, left);
					}
					else {
						segment(path, bottom, left);
						segment(path, right, top);
					}
					continue;
				}
				double[] first = null;
				for (double[] p : new double[][] { bottom, right, top, left }) {
					if (p == null) {
						continue;
					}
					if (first == null) {
						first = p;
					}
					else {
						segment(path, first, p);
					}
				}
			}
		}
		return path;
	}

	/** Where the line from (a, va) to (b, vb) reaches the level. */
	private static double cross(double a, double b, double va, double vb, double level) {
		return a + (b - a) * (level - va) / (vb - va);
	}

	private static void segment(Path2D.Double path, double[] from, double[] to) {
		path.moveTo(from[0], from[1]);
		path.lineTo(to[0], to[1]);
	}

}
