package dev.initlab.training;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The symmetry metrics of docs/API.md section 3, on the first hidden layer: W1 rows are
 * the units' incoming weights, b1 their biases, A1 their activations over the training
 * set.
 */
public final class SymmetryMetrics {

	/** Relative tolerance under which two rows are the same unit. */
	static final double SAME = 1e-6;

	private SymmetryMetrics() {
	}

	/**
	 * @param w1 {@code [units, inputs]} row-major
	 * @param b1 {@code [units]}
	 * @param a1 {@code [units][samples]}
	 */
	public static Symmetry of(double[] w1, double[] b1, int units, int inputs, double[][] a1) {
		double[][] rows = new double[units][inputs + 1];
		for (int i = 0; i < units; i++) {
			System.arraycopy(w1, i * inputs, rows[i], 0, inputs);
			rows[i][inputs] = b1[i];
		}
		Double maxCos = null;
		Double meanCos = null;
		Double corr = null;
		if (units > 1) {
			double max = Double.NEGATIVE_INFINITY;
			double sum = 0;
			double corrSum = 0;
			int pairs = 0;
			for (int i = 0; i < units; i++) {
				for (int j = i + 1; j < units; j++) {
					double c = cosine(w1, i, j, inputs);
					max = Math.max(max, c);
					sum += c;
					corrSum += correlation(a1[i], a1[j]);
					pairs++;
				}
			}
			maxCos = max;
			meanCos = sum / pairs;
			corr = corrSum / pairs;
		}
		return new Symmetry(distinct(rows), maxCos, meanCos, rank(w1, units, inputs), corr);
	}

	/**
	 * Whether two vectors are equal within {@link #SAME} of the larger's max-abs (zeros
	 * are equal).
	 */
	static boolean same(double[] a, double[] b) {
		double scale = Math.max(maxAbs(a), maxAbs(b));
		double diff = 0;
		for (int k = 0; k < a.length; k++) {
			diff = Math.max(diff, Math.abs(a[k] - b[k]));
		}
		return diff <= SAME * scale;
	}

	/** Connected components of the "same" relation. */
	static int distinct(double[][] rows) {
		int n = rows.length;
		int[] parent = new int[n];
		for (int i = 0; i < n; i++) {
			parent[i] = i;
		}
		for (int i = 0; i < n; i++) {
			for (int j = i + 1; j < n; j++) {
				if (same(rows[i], rows[j])) {
					parent[find(parent, i)] = find(parent, j);
				}
			}
		}
		int components = 0;
		for (int i = 0; i < n; i++) {
			if (find(parent, i) == i) {
				components++;
			}
		}
		return components;
	}

	private static int find(int[] parent, int i) {
		while (parent[i] != i) {
			parent[i] = parent[parent[i]];
			i = parent[i];
		}
		return i;
	}

	/** Signed cosine of rows i and j; 1 when both are zero, 0 when exactly one is. */
	static double cosine(double[] w, int i, int j, int n) {
		double dot = 0;
		double ni = 0;
		double nj = 0;
		for (int k = 0; k < n; k++) {
			double a = w[i * n + k];
			double b = w[j * n + k];
			dot += a * b;
			ni += a * a;
			nj += b * b;
		}
		if (ni == 0 && nj == 0) {
			return 1.0;
		}
		if (ni == 0 || nj == 0) {
			return 0.0;
		}
		return dot / (Math.sqrt(ni) * Math.sqrt(nj));
	}

	/**
	 * Pearson correlation; a pair with a constant row scores 1 if the rows are the same
	 * (by {@link #same}), else 0. A row is constant when all its values are equal: that
	 * is tested on the values themselves, since their computed mean can miss the constant
	 * by an ulp and leave tiny non-zero deviations.
	 */
	static double correlation(double[] a, double[] b) {
		if (constant(a) || constant(b)) {
			return same(a, b) ? 1.0 : 0.0;
		}
		int n = a.length;
		double ma = 0;
		double mb = 0;
		for (int s = 0; s < n; s++) {
			ma += a[s];
			mb += b[s];
		}
		ma /= n;
		mb /= n;
		double sab = 0;
		double saa = 0;
		double sbb = 0;
		for (int s = 0; s < n; s++) {
			double da = a[s] - ma;
			double db = b[s] - mb;
			sab += da * db;
			saa += da * da;
			sbb += db * db;
		}
		if (saa == 0 || sbb == 0) {
			// deviations too small to square (|a| < 1e-154): treated as constant
			return same(a, b) ? 1.0 : 0.0;
		}
		return sab / Math.sqrt(saa * sbb);
	}

	private static boolean constant(double[] v) {
		for (double x : v) {
			if (x != v[0]) {
				return false;
			}
		}
		return true;
	}

	/** #σ > max(m, n)·eps·σmax, as NumPy's {@code matrix_rank}. */
	static int rank(double[] w, int m, int n) {
		for (double v : w) {
			if (!Double.isFinite(v)) {
				// diverged weights: no numerical rank to speak of, and SVD would not
				// converge
				return 0;
			}
		}
		DMatrixRMaj a = new DMatrixRMaj(m, n, true, w);
		SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, false, false, true);
		if (!svd.decompose(a.copy())) {
			throw new IllegalStateException("SVD did not converge");
		}
		double[] sigma = svd.getSingularValues();
		double max = 0;
		for (int i = 0; i < svd.numberOfSingularValues(); i++) {
			max = Math.max(max, sigma[i]);
		}
		double tol = max * Math.max(m, n) * Math.ulp(1.0);
		int rank = 0;
		for (int i = 0; i < svd.numberOfSingularValues(); i++) {
			if (sigma[i] > tol) {
				rank++;
			}
		}
		return rank;
	}

	private static double maxAbs(double[] v) {
		double m = 0;
		for (double x : v) {
			m = Math.max(m, Math.abs(x));
		}
		return m;
	}

}
