package dev.initlab.init;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.qr.QRDecompositionHouseholderColumn_DDRM;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link HouseholderQr} through {@link Orthogonal#matrix}: orthogonal, equal to an
 * unblocked Householder QR (EJML's) of the same normal draws, and the same bits whatever
 * the thread count; in double, and in float (the path of tensors of 32 bits or fewer) to
 * float rounding.
 */
class HouseholderQrTests {

	private static final long SEED = 20_260_512L;

	/** The float32 unit roundoff, 2^-24. */
	private static final double FLOAT_EPS = 0x1p-24;

	private static final ExecutorService POOL = Executors.newFixedThreadPool(4);

	@AfterAll
	static void shutDown() {
		POOL.shutdownNow();
	}

	/**
	 * Square, tall, wide, vectors, exact and non-multiples of the 32-column panel, and
	 * convolution weights (viewed as {@code out x in*k*k}).
	 */
	static Stream<int[]> shapes() {
		return Stream.of(new int[] { 1, 1 }, new int[] { 1, 300 }, new int[] { 300, 1 }, new int[] { 7, 1 },
				new int[] { 2, 2 }, new int[] { 64, 64 }, new int[] { 96, 32 }, new int[] { 33, 33 },
				new int[] { 100, 100 }, new int[] { 300, 70 }, new int[] { 70, 300 }, new int[] { 65, 31 },
				new int[] { 257, 129 }, new int[] { 16, 8, 3, 3 }, new int[] { 64, 3, 3, 3 },
				new int[] { 32, 16, 5, 5 });
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("shapes")
	void isOrthogonal(int[] shape) {
		int rows = shape[0];
		int cols = cols(shape);
		double[] q = orthogonal(HouseholderQr.on(POOL, 2), rows, cols, "q");
		assertThat(orthogonalityError(q, rows, cols)).isLessThan(1e-12);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("shapes")
	void equalsAnUnblockedHouseholderQrOfTheSameDraws(int[] shape) {
		int rows = shape[0];
		int cols = cols(shape);
		double[] q = orthogonal(HouseholderQr.on(POOL, 2), rows, cols, "q");
		double[] reference = unblockedReference(rows, cols, "q");
		assertThat(maxDifference(q, reference)).isLessThan(1e-12);
		// and at least as orthogonal as the reference, up to rounding
		assertThat(orthogonalityError(q, rows, cols))
			.isLessThanOrEqualTo(2 * orthogonalityError(reference, rows, cols) + 1e-15);
	}

	/**
	 * The wide panels' path ({@link HouseholderQr#WIDE_PANEL} columns, taken from 2048
	 * columns on) on small matrices: one panel, exact and non-multiples, several panels.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("wideShapes")
	void widePanelsAreOrthogonalAndEqualAnUnblockedQr(int[] shape) {
		int rows = shape[0];
		int cols = shape[1];
		double[] q = orthogonal(HouseholderQr.on(POOL, 2).withWidePanelsFrom(1), rows, cols, "q");
		double[] reference = unblockedReference(rows, cols, "q");
		assertThat(orthogonalityError(q, rows, cols)).isLessThan(1e-12);
		assertThat(maxDifference(q, reference)).isLessThan(1e-12);
		// another operation order than the 32-column panels' (else this path is not
		// taken)
		if (Math.min(rows, cols) > HouseholderQr.PANEL) {
			assertThat(digest(q)).isNotEqualTo(digest(orthogonal(HouseholderQr.on(POOL, 2), rows, cols, "q")));
		}
	}

	static Stream<int[]> wideShapes() {
		return Stream.of(new int[] { 64, 64 }, new int[] { 100, 63 }, new int[] { 300, 129 }, new int[] { 129, 300 },
				new int[] { 513, 257 });
	}

	@Test
	void bitsDoNotDependOnTheThreadCount() {
		// 513 x 257 and its transpose: nine panels, updates large enough to be split into
		// tiles (whose width differs with the thread count), a last panel of one column
		for (int[] shape : new int[][] { { 513, 257 }, { 257, 513 } }) {
			double[] one = orthogonal(HouseholderQr.on(POOL, 1), shape[0], shape[1], "bits");
			for (HouseholderQr qr : new HouseholderQr[] { HouseholderQr.on(POOL, 2), HouseholderQr.on(POOL, 4),
					HouseholderQr.shared() }) {
				double[] many = orthogonal(qr, shape[0], shape[1], "bits");
				assertThat(digest(many)).isEqualTo(digest(one));
			}
			double[] wideOne = orthogonal(HouseholderQr.on(POOL, 1).withWidePanelsFrom(1), shape[0], shape[1], "bits");
			for (HouseholderQr qr : new HouseholderQr[] { HouseholderQr.on(POOL, 2), HouseholderQr.on(POOL, 4),
					HouseholderQr.shared() }) {
				double[] many = orthogonal(qr.withWidePanelsFrom(1), shape[0], shape[1], "bits");
				assertThat(digest(many)).isEqualTo(digest(wideOne));
			}
		}
	}

	@Test
	void bitsArePinned() {
		// Our own output (generation version 2), pinned so that a JVM, CPU or refactoring
		// that changed a single bit fails here: the operation order is part of what a
		// seed
		// means. A deliberate change of it must raise TensorSource.GENERATION_VERSION.
		double[] q = orthogonal(HouseholderQr.on(POOL, 2), 300, 70, "pinned");
		assertThat(digest(q)).isEqualTo("275b188c317d7e8e75cfee22abe53e2554c4f9c6ab8228467619b1a411aa1e36");
		// the 64-column panels of matrices from 2048 columns on
		double[] wide = orthogonal(HouseholderQr.on(POOL, 2).withWidePanelsFrom(1), 300, 70, "pinned");
		assertThat(digest(wide)).isEqualTo("19e70cb6e05e8075558b6aabdb10fe740eb1f7073e2c9d2b543593ddcc3cf3da");
	}

	@Test
	void negativeControlAFaultInTheBlockUpdateIsCaught() {
		// T where T^T belongs in the trailing update: still a product of reflections
		// applied to Q, but no longer the factorization of A
		HouseholderQr faulty = HouseholderQr.on(POOL, 2).withTransposeFault();
		double[] q = orthogonal(faulty, 100, 100, "q");
		assertThat(maxDifference(q, unblockedReference(100, 100, "q"))).isGreaterThan(1e-3);
		// a single panel has no trailing update: the fault cannot show there
		double[] narrow = orthogonal(faulty, 100, 32, "q");
		assertThat(maxDifference(narrow, unblockedReference(100, 32, "q"))).isLessThan(1e-12);
	}

	/**
	 * The float32 path's orthogonality bound, {@code max |Q^T Q - I| < 64 eps_f}
	 * ({@code eps_f = 2^-24}, about 3.8e-6): Householder QR in a precision with unit
	 * roundoff u gives {@code ||Q^T Q - I|| = O(u)} times a modest function of the shape,
	 * and what we see is about {@code 10 u} at 1024 x 1024 (5.6e-7; PyTorch's float32
	 * {@code orthogonal_} there: see docs/PERFORMANCE.md). Q's entries are floats, their
	 * products summed here in double, so the test's own rounding is far below the bound.
	 * A QR in float with its reflectors' scalars (tau, beta) rounded wrongly, or a double
	 * QR of float-rounded draws, would stay below it; the test after this one ties the
	 * float path to the double one.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("shapes")
	void singlePrecisionIsOrthogonalToFloatRounding(int[] shape) {
		int rows = shape[0];
		int cols = cols(shape);
		double[] q = orthogonal(HouseholderQr.on(POOL, 2), rows, cols, "q", true);
		for (double v : q) {
			assertThat((double) (float) v).isEqualTo(v);
		}
		assertThat(orthogonalityError(q, rows, cols)).isLessThan(64 * FLOAT_EPS);
	}

	/**
	 * The float path computes the same Q as the double path (unique given sign(R_jj) > 0)
	 * up to float rounding amplified by the draws' condition number:
	 * {@code |Q_f - Q_d| <~ kappa(A) u}. Gaussian matrices up to 300 x 300 here have
	 * {@code kappa} in the hundreds to low thousands for these seeds (square ones the
	 * worst), so {@code 1e-3} leaves room while a wrong reflector or update (the negative
	 * control below) is off by O(1).
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("shapes")
	void singlePrecisionEqualsTheDoubleQrToFloatRounding(int[] shape) {
		int rows = shape[0];
		int cols = cols(shape);
		double[] single = orthogonal(HouseholderQr.on(POOL, 2), rows, cols, "q", true);
		double[] reference = unblockedReference(rows, cols, "q");
		assertThat(maxDifference(single, reference)).isLessThan(1e-3);
		double[] wide = orthogonal(HouseholderQr.on(POOL, 2).withWidePanelsFrom(1), rows, cols, "q", true);
		assertThat(maxDifference(wide, reference)).isLessThan(1e-3);
		assertThat(orthogonalityError(wide, rows, cols)).isLessThan(64 * FLOAT_EPS);
	}

	@Test
	void singlePrecisionBitsDoNotDependOnTheThreadCount() {
		for (int[] shape : new int[][] { { 513, 257 }, { 257, 513 } }) {
			for (int from : new int[] { HouseholderQr.WIDE_PANELS_FROM, 1 }) {
				double[] one = orthogonal(HouseholderQr.on(POOL, 1).withWidePanelsFrom(from), shape[0], shape[1],
						"bits", true);
				for (HouseholderQr qr : new HouseholderQr[] { HouseholderQr.on(POOL, 2), HouseholderQr.on(POOL, 4),
						HouseholderQr.shared() }) {
					double[] many = orthogonal(qr.withWidePanelsFrom(from), shape[0], shape[1], "bits", true);
					assertThat(digest(many)).isEqualTo(digest(one));
				}
			}
		}
	}

	@Test
	void singlePrecisionBitsArePinned() {
		// Our own output (generation version 3, where float32 tensors took this path),
		// pinned as bitsArePinned pins the double path's.
		double[] q = orthogonal(HouseholderQr.on(POOL, 2), 300, 70, "pinned", true);
		assertThat(digest(q)).isEqualTo("501c0ba0a02e3e3df367a2d2b92b04ff7020d6c3025a1cd660eac63e9ec9201c");
		double[] wide = orthogonal(HouseholderQr.on(POOL, 2).withWidePanelsFrom(1), 300, 70, "pinned", true);
		assertThat(digest(wide)).isEqualTo("13057baeafe801b7fa84f85293b8db19882ea33d4a7c150a82a42b2c5ecaf2d7");
	}

	/**
	 * The Vector API kernel (the build and the tests run with
	 * {@code --add-modules jdk.incubator.vector}; used where it pays, tested everywhere)
	 * gives the scalar loops' bits: shapes whose tiles are whole vector chunks, have a
	 * scalar tail, or are narrower than a chunk; panels of 32 and 64 (not multiples of
	 * the kernel's 4 rows and reflectors in the last panel), with 1 and 2 threads.
	 */
	@Test
	void singlePrecisionVectorKernelGivesTheScalarBits() {
		assertThat(HouseholderQr.VECTOR_MODULE).isTrue();
		for (int[] shape : new int[][] { { 513, 257 }, { 257, 513 }, { 300, 70 }, { 1000, 999 }, { 67, 5 } }) {
			for (int from : new int[] { HouseholderQr.WIDE_PANELS_FROM, 1 }) {
				for (int threads : new int[] { 1, 2 }) {
					HouseholderQr qr = HouseholderQr.on(POOL, threads).withWidePanelsFrom(from);
					double[] vector = orthogonal(qr.withVectorKernel(true), shape[0], shape[1], "kernel", true);
					double[] scalar = orthogonal(qr.withVectorKernel(false), shape[0], shape[1], "kernel", true);
					assertThat(digest(vector)).as("%d x %d", shape[0], shape[1]).isEqualTo(digest(scalar));
				}
			}
		}
	}

	@Test
	void negativeControlAFaultInTheSinglePrecisionBlockUpdateIsCaught() {
		HouseholderQr faulty = HouseholderQr.on(POOL, 2).withTransposeFault();
		double[] q = orthogonal(faulty, 100, 100, "q", true);
		// what singlePrecisionEqualsTheDoubleQrToFloatRounding asserts fails
		assertThat(maxDifference(q, unblockedReference(100, 100, "q"))).isGreaterThan(1e-3);
		double[] narrow = orthogonal(faulty, 100, 32, "q", true);
		assertThat(maxDifference(narrow, unblockedReference(100, 32, "q"))).isLessThan(1e-3);
	}

	@Test
	void rejectsAWideMatrix() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> HouseholderQr.on(POOL, 1).thinQ(new double[6], 2, 3));
	}

	private static int cols(int[] shape) {
		int cols = 1;
		for (int d = 1; d < shape.length; d++) {
			cols *= shape[d];
		}
		return cols;
	}

	private static double[] orthogonal(HouseholderQr qr, int rows, int cols, String name) {
		return orthogonal(qr, rows, cols, name, false);
	}

	private static double[] orthogonal(HouseholderQr qr, int rows, int cols, String name, boolean single) {
		double[] out = new double[rows * cols];
		Orthogonal.matrix(Sampling.stream(SEED, name), rows, cols, 1.0, out, qr, single);
		return out;
	}

	/**
	 * PyTorch's recipe with EJML's unblocked column Householder QR on the same draws.
	 */
	private static double[] unblockedReference(int rows, int cols, String name) {
		double[] draws = new double[rows * cols];
		Sampling.stream(SEED, name).fillGaussian(draws, 0, draws.length);
		boolean transpose = rows < cols;
		int m = transpose ? cols : rows;
		int k = transpose ? rows : cols;
		DMatrixRMaj a = new DMatrixRMaj(m, k);
		for (int i = 0; i < rows; i++) {
			for (int j = 0; j < cols; j++) {
				if (transpose) {
					a.set(j, i, draws[i * cols + j]);
				}
				else {
					a.set(i, j, draws[i * cols + j]);
				}
			}
		}
		QRDecompositionHouseholderColumn_DDRM qr = new QRDecompositionHouseholderColumn_DDRM();
		assertThat(qr.decompose(a)).isTrue();
		DMatrixRMaj q = qr.getQ(null, true);
		DMatrixRMaj r = qr.getR(null, true);
		double[] out = new double[rows * cols];
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < k; j++) {
				double v = q.get(i, j) * Math.signum(r.get(j, j));
				if (transpose) {
					out[j * cols + i] = v;
				}
				else {
					out[i * cols + j] = v;
				}
			}
		}
		return out;
	}

	/**
	 * {@code max |Q^T Q - I|} (orthonormal columns) when rows >= cols, else
	 * {@code max |Q Q^T - I|}.
	 */
	static double orthogonalityError(double[] q, int rows, int cols) {
		boolean byColumns = rows >= cols;
		int n = byColumns ? cols : rows;
		int len = byColumns ? rows : cols;
		double worst = 0;
		for (int i = 0; i < n; i++) {
			for (int j = 0; j <= i; j++) {
				double s = 0;
				for (int l = 0; l < len; l++) {
					s += byColumns ? q[l * cols + i] * q[l * cols + j] : q[i * cols + l] * q[j * cols + l];
				}
				worst = Math.max(worst, Math.abs(s - ((i == j) ? 1 : 0)));
			}
		}
		return worst;
	}

	private static double maxDifference(double[] x, double[] y) {
		double worst = 0;
		for (int i = 0; i < x.length; i++) {
			worst = Math.max(worst, Math.abs(x[i] - y[i]));
		}
		return worst;
	}

	/** SHA-256 of the values' IEEE bits, big-endian. */
	private static String digest(double[] values) {
		ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES);
		for (double v : values) {
			bytes.putDouble(v);
		}
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
