package dev.initlab.init;

/**
 * fan_in and fan_out of a tensor.
 * <p>
 * Same as PyTorch's {@code torch.nn.init._calculate_fan_in_and_fan_out}: for a tensor of
 * two or more dimensions, {@code receptive = prod(shape[2:])},
 * {@code fan_in = shape[1] * receptive}, {@code fan_out = shape[0] * receptive}; fewer
 * than two dimensions have no fans.
 *
 * @param fanIn the fan-in
 * @param fanOut the fan-out
 */
public record Fans(long fanIn, long fanOut) {

	/** PyTorch's rule on a PyTorch-layout shape, or {@code null} below two dimensions. */
	public static Fans of(int[] shape) {
		if (shape.length < 2) {
			return null;
		}
		long receptive = 1;
		for (int i = 2; i < shape.length; i++) {
			receptive *= shape[i];
		}
		return new Fans(shape[1] * receptive, shape[0] * receptive);
	}

	/** {@code (fan_in + fan_out) / 2}, Keras's {@code fan_avg}. */
	public double average() {
		return (this.fanIn + this.fanOut) / 2.0;
	}

}
