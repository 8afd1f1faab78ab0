package dev.initlab.tensor;

/**
 * Encodes rounded values as little-endian elements of a dtype.
 */
public final class ElementWriter {

	private ElementWriter() {
	}

	/**
	 * Encodes {@code values[off, off + len)}, each already rounded to the dtype, into
	 * {@code out} from index 0.
	 * @return the number of bytes written
	 */
	public static int encode(DType dtype, double[] values, int off, int len, byte[] out) {
		byte[] b = out;
		int p = 0;
		switch (dtype) {
			case FLOAT32 -> {
				for (int i = off, end = off + len; i < end; i++) {
					int bits = Float.floatToRawIntBits((float) values[i]);
					b[p] = (byte) bits;
					b[p + 1] = (byte) (bits >>> 8);
					b[p + 2] = (byte) (bits >>> 16);
					b[p + 3] = (byte) (bits >>> 24);
					p += 4;
				}
			}
			case FLOAT64 -> {
				for (int i = off, end = off + len; i < end; i++) {
					long bits = Double.doubleToRawLongBits(values[i]);
					for (int k = 0; k < 8; k++) {
						b[p + k] = (byte) (bits >>> (8 * k));
					}
					p += 8;
				}
			}
			case INT64 -> {
				for (int i = off, end = off + len; i < end; i++) {
					long bits = (long) values[i];
					for (int k = 0; k < 8; k++) {
						b[p + k] = (byte) (bits >>> (8 * k));
					}
					p += 8;
				}
			}
			case FLOAT16, BFLOAT16 -> {
				boolean half = dtype == DType.FLOAT16;
				for (int i = off, end = off + len; i < end; i++) {
					short bits = half ? DType.float16Bits(values[i]) : DType.bfloat16Bits(values[i]);
					b[p] = (byte) bits;
					b[p + 1] = (byte) (bits >>> 8);
					p += 2;
				}
			}
		}
		return p;
	}

}
