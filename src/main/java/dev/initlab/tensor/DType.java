package dev.initlab.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Element types. Values are generated in float64 and rounded once, to nearest even, to
 * the dtype ({@link #round}); everything downstream (stats, encoders) sees the rounded
 * values.
 */
public enum DType {

	FLOAT32("float32", 4) {
		@Override
		public double round(double v) {
			return (float) v;
		}
	},

	FLOAT64("float64", 8) {
		@Override
		public double round(double v) {
			return v;
		}
	},

	/** IEEE 754 binary16: 5 exponent bits, 10 fraction bits, max 65504. */
	FLOAT16("float16", 2) {
		@Override
		public double round(double v) {
			return roundToFormat(v, 10, -14, 65520.0);
		}
	},

	/** bfloat16: float32's 8 exponent bits, 7 fraction bits. */
	BFLOAT16("bfloat16", 2) {
		@Override
		public double round(double v) {
			return roundToFormat(v, 7, -126, Math.scalb(2.0 - Math.scalb(1.0, -8), 127));
		}
	},

	/**
	 * int64: not a request dtype, but the element type of integer buffers (torchvision's
	 * {@code num_batches_tracked}), which keep it whatever the request's dtype. Rounds to
	 * the nearest integer, ties to even.
	 */
	INT64("int64", 8) {
		@Override
		public double round(double v) {
			return Math.rint(v);
		}
	};

	private final String wireName;

	private final int size;

	DType(String wireName, int size) {
		this.wireName = wireName;
		this.size = size;
	}

	/**
	 * The value of the nearest representable number, ties to even (overflow to infinity).
	 */
	public abstract double round(double v);

	public String wireName() {
		return this.wireName;
	}

	/** Bytes per element. */
	public int size() {
		return this.size;
	}

	/** Whether it is a floating type, one a request may ask for. */
	public boolean isFloating() {
		return this != INT64;
	}

	/** The floating dtype a request names. */
	public static Optional<DType> byName(String name) {
		return Arrays.stream(values()).filter(d -> d.isFloating() && d.wireName.equals(name)).findFirst();
	}

	/** The dtypes a request may name (the floating ones). */
	public static List<String> names() {
		return Arrays.stream(values()).filter(DType::isFloating).map(DType::wireName).toList();
	}

	/**
	 * Rounds to a binary format with {@code fractionBits} fraction bits, minimum normal
	 * exponent {@code minExponent}, overflowing to infinity from {@code overflowAt} (the
	 * midpoint between the largest finite value and the next power of two). Scaling by
	 * powers of two is exact, and {@link Math#rint} rounds half to even, so the rounding
	 * is correct and done once.
	 */
	static double roundToFormat(double v, int fractionBits, int minExponent, double overflowAt) {
		if (v == 0 || !Double.isFinite(v)) {
			return v;
		}
		double a = Math.abs(v);
		if (a >= overflowAt) {
			return Math.copySign(Double.POSITIVE_INFINITY, v);
		}
		int quantum = Math.max(Math.getExponent(a), minExponent) - fractionBits;
		return Math.copySign(Math.scalb(Math.rint(Math.scalb(a, -quantum)), quantum), v);
	}

	/** The binary16 bit pattern of a value already rounded to float16. */
	public static short float16Bits(double rounded) {
		int sign = (Double.doubleToRawLongBits(rounded) < 0) ? 0x8000 : 0;
		double a = Math.abs(rounded);
		if (Double.isNaN(a)) {
			return (short) (sign | 0x7e00);
		}
		if (Double.isInfinite(a)) {
			return (short) (sign | 0x7c00);
		}
		if (a == 0) {
			return (short) sign;
		}
		int e = Math.getExponent(a);
		if (e < -14) {
			return (short) (sign | (int) Math.scalb(a, 24));
		}
		int fraction = (int) Math.scalb(a, 10 - e) - 1024;
		return (short) (sign | ((e + 15) << 10) | fraction);
	}

	/** The bfloat16 bit pattern of a value already rounded to bfloat16. */
	public static short bfloat16Bits(double rounded) {
		return (short) (Float.floatToRawIntBits((float) rounded) >>> 16);
	}

}
