package dev.initlab.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Vector API float32 affine encoder gives the bytes of the scalar loop: for shifts
 * and scales of every kind (zero, negative, huge, tiny, subnormal, infinite, NaN), values
 * with zeros of both signs, NaN, infinities, subnormals and values that round to float
 * overflow or underflow, at every length 0..67 and a large one, from several offsets. A
 * fused multiply-add in the vector path changes the bytes of these cases.
 */
class AffineFloatEncoderTests {

	private static final double[] SPECIAL = { 0.0, -0.0, 1.0, -1.0, 0.5, 3.0, -7.25, 1e-30, -1e-300, 1e300, -1e200,
			Double.MIN_VALUE, -Double.MIN_NORMAL, Double.MAX_VALUE, Float.MAX_VALUE,
			Math.nextUp((double) Float.MAX_VALUE), Math.scalb(1.0, 128), Float.MIN_VALUE, Float.MIN_VALUE / 2,
			Math.nextUp(Float.MIN_VALUE / 2.0), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
			1.0 / 3.0, 0.1 };

	@Test
	void theBytesOfTheScalarLoop() {
		SplittableRandom random = new SplittableRandom(17);
		double[] values = new double[100_003];
		for (int i = 0; i < values.length; i++) {
			values[i] = (random.nextInt(8) == 0) ? SPECIAL[random.nextInt(SPECIAL.length)] : randomDouble(random);
		}
		int cases = 0;
		for (double shift : SPECIAL) {
			for (double scale : SPECIAL) {
				for (int len = 0; len <= 67; len++) {
					assertSameBytes(shift, scale, values, random.nextInt(8), len);
				}
				assertSameBytes(shift, scale, values, 3, 100_000);
				cases++;
			}
		}
		for (int k = 0; k < 2_000; k++) {
			assertSameBytes(randomDouble(random), randomDouble(random), values, random.nextInt(100),
					1 + random.nextInt(600));
			cases++;
		}
		assertThat(cases).isEqualTo(SPECIAL.length * SPECIAL.length + 2_000);
	}

	/**
	 * Both signs, exponents -1100..1100 (zeros, subnormals, overflows), every fraction.
	 */
	private static double randomDouble(SplittableRandom random) {
		double v = Math.scalb(1.0 + random.nextDouble(), random.nextInt(-1100, 1101));
		if (random.nextInt(4) == 0) {
			// around the float range's ends and 1, where float rounding ties are common
			v = Math.scalb(1.0 + random.nextDouble(), new int[] { -150, -126, 0, 127, 128 }[random.nextInt(5)]);
		}
		return random.nextBoolean() ? v : -v;
	}

	private static void assertSameBytes(double shift, double scale, double[] values, int off, int len) {
		byte[] expected = new byte[4 * len + 8];
		byte[] actual = new byte[4 * len + 8];
		Arrays.fill(expected, (byte) 0x5a);
		Arrays.fill(actual, (byte) 0x5a);
		ElementWriter.encodeAffineFloat32(shift, scale, values, off, len, expected);
		AffineFloatEncoder.encode(shift, scale, values, off, len, actual);
		assertThat(actual).as("shift %s scale %s off %d len %d", shift, scale, off, len).isEqualTo(expected);
	}

}
