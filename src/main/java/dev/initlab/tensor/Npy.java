package dev.initlab.tensor;

import java.nio.charset.StandardCharsets;

/**
 * The NumPy {@code .npy} format, version 1.0: magic {@code \x93NUMPY}, version bytes 1 0,
 * a little-endian uint16 header length, then an ASCII Python dict literal ({@code descr},
 * {@code fortran_order}, {@code shape}) padded with spaces and a newline so the data
 * starts at a multiple of 64 bytes, then the C-order little-endian data. As
 * {@code numpy.lib.format.write_array_header_1_0} writes it.
 */
public final class Npy {

	private Npy() {
	}

	/** The {@code descr} of a dtype; NumPy has no bfloat16. */
	public static String descr(DType dtype) {
		return switch (dtype) {
			case FLOAT32 -> "<f4";
			case FLOAT64 -> "<f8";
			case FLOAT16 -> "<f2";
			case BFLOAT16 -> throw new IllegalArgumentException("NumPy has no bfloat16");
			case INT64 -> "<i8";
		};
	}

	/** Whether {@code .npy} can hold the dtype. */
	public static boolean supports(DType dtype) {
		return dtype != DType.BFLOAT16;
	}

	/** The header (magic through padding) of an array. */
	public static byte[] header(DType dtype, int[] shape) {
		StringBuilder dims = new StringBuilder("(");
		for (int i = 0; i < shape.length; i++) {
			dims.append(shape[i]);
			if (shape.length == 1 || i < shape.length - 1) {
				dims.append(shape.length == 1 ? "," : ", ");
			}
		}
		dims.append(')');
		String dict = "{'descr': '" + descr(dtype) + "', 'fortran_order': False, 'shape': " + dims + ", }";
		int unpadded = 10 + dict.length() + 1;
		int padding = (64 - unpadded % 64) % 64;
		String text = dict + " ".repeat(padding) + "\n";
		byte[] textBytes = text.getBytes(StandardCharsets.US_ASCII);
		byte[] out = new byte[10 + textBytes.length];
		out[0] = (byte) 0x93;
		byte[] magic = "NUMPY".getBytes(StandardCharsets.US_ASCII);
		System.arraycopy(magic, 0, out, 1, 5);
		out[6] = 1;
		out[7] = 0;
		out[8] = (byte) textBytes.length;
		out[9] = (byte) (textBytes.length >>> 8);
		System.arraycopy(textBytes, 0, out, 10, textBytes.length);
		return out;
	}

	/** Total bytes of an array file. */
	public static long fileSize(DType dtype, int[] shape, long numel) {
		return header(dtype, shape).length + numel * dtype.size();
	}

}
