package dev.initlab.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Encodes values as little-endian elements of a dtype.
 * <p>
 * Elements are stored through little-endian array views ({@link VarHandle}s), one store
 * per element: a byte at a time, JDK 17's compiler does not merge the four or eight
 * stores and encoding costs as much as drawing.
 */
public final class ElementWriter {

	private static final VarHandle FLOATS = MethodHandles.byteArrayViewVarHandle(float[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final VarHandle DOUBLES = MethodHandles.byteArrayViewVarHandle(double[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class,
			ByteOrder.LITTLE_ENDIAN);

	/**
	 * Whether the JVM was started with {@code --add-modules jdk.incubator.vector}: then
	 * the float32 case of {@link #encodeAffine} takes {@link AffineFloatEncoder} (the
	 * same bits); otherwise that class is never loaded.
	 */
	static final boolean VECTOR_MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

	private ElementWriter() {
	}

	static void setFloat(byte[] out, int index, float value) {
		FLOATS.set(out, index, value);
	}

	/**
	 * Encodes {@code values[off, off + len)}, each already rounded to the dtype, into
	 * {@code out} from index 0.
	 * @return the number of bytes written
	 */
	public static int encode(DType dtype, double[] values, int off, int len, byte[] out) {
		switch (dtype) {
			case FLOAT16, BFLOAT16 -> {
				boolean half = dtype == DType.FLOAT16;
				for (int i = 0; i < len; i++) {
					double v = values[off + i];
					SHORTS.set(out, i << 1, half ? DType.float16Bits(v) : DType.bfloat16Bits(v));
				}
				return len << 1;
			}
			default -> {
				// float32 and float64 encode by a cast, which rounds: the same code path
				return roundAndEncode(dtype, values, off, len, out);
			}
		}
	}

	/**
	 * Rounds {@code values[off, off + len)} to the dtype ({@link DType#round}) and
	 * encodes them into {@code out} from index 0, in one pass: the bytes of
	 * {@link DType#round} followed by {@link #encode}. {@code values} is not changed.
	 * @return the number of bytes written
	 */
	public static int roundAndEncode(DType dtype, double[] values, int off, int len, byte[] out) {
		switch (dtype) {
			case FLOAT32 -> {
				for (int i = 0; i < len; i++) {
					FLOATS.set(out, i << 2, (float) values[off + i]);
				}
			}
			case FLOAT64 -> {
				for (int i = 0; i < len; i++) {
					DOUBLES.set(out, i << 3, values[off + i]);
				}
			}
			case INT64 -> {
				for (int i = 0; i < len; i++) {
					LONGS.set(out, i << 3, (long) Math.rint(values[off + i]));
				}
			}
			case FLOAT16 -> {
				for (int i = 0; i < len; i++) {
					SHORTS.set(out, i << 1, float16(values[off + i]));
				}
			}
			case BFLOAT16 -> {
				for (int i = 0; i < len; i++) {
					SHORTS.set(out, i << 1, bfloat16(values[off + i]));
				}
			}
		}
		return len * dtype.size();
	}

	/**
	 * Encodes {@code shift + scale * x} for each {@code x} of {@code values[off, off +
	 * len)}, computed in double and rounded once to the dtype, into {@code out} from
	 * index 0: the bytes of writing the affine map into {@code values}, then
	 * {@link #roundAndEncode}, in one pass. {@code values} is not changed.
	 * @return the number of bytes written
	 */
	public static int encodeAffine(DType dtype, double shift, double scale, double[] values, int off, int len,
			byte[] out) {
		switch (dtype) {
			case FLOAT32 -> {
				if (VECTOR_MODULE) {
					AffineFloatEncoder.encode(shift, scale, values, off, len, out);
				}
				else {
					encodeAffineFloat32(shift, scale, values, off, len, out);
				}
			}
			case FLOAT64 -> {
				for (int i = 0; i < len; i++) {
					DOUBLES.set(out, i << 3, shift + scale * values[off + i]);
				}
			}
			case INT64 -> {
				for (int i = 0; i < len; i++) {
					LONGS.set(out, i << 3, (long) Math.rint(shift + scale * values[off + i]));
				}
			}
			case FLOAT16 -> {
				for (int i = 0; i < len; i++) {
					SHORTS.set(out, i << 1, float16(shift + scale * values[off + i]));
				}
			}
			case BFLOAT16 -> {
				for (int i = 0; i < len; i++) {
					SHORTS.set(out, i << 1, bfloat16(shift + scale * values[off + i]));
				}
			}
		}
		return len * dtype.size();
	}

	/** The scalar float32 case of {@link #encodeAffine}. */
	static void encodeAffineFloat32(double shift, double scale, double[] values, int off, int len, byte[] out) {
		for (int i = 0; i < len; i++) {
			FLOATS.set(out, i << 2, (float) (shift + scale * values[off + i]));
		}
	}

	/**
	 * The float16 bits of {@code v} rounded to float16:
	 * {@code float16Bits(FLOAT16.round(v))}, with integer arithmetic where the result is
	 * a normal float16. Rounding the 52-bit fraction to 10 bits, ties to even, by adding
	 * {@code 2^41 - 1} plus the lowest kept bit: a carry out of the fraction raises the
	 * exponent, as it should.
	 */
	static short float16(double v) {
		long bits = Double.doubleToRawLongBits(v);
		long magnitude = bits & Long.MAX_VALUE;
		int exponent = (int) (magnitude >>> 52) - 1023;
		if (exponent >= -14 && exponent <= 15) {
			long r = magnitude + ((1L << 41) - 1) + ((magnitude >>> 42) & 1);
			int e = (int) (r >>> 52) - 1023;
			int sign = (int) (bits >>> 48) & 0x8000;
			if (e > 15) {
				return (short) (sign | 0x7c00);
			}
			return (short) (sign | ((e + 15) << 10) | (int) ((r >>> 42) & 0x3ff));
		}
		return DType.float16Bits(DType.FLOAT16.round(v));
	}

	/**
	 * The bfloat16 bits of {@code v} rounded to bfloat16:
	 * {@code bfloat16Bits(BFLOAT16.round(v))}, with integer arithmetic where the result
	 * is a normal bfloat16 (as {@link #float16}, keeping 7 fraction bits).
	 */
	static short bfloat16(double v) {
		long bits = Double.doubleToRawLongBits(v);
		long magnitude = bits & Long.MAX_VALUE;
		int exponent = (int) (magnitude >>> 52) - 1023;
		if (exponent >= -126 && exponent <= 127) {
			long r = magnitude + ((1L << 44) - 1) + ((magnitude >>> 45) & 1);
			int e = (int) (r >>> 52) - 1023;
			int sign = (int) (bits >>> 48) & 0x8000;
			if (e > 127) {
				return (short) (sign | 0x7f80);
			}
			return (short) (sign | ((e + 127) << 7) | (int) ((r >>> 45) & 0x7f));
		}
		return DType.bfloat16Bits(DType.BFLOAT16.round(v));
	}

}
