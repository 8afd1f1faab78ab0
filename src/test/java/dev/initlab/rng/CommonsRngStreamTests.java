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

	/**
	 * The fused loop's map ({@link CommonsRngStream#first},
	 * {@link CommonsRngStream#second}, with and without {@code Math.fma}) gives the
	 * general path's double, {@code shift + scale * u}, bit for bit: for edge and random
	 * outputs, at scales from the smallest to the largest
	 * {@link CommonsRngStream#exactMap} allows (log-uniform) and the usual ones, with
	 * shifts of either sign, zero and {@code -scale / 2}.
	 */
	@Test
	void theFusedMapIsTheGeneralPathsDouble() {
		double smallest = Double.MIN_NORMAL * 0x1.0p56;
		double largest = Math.nextDown(0x1.0p996);
		assertThat(CommonsRngStream.exactMap(0, smallest)).isTrue();
		assertThat(CommonsRngStream.exactMap(0, largest)).isTrue();
		java.util.SplittableRandom random = new java.util.SplittableRandom(3);
		long[] edges = { 0L, -1L, 1L << 16, 1L << 39, 1L << 40, Long.MIN_VALUE, Long.MAX_VALUE, 0x5555555555555555L,
				0xAAAAAAAAAAAAAAAAL, 0xFFFFL, 0xFFFFFFFFFFL, 0x8000008000000000L };
		for (int p = 0; p < 20_000; p++) {
			double scale = switch (p % 5) {
				case 0 -> Math.scalb(1.0 + random.nextDouble(), random.nextInt(-966, 995));
				case 1 -> 2 * Math.sqrt(6.0 / random.nextInt(1, 100_000));
				case 2 -> random.nextDouble();
				case 3 -> (p % 2 == 0) ? smallest : largest;
				default -> Math.nextUp(smallest) * (1 + random.nextInt(1 << 20));
			};
			double shift = switch (p % 4) {
				case 0 -> -scale / 2;
				case 1 -> 0.0;
				case 2 -> (random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(-60, 60));
				default -> -Math.scalb(random.nextDouble(), random.nextInt(-1070, 1000));
			};
			assertThat(CommonsRngStream.exactMap(shift, scale)).as("scale %s", scale).isTrue();
			for (int i = 0; i < 50 + edges.length; i++) {
				long x = (i < edges.length) ? edges[i] : random.nextLong();
				long first = Double.doubleToRawLongBits(shift + scale * CommonsRngStream.high(x));
				long second = Double.doubleToRawLongBits(shift + scale * CommonsRngStream.low(x));
				for (boolean fma : new boolean[] { true, false }) {
					assertThat(Double.doubleToRawLongBits(CommonsRngStream.first(x, shift, scale, fma)))
						.as("first, fma %s, shift %s, scale %s, x %x", fma, shift, scale, x)
						.isEqualTo(first);
					assertThat(Double.doubleToRawLongBits(CommonsRngStream.second(x, shift, scale, fma)))
						.as("second, fma %s, shift %s, scale %s, x %x", fma, shift, scale, x)
						.isEqualTo(second);
				}
			}
		}
	}

	/**
	 * Where the map's rewriting would not be exact the fused loop declines, drawing
	 * nothing, and the caller takes the general path.
	 */
	@Test
	void theFusedLoopDeclinesScalesItCannotMapExactly() {
		double smallest = Double.MIN_NORMAL * 0x1.0p56;
		double[][] declined = { { 0, 0 }, { 0, -0.0 }, { 1, -0.5 }, { 0, Math.nextDown(smallest) }, { 0, 0x1.0p996 },
				{ 0, Double.POSITIVE_INFINITY }, { 0, Double.NaN }, { Double.NaN, 1 },
				{ Double.NEGATIVE_INFINITY, 1 } };
		for (double[] params : declined) {
			assertThat(CommonsRngStream.exactMap(params[0], params[1])).as("shift %s scale %s", params[0], params[1])
				.isFalse();
			RandomStream narrow = Generator.DEFAULT.create(SeedMaterial.forSequential(1)).forNarrowDType();
			assertThat(narrow.encodeUniformFloat32(params[0], params[1], new byte[8], 2)).isFalse();
			assertThat(narrow.nextDouble()).as("nothing drawn")
				.isEqualTo(Generator.DEFAULT.create(SeedMaterial.forSequential(1)).nextDouble());
		}
	}

	/**
	 * The fused loop over many seeds, lengths (odd, even, around 2^16) and parameters:
	 * the general path's values rounded to float32, and the stream left where the general
	 * path leaves it.
	 */
	@ParameterizedTest
	@EnumSource(value = Generator.class, names = { "XOSHIRO256PP", "L64X128MIX", "SPLITMIX64" })
	void fusedFloat32BytesMatchTheGeneralPathOverSeedsAndLengths(Generator generator) {
		java.util.SplittableRandom random = new java.util.SplittableRandom(4);
		int[] lengths = { 1, 2, 3, 64, 65, 1023, 65_535, 65_536, 65_537 };
		for (int trial = 0; trial < 60; trial++) {
			long seed = random.nextLong();
			int len = (trial < lengths.length) ? lengths[trial] : random.nextInt(1, 70_000);
			double scale = (trial % 3 == 0) ? 2 * Math.sqrt(3.0 / random.nextInt(1, 5000))
					: Math.scalb(1.0 + random.nextDouble(), random.nextInt(-40, 40));
			double shift = (trial % 2 == 0) ? -scale / 2 : random.nextGaussian();
			RandomStream fused = generator.create(SeedMaterial.forSequential(seed)).forNarrowDType();
			RandomStream general = generator.create(SeedMaterial.forSequential(seed)).forNarrowDType();
			byte[] bytes = new byte[4 * len];
			assertThat(fused.encodeUniformFloat32(shift, scale, bytes, len)).isTrue();
			double[] u = new double[len];
			general.fillUniform(u, 0, len);
			java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
			for (int i = 0; i < len; i++) {
				assertThat(Float.floatToRawIntBits(buffer.getFloat(4 * i)))
					.as("%s seed %d length %d element %d", generator, seed, len, i)
					.isEqualTo(Float.floatToRawIntBits((float) (shift + scale * u[i])));
			}
			assertThat(fused.nextDouble()).isEqualTo(general.nextDouble());
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
