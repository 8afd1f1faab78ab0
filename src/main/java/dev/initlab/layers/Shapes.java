package dev.initlab.layers;

import java.util.List;

import dev.initlab.init.Gain;

/** Checks and shape arithmetic shared by the layer records. */
final class Shapes {

	private Shapes() {
	}

	/** Element count; overflow is reported as a layer error. */
	static long numel(int[] shape, String field) {
		long n = 1;
		try {
			for (int d : shape) {
				n = Math.multiplyExact(n, d);
			}
		}
		catch (ArithmeticException ex) {
			throw new InvalidLayerException(field, "the tensor would have more than 2^63 elements");
		}
		return n;
	}

	/**
	 * A dimension computed from request fields, which must fit a tensor dimension (an
	 * int).
	 */
	static int dimension(long size, String field) {
		if (size > Integer.MAX_VALUE) {
			throw new InvalidLayerException(field,
					"a dimension of the tensor would be " + size + ", more than 2^31 - 1 elements");
		}
		return (int) size;
	}

	/**
	 * {@code kernel_size} as one size per spatial dimension (a single value is repeated).
	 */
	static int[] kernel(List<Integer> kernelSize, int dims) {
		if (kernelSize == null || kernelSize.isEmpty()) {
			throw new InvalidLayerException("kernel_size", "kernel_size is required: an int or a list of " + dims);
		}
		if (kernelSize.size() != 1 && kernelSize.size() != dims) {
			throw new InvalidLayerException("kernel_size", "kernel_size needs 1 or " + dims + " values for a " + dims
					+ "-d convolution, got " + kernelSize.size());
		}
		int[] k = new int[dims];
		for (int i = 0; i < dims; i++) {
			Integer v = kernelSize.get(kernelSize.size() == 1 ? 0 : i);
			if (v == null || v < 1) {
				throw new InvalidLayerException("kernel_size", "kernel sizes must be >= 1, got " + kernelSize);
			}
			k[i] = v;
		}
		return k;
	}

	static void checkActivation(String activation) {
		if (activation != null && !Gain.isKnown(activation)) {
			throw new InvalidLayerException("activation",
					"unknown activation '" + activation + "'; allowed: " + String.join(", ", Gain.SUPPORTED));
		}
	}

	static int[] concat(int[] head, int[] tail) {
		int[] out = new int[head.length + tail.length];
		System.arraycopy(head, 0, out, 0, head.length);
		System.arraycopy(tail, 0, out, head.length, tail.length);
		return out;
	}

	/**
	 * Keras's kernel layout of a PyTorch weight {@code [a, b, *k]}: {@code [*k, b, a]}.
	 */
	static int[] kerasKernel(int[] pytorchShape) {
		int n = pytorchShape.length;
		int[] out = new int[n];
		System.arraycopy(pytorchShape, 2, out, 0, n - 2);
		out[n - 2] = pytorchShape[1];
		out[n - 1] = pytorchShape[0];
		return out;
	}

}
