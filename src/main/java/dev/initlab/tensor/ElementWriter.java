package dev.initlab.tensor;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes rounded values as little-endian elements of a dtype, through one reusable byte
 * buffer.
 */
public final class ElementWriter {

	private final DType dtype;

	private final byte[] bytes;

	private final int capacity;

	/**
	 * @param dtype the element type
	 * @param capacity the most elements written per call
	 */
	public ElementWriter(DType dtype, int capacity) {
		this.dtype = dtype;
		this.capacity = capacity;
		this.bytes = new byte[capacity * dtype.size()];
	}

	/** Writes {@code values[off, off + len)}, each already rounded to the dtype. */
	public void write(double[] values, int off, int len, OutputStream out) throws IOException {
		if (len > this.capacity) {
			throw new IllegalArgumentException("at most " + this.capacity + " elements per call");
		}
		byte[] b = this.bytes;
		int p = 0;
		switch (this.dtype) {
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
			case FLOAT16, BFLOAT16 -> {
				boolean half = this.dtype == DType.FLOAT16;
				for (int i = off, end = off + len; i < end; i++) {
					short bits = half ? DType.float16Bits(values[i]) : DType.bfloat16Bits(values[i]);
					b[p] = (byte) bits;
					b[p + 1] = (byte) (bits >>> 8);
					p += 2;
				}
			}
		}
		out.write(b, 0, p);
	}

}
