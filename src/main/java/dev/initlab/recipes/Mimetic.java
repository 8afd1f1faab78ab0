package dev.initlab.recipes;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import dev.initlab.rng.RandomStream;

/**
 * Mimetic initialization of self-attention (Trockman and Kolter 2023, "Mimetic
 * Initialization of Self-Attention Layers", ICML, arXiv:2305.09828).
 * <p>
 * The paper writes attention with row vectors ({@code X} is {@code n x d}): scores
 * {@code X W_q W_k^T X^T} with {@code W_q, W_k} of {@code d x k} per head ({@code k} the
 * head dimension, {@code d / heads}), values {@code X W_v W_proj} with {@code W_v} and
 * {@code W_proj} of {@code d x d} (all heads together, full rank). It sets
 * <ul>
 * <li>per head, {@code W_q W_k^T ≈ alpha1 Z1 + beta1 I};
 * <li>{@code W_v W_proj ≈ alpha2 Z2 - beta2 I};
 * <li>{@code Z ~ N(0, I/d)}: entries of variance {@code 1/d}, here
 * {@code standard normal / sqrt(d)}; defaults {@code alpha1 = beta1 = 0.7},
 * {@code alpha2 = beta2 = 0.4} (its ViT setting);
 * </ul>
 * and splits each target {@code M = U S V^T} by its SVD: {@code W_q = U_k S_k^(1/2)},
 * {@code W_k = V_k S_k^(1/2)} with the first {@code k} singular triplets (so
 * {@code W_q W_k^T} is {@code M}'s best rank-{@code k} approximation), and
 * {@code W_v = U S^(1/2)}, {@code W_proj = S^(1/2) V^T}. Each head has its own {@code Z1}
 * (a shared one would give every head the same top-{@code k} subspace, i.e. identical
 * heads); the d x d value/projection pair is one matrix over all heads, as the paper
 * sizes it, so {@code heads * head_dim} must equal {@code d_model}.
 * <p>
 * In PyTorch's {@code nn.Linear} layout ({@code weight [out, in]}, {@code y = x W^T}) the
 * paper's {@code W_q} of head {@code h} is the transpose of rows {@code [h k, (h+1) k)}
 * of {@link Weights#query()}, likewise for keys, and {@code W_v = value^T},
 * {@code W_proj = output^T}. So, per head,
 * {@code query_h^T key_h = alpha1 Z1_h + beta1 I} truncated to rank {@code k}, and
 * {@code (output value)^T = alpha2 Z2 - beta2 I}.
 * <p>
 * Draws, in this order, from the stream's standard normals: {@code Z1} of head 0, ...,
 * head {@code heads - 1}, then {@code Z2}, each {@code d x d} row-major; with
 * {@code numpy_pcg64} that is {@code rng = np.random.default_rng(seed)},
 * {@code [rng.standard_normal((d, d)) / np.sqrt(d) for each head]}, then one more. The
 * SVD is Commons Math's {@link SingularValueDecomposition} (Golub-Kahan-Reinsch, singular
 * values in decreasing order), which runs on one thread in a fixed order of operations
 * using only IEEE arithmetic, {@code Math.sqrt} (correctly rounded) and
 * {@code FastMath.hypot}/{@code abs}/{@code max} (pure Java, built from the same), so the
 * same stream gives the same bits on every JVM, machine and thread count. NumPy's LAPACK
 * SVD agrees to rounding (the factors' signs may differ; the products do not).
 * <p>
 * Cost: {@code heads + 1} full SVDs of {@code d x d}, about {@code 21 d^3} flops each
 * ({@code 10^10} at {@code d = 768}: seconds per SVD; EJML's is about 4 times faster, but
 * its exceptional shifts call {@code Math.sin}/{@code cos}, which may differ in the last
 * bit between platforms); memory {@code O(d^2)}. Callers should bound {@code d} by a
 * configuration property.
 */
public final class Mimetic {

	private Mimetic() {
	}

	/**
	 * The four coefficients: {@code W_q W_k^T ≈ alpha1 Z1 + beta1 I},
	 * {@code W_v W_proj ≈ alpha2 Z2 - beta2 I}.
	 */
	public record Coefficients(double alpha1, double beta1, double alpha2, double beta2) {

		/** The paper's defaults: 0.7, 0.7, 0.4, 0.4. */
		public static final Coefficients DEFAULTS = new Coefficients(0.7, 0.7, 0.4, 0.4);

		public Coefficients {
			if (!Double.isFinite(alpha1) || !Double.isFinite(beta1) || !Double.isFinite(alpha2)
					|| !Double.isFinite(beta2)) {
				throw new IllegalArgumentException("mimetic coefficients must be finite");
			}
		}

	}

	/**
	 * The four attention weights in {@code nn.Linear} layout, row-major.
	 *
	 * @param dModel the model width {@code d}
	 * @param heads the number of heads
	 * @param headDim the head dimension {@code k}
	 * @param query {@code [heads * head_dim, d_model]}
	 * @param key {@code [heads * head_dim, d_model]}
	 * @param value {@code [heads * head_dim, d_model]}
	 * @param output {@code [d_model, heads * head_dim]}
	 */
	public record Weights(int dModel, int heads, int headDim, double[] query, double[] key, double[] value,
			double[] output) {

	}

	/**
	 * Draws one attention layer's mimetic weights.
	 * @param dModel the model width {@code d}, at least 1
	 * @param heads the number of heads, at least 1
	 * @param headDim the head dimension; {@code heads * headDim} must equal
	 * {@code dModel}
	 * @param c the coefficients
	 * @param stream the stream the {@code Z}s are drawn from, in the order of the class
	 * comment ({@code (heads + 1) d^2} standard normals)
	 * @return the weights
	 * @throws IllegalArgumentException if a size is below 1, {@code heads * headDim}
	 * differs from {@code dModel}, or {@code d^2} exceeds an array
	 */
	public static Weights initialize(int dModel, int heads, int headDim, Coefficients c, RandomStream stream) {
		if (dModel < 1 || heads < 1 || headDim < 1) {
			throw new IllegalArgumentException(
					"d_model, heads and head_dim must be at least 1, got " + dModel + ", " + heads + ", " + headDim);
		}
		if ((long) heads * headDim != dModel) {
			throw new IllegalArgumentException("mimetic needs heads * head_dim = d_model (the paper's d x d value and "
					+ "projection), got " + heads + " * " + headDim + " != " + dModel);
		}
		if ((long) dModel * dModel > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("d_model " + dModel + " is too large for one d x d matrix");
		}
		int d = dModel;
		int k = headDim;
		double[] query = new double[d * d];
		double[] key = new double[d * d];
		for (int h = 0; h < heads; h++) {
			SingularValueDecomposition svd = svd(target(stream, d, c.alpha1(), c.beta1()));
			RealMatrix u = svd.getU();
			RealMatrix v = svd.getV();
			double[] s = svd.getSingularValues();
			for (int r = 0; r < k; r++) {
				double root = Math.sqrt(s[r]);
				int row = (h * k + r) * d;
				for (int j = 0; j < d; j++) {
					query[row + j] = u.getEntry(j, r) * root;
					key[row + j] = v.getEntry(j, r) * root;
				}
			}
		}
		SingularValueDecomposition svd = svd(target(stream, d, c.alpha2(), -c.beta2()));
		RealMatrix u = svd.getU();
		RealMatrix v = svd.getV();
		double[] s = svd.getSingularValues();
		double[] value = new double[d * d];
		double[] output = new double[d * d];
		for (int r = 0; r < d; r++) {
			double root = Math.sqrt(s[r]);
			for (int j = 0; j < d; j++) {
				value[r * d + j] = u.getEntry(j, r) * root;
				output[j * d + r] = v.getEntry(j, r) * root;
			}
		}
		return new Weights(d, heads, k, query, key, value, output);
	}

	/**
	 * {@code alpha Z + beta I}, {@code Z = standard normal / sqrt(d)} drawn row-major
	 * from the stream.
	 */
	static double[][] target(RandomStream stream, int d, double alpha, double beta) {
		double scale = Math.sqrt(d);
		double[][] m = new double[d][d];
		double[] row = new double[d];
		for (int i = 0; i < d; i++) {
			stream.fillGaussian(row, 0, d);
			for (int j = 0; j < d; j++) {
				m[i][j] = alpha * (row[j] / scale) + ((i == j) ? beta : 0.0);
			}
		}
		return m;
	}

	private static SingularValueDecomposition svd(double[][] m) {
		return new SingularValueDecomposition(new Array2DRowRealMatrix(m, false));
	}

}
