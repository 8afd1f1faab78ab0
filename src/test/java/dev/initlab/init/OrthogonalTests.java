package dev.initlab.init;

import java.util.stream.Stream;

import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code orthogonal}: a gain-scaled Haar (semi-)orthogonal matrix on the tensor viewed as
 * {@code shape[0] x numel/shape[0]}, as PyTorch's {@code orthogonal_}.
 */
class OrthogonalTests {

	private static final long SEED = 13_126_120L;

	/** Matrices drawn for the Haar tests, one seed each. */
	private static final int HAAR_DRAWS = 3000;

	private final KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();

	static Stream<Arguments> shapesAndGains() {
		double relu = Math.sqrt(2.0);
		return Stream.of(new int[] { 64, 32 }, new int[] { 32, 64 }, new int[] { 16, 8, 3, 3 })
			.flatMap((shape) -> Stream.of(Arguments.of(shape, new Object[0], 1.0),
					Arguments.of(shape, new Object[] { "gain", 0.5 }, 0.5),
					Arguments.of(shape, new Object[] { "nonlinearity", "relu" }, relu)));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("shapesAndGains")
	void isGainTimesASemiOrthogonalMatrix(int[] shape, Object[] params, double gain) {
		ParameterSpec spec = Sampling.weight("orthogonal", shape);
		Initializer init = InitSpec.of("orthogonal", params).resolve(spec);
		assertThat(((Number) init.resolved().get("gain")).doubleValue()).isCloseTo(gain, within(1e-15));
		double[] w = Sampling.fill(init, spec, SEED);
		int rows = shape[0];
		int cols = w.length / rows;
		// Q^T Q = gain^2 I when rows >= cols (orthonormal columns), Q Q^T otherwise.
		RealMatrix q = matrix(w, rows, cols);
		RealMatrix gram = (rows >= cols) ? q.transpose().multiply(q) : q.multiply(q.transpose());
		for (int i = 0; i < gram.getRowDimension(); i++) {
			for (int j = 0; j < gram.getColumnDimension(); j++) {
				assertThat(gram.getEntry(i, j)).as("[%d, %d]", i, j)
					.isCloseTo((i == j) ? gain * gain : 0.0, within(1e-10));
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("shapesAndGains")
	void equalsAnIndependentQrWithPositiveDiagonal(int[] shape, Object[] params, double gain) {
		// A = QR with diag(R) > 0 is unique, so any correct implementation gives the same
		// Q from the same normal draws: here Commons Math's Householder QR, with the sign
		// fix of Mezzadri (2007) applied in the test.
		ParameterSpec spec = Sampling.weight("orthogonal", shape);
		double[] w = Sampling.fill(InitSpec.of("orthogonal", params).resolve(spec), spec, SEED);
		int rows = shape[0];
		int cols = w.length / rows;
		double[] draws = new double[w.length];
		Sampling.stream(SEED, spec.name()).fillGaussian(draws, 0, draws.length);
		RealMatrix expected = signFixedQ(draws, rows, cols).scalarMultiply(gain);
		for (int i = 0; i < rows; i++) {
			for (int j = 0; j < cols; j++) {
				assertThat(w[i * cols + j]).isCloseTo(expected.getEntry(i, j), within(1e-12));
			}
		}
	}

	static Stream<int[]> haarShapes() {
		return Stream.of(new int[] { 3, 3 }, new int[] { 3, 2 }, new int[] { 2, 3 });
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("haarShapes")
	void firstEntryIsUniformAsForAHaarMatrix(int[] shape) {
		// The first column (rows >= cols) or row (rows < cols) of a Haar matrix is
		// uniform
		// on the sphere S^2, and a coordinate of a uniform point on S^2 is U(-1, 1)
		// (Archimedes' hat-box theorem): (q00 + 1) / 2 ~ U(0, 1) exactly.
		ParameterSpec spec = Sampling.weight("haar", shape);
		Initializer init = InitSpec.of("orthogonal").resolve(spec);
		double[] u = new double[HAAR_DRAWS];
		for (int seed = 0; seed < HAAR_DRAWS; seed++) {
			u[seed] = (Sampling.fill(init, spec, seed)[0] + 1) / 2;
		}
		// Fails a correct sampler with probability 1e-3 per shape under H0; the seeds are
		// fixed, so that is the chance that they are an unlucky set.
		assertThat(this.ks.kolmogorovSmirnovTest(new UniformRealDistribution(0, 1), u)).isGreaterThan(1e-3);
	}

	@Test
	void negativeControlPlainQrWithoutTheSignFixIsNotHaar() {
		// The same normal draws factored by Householder QR without the sign fix: the
		// reflection makes R00 = -sign(A00) |A[:, 0]|, so q00 = A00 / R00 is never
		// positive. The KS test above must see that.
		double[] u = new double[HAAR_DRAWS];
		for (int seed = 0; seed < HAAR_DRAWS; seed++) {
			double[] draws = new double[9];
			Sampling.stream(seed, "haar").fillGaussian(draws, 0, 9);
			double q00 = new QRDecomposition(matrix(draws, 3, 3)).getQ().getEntry(0, 0);
			u[seed] = (q00 + 1) / 2;
		}
		assertThat(this.ks.kolmogorovSmirnovTest(new UniformRealDistribution(0, 1), u)).isLessThan(1e-6);
	}

	@Test
	void expectedStdIsTheRootMeanSquareOfEveryOrthogonalTensor() {
		// Sum of squares of a gain-scaled semi-orthogonal matrix = gain^2 min(rows,
		// cols),
		// so its RMS is gain / sqrt(max(rows, cols)), for every draw.
		for (int[] shape : new int[][] { { 64, 32 }, { 32, 64 }, { 16, 8, 3, 3 } }) {
			ParameterSpec spec = Sampling.weight("rms", shape);
			Initializer init = InitSpec.of("orthogonal", "gain", 3.0).resolve(spec);
			double[] w = Sampling.fill(init, spec, SEED);
			double sumOfSquares = 0;
			for (double v : w) {
				sumOfSquares += v * v;
			}
			int rows = shape[0];
			int cols = w.length / rows;
			double expected = 3.0 / Math.sqrt(Math.max(rows, cols));
			assertThat(init.expectedMean()).isZero();
			assertThat(init.expectedStd()).isCloseTo(expected, within(1e-15));
			assertThat(Math.sqrt(sumOfSquares / w.length)).isCloseTo(expected, within(1e-12));
		}
	}

	@Test
	void rejectsAOneDimensionalTensorNamingIt() {
		ParameterSpec bias = ParameterSpec.of("encoder.fc1.bias", new int[] { 10 }, Role.BIAS, null, null, 1, "linear");
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("orthogonal").resolve(bias))
			.withMessageContaining("encoder.fc1.bias")
			.satisfies((e) -> assertThat(e.field()).isEqualTo("scheme"));
	}

	/** Row-major {@code rows x cols} values as a matrix. */
	static RealMatrix matrix(double[] values, int rows, int cols) {
		RealMatrix m = new Array2DRowRealMatrix(rows, cols);
		for (int i = 0; i < rows; i++) {
			for (int j = 0; j < cols; j++) {
				m.setEntry(i, j, values[i * cols + j]);
			}
		}
		return m;
	}

	/**
	 * PyTorch's recipe on row-major draws: transpose when rows < cols, thin Q of A = QR
	 * times diag(sign(diag R)), transpose back.
	 */
	static RealMatrix signFixedQ(double[] draws, int rows, int cols) {
		RealMatrix a = matrix(draws, rows, cols);
		boolean transpose = rows < cols;
		if (transpose) {
			a = a.transpose();
		}
		QRDecomposition qr = new QRDecomposition(a);
		int k = a.getColumnDimension();
		RealMatrix q = qr.getQ().getSubMatrix(0, a.getRowDimension() - 1, 0, k - 1);
		RealMatrix r = qr.getR();
		for (int j = 0; j < k; j++) {
			q.setColumnVector(j, q.getColumnVector(j).mapMultiply(Math.signum(r.getEntry(j, j))));
		}
		return transpose ? q.transpose() : q;
	}

}
