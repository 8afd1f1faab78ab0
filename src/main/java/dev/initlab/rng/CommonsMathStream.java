package dev.initlab.rng;

import org.apache.commons.math3.random.RandomGenerator;

/** A Commons Math 3 generator; normals from its own {@code nextGaussian}. */
final class CommonsMathStream implements RandomStream {

	private final RandomGenerator generator;

	CommonsMathStream(RandomGenerator generator) {
		this.generator = generator;
	}

	@Override
	public double nextDouble() {
		return this.generator.nextDouble();
	}

	@Override
	public double nextGaussian() {
		return this.generator.nextGaussian();
	}

	@Override
	public int nextInt(int n) {
		return this.generator.nextInt(n);
	}

}
