package dev.initlab.rng;

import java.util.SplittableRandom;
import java.util.function.Function;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.core.source64.L64X128Mix;
import org.apache.commons.rng.core.source64.SplitMix64;
import org.apache.commons.rng.core.source64.XoShiRo256PlusPlus;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulk normals of Commons RNG streams (the ziggurat's fast path in a loop per
 * generator class, {@link ModifiedZiggurat#edge} for the rest) are the library sampler's
 * {@code sample()}s over an identically seeded provider, bit for bit, through every
 * region of the ziggurat's edge (counted, so the test shows it reached them), and the
 * generator ends in the same state.
 */
class CommonsRngStreamNormalTests {

	/** 160 blocks of 2^16: 1.05·10^7 values per generator, ~2900 of them tail samples. */
	private static final int BLOCKS = 160;

	private static final int BLOCK = 1 << 16;

	@ParameterizedTest
	@ValueSource(strings = { "xoshiro256pp", "l64x128mix", "splitmix64" })
	void bulkNormalsAreTheSamplersBitForBit(String name) {
		Function<long[], UniformRandomProvider> generator = provider(name);
		long[] seed = new SplittableRandom(name.hashCode()).longs(4).toArray();
		CommonsRngStream stream = new CommonsRngStream(generator.apply(seed));
		Regions regions = compare(stream, generator.apply(seed));
		assertThat(regions.mismatches).as("values that differ").isZero();
		// the regions of the edge, by expected count per 1.05e7 draws: convex overhangs
		// ~94000, concave ~26000, tail ~2900, inflection ~170 (Poisson: zero has odds
		// below e^-170)
		assertThat(regions.tail).as("tail samples").isPositive();
		assertThat(regions.concave).as("concave overhang samples").isPositive();
		assertThat(regions.inflection).as("inflection overhang samples").isPositive();
		assertThat(regions.convex).as("convex overhang samples").isPositive();
		assertThat(stream.nextDouble()).as("the stream goes on where the sampler's provider does")
			.isEqualTo(regions.reference.nextDouble());
	}

	/**
	 * Negative control: a fault in the tail path (exponentials of mean 1 + 2^-52 instead
	 * of 1, which moves tail samples by an ulp or so) makes values differ, and only tail
	 * values.
	 */
	@Test
	void aFaultInTheTailIsCaught() {
		long[] seed = new SplittableRandom(7).longs(4).toArray();
		XoShiRo256PlusPlus faulty = new XoShiRo256PlusPlus(seed);
		CommonsRngStream stream = new CommonsRngStream(faulty, Math.nextUp(1.0));
		Regions regions = compare(stream, new XoShiRo256PlusPlus(seed));
		assertThat(regions.tail).isPositive();
		assertThat(regions.mismatches).isPositive().isEqualTo(regions.mismatchedTails);
	}

	private static Function<long[], UniformRandomProvider> provider(String name) {
		return switch (name) {
			case "xoshiro256pp" -> XoShiRo256PlusPlus::new;
			case "l64x128mix" -> L64X128Mix::new;
			case "splitmix64" -> (seed) -> new SplitMix64(seed[0]);
			default -> throw new IllegalArgumentException(name);
		};
	}

	/**
	 * Draws {@link #BLOCKS} blocks from {@code stream} in bulk and as many values from
	 * the library's sampler over {@code reference}, comparing their bits and sorting the
	 * sampler's draws by the region of the ziggurat that made them (from the longs each
	 * consumed).
	 */
	private static Regions compare(CommonsRngStream stream, UniformRandomProvider reference) {
		Regions regions = new Regions(reference);
		ZigguratSampler.NormalizedGaussian sampler = ZigguratSampler.NormalizedGaussian.of(regions);
		double[] values = new double[BLOCK + 1];
		for (int b = 0; b < BLOCKS; b++) {
			// odd offsets and lengths too
			int off = b & 1;
			stream.fillGaussian(values, off, BLOCK - (b % 3));
			for (int i = off, end = off + BLOCK - (b % 3); i < end; i++) {
				regions.used = 0;
				double expected = sampler.sample();
				boolean tail = regions.classify(expected);
				if (Double.doubleToRawLongBits(values[i]) != Double.doubleToRawLongBits(expected)) {
					regions.mismatches++;
					regions.mismatchedTails += tail ? 1 : 0;
				}
			}
		}
		return regions;
	}

	/** A provider that remembers the longs of the current sample, to classify it. */
	private static final class Regions implements UniformRandomProvider {

		final UniformRandomProvider reference;

		int used;

		long second;

		long tail;

		long concave;

		long inflection;

		long convex;

		long mismatches;

		long mismatchedTails;

		Regions(UniformRandomProvider reference) {
			this.reference = reference;
		}

		@Override
		public long nextLong() {
			long r = this.reference.nextLong();
			if (++this.used == 2) {
				this.second = r;
			}
			return r;
		}

		/** Counts the sample's region; whether it is a tail sample. */
		boolean classify(double value) {
			if (this.used == 1) {
				return false;
			}
			int j = ModifiedZiggurat.region(this.second);
			if (j == 0) {
				assertThat(Math.abs(value)).isGreaterThan(ModifiedZiggurat.X_0);
				this.tail++;
				return true;
			}
			if (j < ModifiedZiggurat.J_INFLECTION) {
				this.concave++;
			}
			else if (j == ModifiedZiggurat.J_INFLECTION) {
				this.inflection++;
			}
			else {
				this.convex++;
			}
			return false;
		}

	}

}
