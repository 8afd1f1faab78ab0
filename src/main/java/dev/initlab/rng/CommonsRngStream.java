package dev.initlab.rng;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.core.source64.L64X128Mix;
import org.apache.commons.rng.core.source64.SplitMix64;
import org.apache.commons.rng.core.source64.XoShiRo256PlusPlus;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/** A Commons RNG generator; normals from Commons RNG's ziggurat sampler. */
final class CommonsRngStream implements RandomStream {

	private final UniformRandomProvider provider;

	private final ZigguratSampler.NormalizedGaussian gaussian;

	private final ModifiedZiggurat.Lookahead ziggurat;

	CommonsRngStream(UniformRandomProvider provider) {
		this(provider, 1.0);
	}

	/**
	 * With the tail's exponentials of mean {@code tailMean} in bulk normals: 1, anything
	 * else is a deliberate fault, for a test to catch.
	 */
	CommonsRngStream(UniformRandomProvider provider, double tailMean) {
		this.provider = provider;
		this.gaussian = ZigguratSampler.NormalizedGaussian.of(provider);
		this.ziggurat = new ModifiedZiggurat.Lookahead(provider, tailMean);
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

	/**
	 * The sampler's normals, with one loop per generator class (as {@link #fillUniform})
	 * that takes the ziggurat's fast path itself (98.8% of draws: one {@code nextLong()},
	 * a table lookup, a multiply), four draws at a time (a loop with a call in it is not
	 * unrolled), and hands the rest to {@link ModifiedZiggurat#edge}: the same values as
	 * {@code sample()}, bit for bit, and the generator left in the same state.
	 */
	@Override
	public void fillGaussian(double[] out, int off, int len) {
		UniformRandomProvider p = this.provider;
		ModifiedZiggurat.Lookahead z = this.ziggurat;
		int end = off + len;
		if (p.getClass() == XoShiRo256PlusPlus.class) {
			XoShiRo256PlusPlus g = (XoShiRo256PlusPlus) p;
			int i = off;
			while (i <= end - 4) {
				i = z.four(g.nextLong(), g.nextLong(), g.nextLong(), g.nextLong(), out, i);
			}
			while (i < end) {
				out[i++] = z.one(g.nextLong());
			}
		}
		else if (p.getClass() == L64X128Mix.class) {
			L64X128Mix g = (L64X128Mix) p;
			int i = off;
			while (i <= end - 4) {
				i = z.four(g.nextLong(), g.nextLong(), g.nextLong(), g.nextLong(), out, i);
			}
			while (i < end) {
				out[i++] = z.one(g.nextLong());
			}
		}
		else if (p.getClass() == SplitMix64.class) {
			SplitMix64 g = (SplitMix64) p;
			int i = off;
			while (i <= end - 4) {
				i = z.four(g.nextLong(), g.nextLong(), g.nextLong(), g.nextLong(), out, i);
			}
			while (i < end) {
				out[i++] = z.one(g.nextLong());
			}
		}
		else {
			ZigguratSampler.NormalizedGaussian s = this.gaussian;
			for (int i = off; i < end; i++) {
				out[i] = s.sample();
			}
		}
	}

	/**
	 * The provider's {@code nextDouble()}s, with one loop per generator class: the call
	 * to {@code nextLong()} is then bound statically and inlined, where a loop over the
	 * interface turns megamorphic (a call per element) once a server has used three
	 * generators.
	 */
	@Override
	public void fillUniform(double[] out, int off, int len) {
		UniformRandomProvider p = this.provider;
		int end = off + len;
		if (p.getClass() == XoShiRo256PlusPlus.class) {
			XoShiRo256PlusPlus g = (XoShiRo256PlusPlus) p;
			for (int i = off; i < end; i++) {
				out[i] = unit(g.nextLong());
			}
		}
		else if (p.getClass() == L64X128Mix.class) {
			L64X128Mix g = (L64X128Mix) p;
			for (int i = off; i < end; i++) {
				out[i] = unit(g.nextLong());
			}
		}
		else if (p.getClass() == SplitMix64.class) {
			SplitMix64 g = (SplitMix64) p;
			for (int i = off; i < end; i++) {
				out[i] = unit(g.nextLong());
			}
		}
		else {
			for (int i = off; i < end; i++) {
				out[i] = p.nextDouble();
			}
		}
	}

	/**
	 * {@code (bits >>> 11) * 0x1.0p-53}, Commons RNG's {@code nextDouble()} of a
	 * {@code nextLong()} (the default method of {@code UniformRandomProvider}, which none
	 * of the three generators overrides), without converting a long to a double: on JDK
	 * 17 that conversion ({@code cvtsi2sd}) depends on its destination register's old
	 * value and serialises the loop. The top 52 of the 53 bits become the fraction of a
	 * double in [1, 2), minus 1 (exact, by Sterbenz's lemma); the 53rd bit adds
	 * {@code 2^-53} or 0 (exact: the sum is a multiple of {@code 2^-53} below 1).
	 */
	static double unit(long bits) {
		double high = Double.longBitsToDouble(0x3FF0000000000000L | (bits >>> 12)) - 1.0;
		return high + Double.longBitsToDouble(-((bits >>> 11) & 1L) & 0x3CA0000000000000L);
	}

}
