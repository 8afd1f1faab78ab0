package dev.initlab.init;

import java.util.Arrays;

import dev.initlab.rng.RandomStream;

/**
 * ZerO initialization (Zhao, Schäfer and Anandkumar 2022, "ZerO Initialization:
 * Initializing Neural Networks with only Zeros and Ones", TMLR, arXiv:2110.12661): a
 * deterministic matrix of zeros and ones up to one factor, Algorithm 1 of the paper for a
 * weight {@code W} of {@code P} rows (out) and {@code Q} columns (in):
 * <ul>
 * <li>{@code P = Q}: the identity;
 * <li>{@code P < Q}: the partial identity {@code I*} (ones at {@code [i, i]}), which
 * propagates the first {@code P} inputs;
 * <li>{@code P > Q}: {@code c * I* H_m I*}, {@code m = ceil(log2 P)}, which is {@code c}
 * times the top-left {@code P x Q} block of the Sylvester Hadamard matrix of size
 * {@code 2^m} ({@code H[i, j] = (-1)^popcount(i & j)}, as {@code scipy.linalg.hadamard}
 * builds it).
 * </ul>
 * {@code c = 2^(-(m-1)/2)} as in the paper's Algorithm 1 ({@link Variant#PAPER}), or
 * {@code 2^(-m/2)} as in the authors' {@code example_mnist.ipynb}
 * ({@code ZerO_Init_on_matrix}: {@code hadamard(p) / 2**(clog_m / 2)};
 * {@link Variant#NOTEBOOK}). A convolution weight {@code [out, in, *k]} gets that
 * {@code [out, in]} matrix at the kernel centre {@code [k0/2, k1/2, ...]} and zero
 * elsewhere (the paper's Algorithm 2, like {@link Dirac} and {@link DeltaOrthogonal}); a
 * grouped convolution's weight is {@code [out, in/groups, *k]} and gets the
 * {@code [out, in/groups]} matrix. Draws nothing.
 */
final class ZerO implements Fill.Whole {

	/** Which factor {@code c} the Hadamard case uses. */
	enum Variant {

		/** {@code c = 2^(-(m-1)/2)}: Algorithm 1 of the paper. */
		PAPER("paper"),

		/** {@code c = 2^(-m/2)}: the authors' notebook; {@code H_m c} is orthogonal. */
		NOTEBOOK("notebook");

		final String wireName;

		Variant(String wireName) {
			this.wireName = wireName;
		}

		static Variant of(String wireName) {
			return Arrays.stream(values())
				.filter((v) -> v.wireName.equals(wireName))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("unknown ZerO variant " + wireName));
		}

	}

	private final int[] shape;

	private final int rows;

	private final int cols;

	private final int m;

	private final double c;

	ZerO(int[] shape, Variant variant) {
		if (shape.length < 2 || shape.length > 5) {
			throw new IllegalArgumentException("ZerO needs a 2-D weight or a convolution weight of 3 to 5 dimensions");
		}
		this.shape = shape.clone();
		this.rows = shape[0];
		this.cols = shape[1];
		this.m = (this.rows > this.cols) ? ceilLog2(this.rows) : 0;
		this.c = (this.rows > this.cols) ? factor(variant, this.m) : 1.0;
	}

	/** {@code ceil(log2 n)} for {@code n >= 1}, exactly. */
	static int ceilLog2(int n) {
		return (n <= 1) ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
	}

	/**
	 * {@code c}, correctly rounded: {@code 2^(-e/2)} with {@code e = m - 1} (paper) or
	 * {@code e = m} (notebook) is a power of two when {@code e} is even, else a power of
	 * two times {@code sqrt(1/2)} (IEEE square root, correctly rounded; the power of two
	 * scales it exactly).
	 */
	static double factor(Variant variant, int m) {
		int e = (variant == Variant.PAPER) ? m - 1 : m;
		if (e % 2 == 0) {
			return Math.scalb(1.0, -e / 2);
		}
		return Math.scalb(Math.sqrt(0.5), -(e - 1) / 2);
	}

	/** Whether {@code P > Q}, so the Hadamard construction applies. */
	boolean isHadamard() {
		return this.rows > this.cols;
	}

	/** {@code m = ceil(log2 P)} of the Hadamard case, else 0. */
	int m() {
		return this.m;
	}

	/** The factor {@code c} of the Hadamard case, else 1. */
	double c() {
		return this.c;
	}

	/** How many elements are non-zero: {@code P * Q} (Hadamard) or {@code min(P, Q)}. */
	long nonZeros() {
		return isHadamard() ? (long) this.rows * this.cols : Math.min(this.rows, this.cols);
	}

	/** The sum of the matrix's elements, exactly (integers times {@code c}). */
	double sum() {
		if (!isHadamard()) {
			return Math.min(this.rows, this.cols);
		}
		long sum = 0;
		for (int i = 0; i < this.rows; i++) {
			for (int j = 0; j < this.cols; j++) {
				sum += sign(i, j);
			}
		}
		return this.c * sum;
	}

	/** {@code H[i, j]} of the Sylvester Hadamard matrix. */
	static int sign(int i, int j) {
		return ((Integer.bitCount(i & j) & 1) == 0) ? 1 : -1;
	}

	@Override
	public void fill(RandomStream stream, double[] out) {
		Arrays.fill(out, 0.0);
		int kernel = 1;
		int centre = 0;
		for (int i = 2; i < this.shape.length; i++) {
			centre = centre * this.shape[i] + this.shape[i] / 2;
			kernel *= this.shape[i];
		}
		if (!isHadamard()) {
			for (int d = 0; d < this.rows; d++) {
				out[(d * this.cols + d) * kernel + centre] = 1.0;
			}
			return;
		}
		for (int i = 0; i < this.rows; i++) {
			for (int j = 0; j < this.cols; j++) {
				out[(i * this.cols + j) * kernel + centre] = this.c * sign(i, j);
			}
		}
	}

}
