package dev.initlab.tensor;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-pass encoders give the bytes of rounding with {@link DType#round} and encoding
 * the rounded values: on edge values (ties, overflow, subnormals, the smallest normal,
 * zeros, infinities, NaN) and on a million random doubles of every exponent the dtypes
 * reach.
 */
class ElementWriterTests {

	private static final double[] EDGES = { 0.0, -0.0, 1.0, -1.0, 65504.0, 65519.99, 65520.0, -65520.0, 65536.0,
			Math.scalb(1.0, -14), Math.nextDown(Math.scalb(1.0, -14)), Math.scalb(1.0, -24), Math.scalb(1.0, -25),
			Math.scalb(1.0, -126), Math.nextDown(Math.scalb(1.0, -126)), Math.scalb(1.0, -133),
			Math.scalb(2.0 - Math.scalb(1.0, -8), 127), Math.nextDown(Math.scalb(2.0 - Math.scalb(1.0, -8), 127)),
			Math.scalb(1.0, 128), 1.0 + Math.scalb(1.0, -11), 1.0 + 3 * Math.scalb(1.0, -11), 1.0 + Math.scalb(1.0, -8),
			1.0 + 3 * Math.scalb(1.0, -8), Math.nextUp(1.0 + Math.scalb(1.0, -11)), Double.MIN_VALUE, Double.MAX_VALUE,
			Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN };

	@ParameterizedTest
	@EnumSource(DType.class)
	void oneRoundingThenTheEncodingOfTheRoundedValue(DType dtype) {
		SplittableRandom random = new SplittableRandom(5);
		double[] values = new double[EDGES.length + 1_000_000];
		System.arraycopy(EDGES, 0, values, 0, EDGES.length);
		for (int i = EDGES.length; i < values.length; i++) {
			// exponents -140..140 and every fraction, both signs: ties included (low bits
			// 0)
			double v = Math.scalb(1.0 + random.nextDouble(), random.nextInt(-140, 141));
			v = (random.nextInt(4) == 0) ? Double.longBitsToDouble(Double.doubleToRawLongBits(v) & ~0xFFFFFFFFFL) : v;
			values[i] = random.nextBoolean() ? v : -v;
		}
		double[] rounded = new double[values.length];
		for (int i = 0; i < values.length; i++) {
			rounded[i] = dtype.round(values[i]);
		}
		byte[] expected = new byte[values.length * dtype.size()];
		byte[] actual = new byte[expected.length];
		assertThat(ElementWriter.encode(dtype, rounded, 0, values.length, expected)).isEqualTo(expected.length);
		assertThat(ElementWriter.roundAndEncode(dtype, values, 0, values.length, actual)).isEqualTo(actual.length);
		assertThat(actual).isEqualTo(expected);
		double shift = 0.125;
		double scale = -3.0;
		double[] mapped = new double[values.length];
		for (int i = 0; i < values.length; i++) {
			mapped[i] = dtype.round(shift + scale * values[i]);
		}
		ElementWriter.encode(dtype, mapped, 0, values.length, expected);
		ElementWriter.encodeAffine(dtype, shift, scale, values, 0, values.length, actual);
		assertThat(actual).isEqualTo(expected);
	}

}
