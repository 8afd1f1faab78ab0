package dev.initlab.tensor;

import java.nio.ByteOrder;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 case of {@link ElementWriter#encodeAffine} with the Vector API
 * ({@code jdk.incubator.vector}): C2 on JDK 17 does not vectorize the scalar loop (byte
 * array view stores of a double-to-float cast). Each lane computes exactly the scalar
 * expression {@code (float) (shift + scale * x)}: a rounded multiply, then a rounded add
 * (never a fused multiply-add, as Java does not fuse), then the round-to-nearest cast;
 * the bits do not depend on the vector width. Loaded only when the JVM has the module
 * ({@link ElementWriter#VECTOR_MODULE}).
 */
final class AffineFloatEncoder {

	private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

	/** Floats of the same count as {@link #D}'s doubles, in half the bits. */
	private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
			VectorShape.forBitSize(D.vectorBitSize() / 2));

	private AffineFloatEncoder() {
	}

	/**
	 * Encodes {@code (float) (shift + scale * values[off + i])} little-endian at
	 * {@code out[4 i]} for {@code i} in {@code [0, len)}.
	 */
	static void encode(double shift, double scale, double[] values, int off, int len, byte[] out) {
		int i = 0;
		int bound = D.loopBound(len);
		for (; i < bound; i += D.length()) {
			DoubleVector v = DoubleVector.fromArray(D, values, off + i);
			FloatVector f = (FloatVector) v.mul(scale).add(shift).convertShape(VectorOperators.D2F, F, 0);
			f.intoByteArray(out, i << 2, ByteOrder.LITTLE_ENDIAN);
		}
		for (; i < len; i++) {
			ElementWriter.setFloat(out, i << 2, (float) (shift + scale * values[off + i]));
		}
	}

}
