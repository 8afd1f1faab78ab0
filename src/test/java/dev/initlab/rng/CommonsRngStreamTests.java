package dev.initlab.rng;

import java.util.function.Function;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.core.source64.L64X128Mix;
import org.apache.commons.rng.core.source64.SplitMix64;
import org.apache.commons.rng.core.source64.XoShiRo256PlusPlus;
import org.apache.commons.rng.core.source64.XoShiRo256StarStar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulk uniform draws of Commons RNG streams (a loop per generator class, without a
 * long-to-double conversion) are the provider's own {@code nextDouble()}s, bit for bit;
 * in the view for narrow dtypes, two 24-bit halves of each {@code nextLong()}, checked
 * against the raw provider.
 */
class CommonsRngStreamTests {

	@ParameterizedTest
	@EnumSource(value = Generator.class, names = { "XOSHIRO256PP", "L64X128MIX", "SPLITMIX64" })
	void bulkUniformsAreTheProvidersNextDoubles(Generator generator) {
		for (long seed = 0; seed < 5; seed++) {
			RandomStream bulk = generator.create(SeedMaterial.forSequential(seed));
			RandomStream single = generator.create(SeedMaterial.forSequential(seed));
			double[] values = new double[100_003];
			bulk.fillUniform(values, 3, 100_000);
			for (int i = 3; i < values.length; i++) {
				assertThat(values[i]).as("%s seed %d element %d", generator, seed, i).isEqualTo(single.nextDouble());
			}
			// and the stream goes on where the bulk draw left it
			assertThat(bulk.nextDouble()).isEqualTo(single.nextDouble());
		}
	}

	@Test
	void anotherProviderDrawsThroughTheInterface() {
		RandomStream bulk = new CommonsRngStream(new XoShiRo256StarStar(new long[] { 1, 2, 3, 4 }));
		XoShiRo256StarStar single = new XoShiRo256StarStar(new long[] { 1, 2, 3, 4 });
		double[] values = new double[1000];
		bulk.fillUniform(values, 0, values.length);
		for (double v : values) {
			assertThat(v).isEqualTo(single.nextDouble());
		}
	}

	@Test
	void unitIsTheTop53BitsTimesTwoToTheMinus53() {
		long[] edges = { 0L, -1L, 1L << 11, 1L << 12, (1L << 11) | (1L << 12), Long.MIN_VALUE, Long.MAX_VALUE,
				0x5555555555555555L, 0xAAAAAAAAAAAAAAAAL, 0x7FFL, 0xFFFL };
		for (long bits : edges) {
			assertThat(CommonsRngStream.unit(bits)).as("%x", bits).isEqualTo((bits >>> 11) * 0x1.0p-53);
		}
		java.util.SplittableRandom random = new java.util.SplittableRandom(1);
		for (int i = 0; i < 1_000_000; i++) {
			long bits = random.nextLong();
			assertThat(CommonsRngStream.unit(bits)).isEqualTo((bits >>> 11) * 0x1.0p-53);
		}
	}

	/** The raw provider each Commons RNG generator is built on, seeded as it is. */
	private static UniformRandomProvider raw(Generator generator, long[] longs) {
		Function<long[], UniformRandomProvider> make = switch (generator) {
			case XOSHIRO256PP -> XoShiRo256PlusPlus::new;
			case L64X128MIX -> L64X128Mix::new;
			case SPLITMIX64 -> (s) -> new SplitMix64(s[0]);
			default -> throw new IllegalArgumentException(generator.name());
		};
		return make.apply(longs);
	}

	/**
	 * The rule, written out here independently of the code: output {@code x} gives
	 * {@code floor(x / 2^40) / 2^24} (its top 24 bits, unsigned) and then
	 * {@code ((x / 2^16) mod 2^24) / 2^24}; an odd count drops the last second half.
	 */
	private static double[] expectedNarrow(UniformRandomProvider raw, int n) {
		double[] out = new double[n];
		for (int i = 0; i < n; i += 2) {
			long x = raw.nextLong();
			out[i] = Long.divideUnsigned(x, 1L << 40) / 16777216.0;
			if (i + 1 < n) {
				out[i + 1] = Long.remainderUnsigned(Long.divideUnsigned(x, 1L << 16), 1L << 24) / 16777216.0;
			}
		}
		return out;
	}

	@ParameterizedTest
	@EnumSource(value = Generator.class, names = { "XOSHIRO256PP", "L64X128MIX", "SPLITMIX64" })
	void narrowUniformsAreTwo24BitHalvesOfEachOutput(Generator generator) {
		for (long seed = 0; seed < 3; seed++) {
			RandomStream narrow = generator.create(SeedMaterial.forSequential(seed)).forNarrowDType();
			UniformRandomProvider raw = raw(generator, SeedMaterial.forSequential(seed).longs());
			for (int len : new int[] { 100_000, 1, 7, 0, 65_536 }) {
				double[] values = new double[len + 2];
				narrow.fillUniform(values, 2, len);
				double[] expected = expectedNarrow(raw, len);
				for (int i = 0; i < len; i++) {
					assertThat(values[i + 2]).as("%s seed %d length %d element %d", generator, seed, len, i)
						.isEqualTo(expected[i]);
				}
			}
			// the view shares the stream: nextDouble stays 53 bits, from the next output
			assertThat(narrow.nextDouble()).isEqualTo((raw.nextLong() >>> 11) * 0x1.0p-53);
		}
	}

	@ParameterizedTest
	@EnumSource(value = Generator.class, names = { "XOSHIRO256PP", "L64X128MIX", "SPLITMIX64" })
	void fusedFloat32BytesAreTheNarrowUniformsMappedAndRounded(Generator generator) {
		double shift = -0.0625;
		double scale = 0.125 + 0x1.0p-40;
		for (int len : new int[] { 65_536, 1, 13 }) {
			RandomStream narrow = generator.create(SeedMaterial.forSequential(5)).forNarrowDType();
			UniformRandomProvider raw = raw(generator, SeedMaterial.forSequential(5).longs());
			byte[] bytes = new byte[4 * len];
			assertThat(narrow.encodeUniformFloat32(shift, scale, bytes, len)).isTrue();
			java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
			double[] expected = expectedNarrow(raw, len);
			for (int i = 0; i < len; i++) {
				assertThat(Float.floatToRawIntBits(buffer.getFloat(4 * i)))
					.as("%s length %d element %d", generator, len, i)
					.isEqualTo(Float.floatToRawIntBits((float) (shift + scale * expected[i])));
			}
			assertThat(narrow.nextDouble()).isEqualTo((raw.nextLong() >>> 11) * 0x1.0p-53);
		}
	}

	@Test
	void theWideStreamHasNoFusedFloat32Loop() {
		byte[] bytes = new byte[8];
		RandomStream wide = Generator.DEFAULT.create(SeedMaterial.forSequential(1));
		assertThat(wide.encodeUniformFloat32(0, 1, bytes, 2)).isFalse();
		assertThat(wide.nextDouble()).as("nothing drawn")
			.isEqualTo(Generator.DEFAULT.create(SeedMaterial.forSequential(1)).nextDouble());
	}

	/** NumPy's and Commons Math's streams keep one 53-bit (52-bit) double per element. */
	@ParameterizedTest
	@EnumSource(value = Generator.class, names = { "NUMPY_LEGACY", "NUMPY_PCG64", "MT19937", "WELL19937C", "ISAAC" })
	void otherStreamsAreTheirOwnNarrowView(Generator generator) {
		RandomStream stream = generator.create(SeedMaterial.forSequential(9));
		assertThat(stream.forNarrowDType()).isSameAs(stream);
		RandomStream fresh = generator.create(SeedMaterial.forSequential(9));
		double[] values = new double[11];
		stream.forNarrowDType().fillUniform(values, 0, values.length);
		for (double v : values) {
			assertThat(v).isEqualTo(fresh.nextDouble());
		}
		assertThat(stream.encodeUniformFloat32(0, 1, new byte[4], 1)).isFalse();
	}

	@Test
	void halvesArePlacedExactly() {
		long[] edges = { 0L, -1L, 1L << 16, 1L << 39, 1L << 40, Long.MIN_VALUE, Long.MAX_VALUE, 0x5555555555555555L,
				0xAAAAAAAAAAAAAAAAL, 0xFFFFL, 0xFFFFFFFFFFL };
		java.util.SplittableRandom random = new java.util.SplittableRandom(2);
		for (int i = 0; i < 1_000_000 + edges.length; i++) {
			long x = (i < edges.length) ? edges[i] : random.nextLong();
			assertThat(CommonsRngStream.high(x)).as("%x", x).isEqualTo((x >>> 40) * 0x1.0p-24);
			assertThat(CommonsRngStream.low(x)).as("%x", x).isEqualTo(((x >>> 16) & 0xFFFFFF) * 0x1.0p-24);
		}
	}

}
