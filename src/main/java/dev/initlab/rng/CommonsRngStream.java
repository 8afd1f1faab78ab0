package dev.initlab.rng;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/** A Commons RNG generator; normals from Commons RNG's ziggurat sampler. */
final class CommonsRngStream implements RandomStream {

	private final UniformRandomProvider provider;

	private final ZigguratSampler.NormalizedGaussian gaussian;

	CommonsRngStream(UniformRandomProvider provider) {
		this.provider = provider;
		this.gaussian = ZigguratSampler.NormalizedGaussian.of(provider);
	}

	@Override
	public double nextDouble() {
		return this.provider.nextDouble();
	}

	@Override
	public double nextGaussian() {
		return this.gaussian.sample();
	}

	@Override
	public int nextInt(int n) {
		return this.provider.nextInt(n);
	}

	@Override
	public void fillGaussian(double[] out, int off, int len) {
		ZigguratSampler.NormalizedGaussian g = this.gaussian;
		for (int i = off, end = off + len; i < end; i++) {
			out[i] = g.sample();
		}
	}

	@Override
	public void fillUniform(double[] out, int off, int len) {
		UniformRandomProvider p = this.provider;
		for (int i = off, end = off + len; i < end; i++) {
			out[i] = p.nextDouble();
		}
	}

}
