package dev.initlab.init;

import java.util.Arrays;

import dev.initlab.rng.RandomStream;

/** Every element equal to {@code value}; draws nothing from the stream. */
record Constant(double value) implements Fill.Elementwise {

	@Override
	public void sample(RandomStream stream, double[] out, int off, int len) {
		Arrays.fill(out, off, off + len, this.value);
	}

}
