package dev.initlab.training;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vectorised tanh and sigmoid against {@link StrictMath} (fdlibm, correctly rounded
 * to within 1 ulp). Deterministic: fixed seeds, no statistics.
 */
class KernelsTests {

	private static final int N = 1_000_000;

	/** Arguments: half uniform on [-25, 25], half log-uniform magnitudes 1e-20..1e2. */
	private static double[] arguments(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[] z = new double[N];
		for (int i = 0; i < N; i++) {
			double v = (i % 2 == 0) ? random.nextDouble(-25, 25) : Math.pow(10, random.nextDouble(-20, 2));
			z[i] = (random.nextBoolean()) ? v : -v;
		}
		return z;
	}

	/** The largest |got - want| / ulp(want) over the arguments. */
	private static double maxUlps(double[] z, double[] got, DoubleUnaryOperator want) {
		double worst = 0;
		for (int i = 0; i < z.length; i++) {
			double w = want.applyAsDouble(z[i]);
			worst = Math.max(worst, Math.abs(got[i] - w) / Math.ulp(w));
		}
		return worst;
	}

	private static double[] tanh(double[] z) {
		double[] out = new double[z.length];
		Kernels.tanh(z, out, new double[z.length], new double[z.length], z.length);
		return out;
	}

	private static double[] sigmoid(double[] z) {
		double[] out = new double[z.length];
		Kernels.sigmoid(z, out, new double[z.length], new double[z.length], z.length);
		return out;
	}

	/** Reference sigmoid in the same two branches, from StrictMath's exp. */
	private static double sigmoidReference(double z) {
		if (z >= 0) {
			return 1 / (1 + StrictMath.exp(-z));
		}
		double e = StrictMath.exp(z);
		return e / (1 + e);
	}

	@Test
	void tanhIsWithinThreeUlpOfStrictMath() {
		double[] z = arguments(1);
		assertThat(maxUlps(z, tanh(z), StrictMath::tanh)).isLessThanOrEqualTo(3.0);
	}

	@Test
	void theUlpCheckCatchesATanhOffBySixUlp() {
		// negative control: the same check rejects a tanh 6 ulp off
		double[] z = arguments(2);
		double[] off = tanh(z);
		for (int i = 0; i < off.length; i++) {
			off[i] += 6 * Math.ulp(off[i]);
		}
		assertThat(maxUlps(z, off, StrictMath::tanh)).isGreaterThan(3.0);
	}

	@Test
	void tanhSpecialValues() {
		double[] z = { 0.0, 1e-310, -1e-310, 19.1, 20, 1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
				Double.NaN };
		double[] t = tanh(z);
		assertThat(t[0] == 0).isTrue();
		assertThat(t[1]).isEqualTo(1e-310);
		assertThat(t[2]).isEqualTo(-1e-310);
		assertThat(t[3]).isEqualTo(1.0);
		assertThat(t[4]).isEqualTo(1.0);
		assertThat(t[5]).isEqualTo(1.0);
		assertThat(t[6]).isEqualTo(1.0);
		assertThat(t[7]).isEqualTo(-1.0);
		assertThat(t[8]).isNaN();
	}

	@Test
	void sigmoidIsWithinFourUlpOfTheStrictMathFormula() {
		// both sides round a few times: 4 ulp covers the reference's own error
		double[] z = arguments(3);
		assertThat(maxUlps(z, sigmoid(z), KernelsTests::sigmoidReference)).isLessThanOrEqualTo(4.0);
	}

	@Test
	void sigmoidSpecialValues() {
		double[] z = { 0.0, -0.0, 40, 800, -700, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN };
		double[] s = sigmoid(z);
		assertThat(s[0]).isEqualTo(0.5);
		assertThat(s[1]).isEqualTo(0.5);
		assertThat(s[2]).isEqualTo(1.0);
		assertThat(s[3]).isEqualTo(1.0);
		assertThat(s[4]).isCloseTo(sigmoidReference(-700), org.assertj.core.data.Percentage.withPercentage(1e-12));
		assertThat(s[5]).isEqualTo(1.0);
		// clamped at -708: e^-708 instead of 0
		assertThat(s[6]).isPositive().isLessThan(1e-307);
		assertThat(s[7]).isNaN();
	}

	@Test
	void anElementsValueDoesNotDependOnWhereItSits() {
		// the vectorised main loop and the scalar pre/post loops must agree bit for bit
		double[] z = arguments(4);
		double[] whole = tanh(z);
		double[] sigWhole = sigmoid(z);
		for (int length : new int[] { 1, 3, 7, 13, 64, 101 }) {
			for (int start = 0; start < 50; start += 7) {
				double[] part = java.util.Arrays.copyOfRange(z, start, start + length);
				double[] t = tanh(part);
				double[] s = sigmoid(part);
				for (int i = 0; i < length; i++) {
					assertThat(t[i]).isEqualTo(whole[start + i]);
					assertThat(s[i]).isEqualTo(sigWhole[start + i]);
				}
			}
		}
	}

}
