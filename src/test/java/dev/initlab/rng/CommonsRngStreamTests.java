package dev.initlab.rng;

import org.apache.commons.rng.core.source64.XoShiRo256StarStar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulk uniform draws of Commons RNG streams (a loop per generator class, without a
 * long-to-double conversion) are the provider's own {@code nextDouble()}s, bit for bit.
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

}
