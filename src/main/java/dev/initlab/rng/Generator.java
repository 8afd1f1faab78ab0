package dev.initlab.rng;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.apache.commons.math3.random.ISAACRandom;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.random.Well44497b;
import org.apache.commons.math3.random.Well512a;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.core.source64.L64X128Mix;
import org.apache.commons.rng.core.source64.SplitMix64;
import org.apache.commons.rng.core.source64.XoShiRo256PlusPlus;

/**
 * The registry of random number generators, by wire name.
 * <p>
 * Commons Math 3 generators are seeded with the eight ints of the {@link SeedMaterial}
 * and draw normals with their own {@code nextGaussian} (polar Box-Muller). Commons RNG
 * generators are seeded with the four longs (SplitMix64 with the first) and draw normals
 * with Commons RNG's ziggurat sampler.
 */
public enum Generator {

	/** Commons Math 3 {@code MersenneTwister} (MT19937, Matsumoto and Nishimura 1998). */
	MT19937("mt19937", Family.COMMONS_MATH3, "Mersenne Twister MT19937 (Commons Math 3 MersenneTwister).",
			s -> new MersenneTwister(s.ints())),

	/** Commons Math 3 {@code Well19937c} (Panneton, L'Ecuyer and Matsumoto 2006). */
	WELL19937C("well19937c", Family.COMMONS_MATH3, "WELL19937c (Commons Math 3 Well19937c).",
			s -> new Well19937c(s.ints())),

	/** Commons Math 3 {@code Well44497b}. */
	WELL44497B("well44497b", Family.COMMONS_MATH3, "WELL44497b (Commons Math 3 Well44497b).",
			s -> new Well44497b(s.ints())),

	/** Commons Math 3 {@code Well512a}. */
	WELL512A("well512a", Family.COMMONS_MATH3, "WELL512a (Commons Math 3 Well512a).", s -> new Well512a(s.ints())),

	/** Commons Math 3 {@code ISAACRandom} (Jenkins 1996). */
	ISAAC("isaac", Family.COMMONS_MATH3, "ISAAC cryptographic generator (Commons Math 3 ISAACRandom).",
			s -> new ISAACRandom(s.ints())),

	/** Commons RNG {@code XoShiRo256PlusPlus} (Blackman and Vigna 2019): the default. */
	XOSHIRO256PP("xoshiro256pp", Family.COMMONS_RNG,
			"xoshiro256++ (Commons RNG XoShiRo256PlusPlus), normals by ziggurat. The default: fast and well tested.",
			s -> new XoShiRo256PlusPlus(nonZero(s.longs()))),

	/** Commons RNG {@code L64X128Mix} (the LXM family of Java 17's RandomGenerator). */
	L64X128MIX("l64x128mix", Family.COMMONS_RNG, "L64X128Mix LXM generator (Commons RNG), normals by ziggurat.",
			s -> new L64X128Mix(nonZero(s.longs()))),

	/** Commons RNG {@code SplitMix64} (Steele, Lea and Flood 2014). */
	SPLITMIX64("splitmix64", Family.COMMONS_RNG, "SplitMix64 (Commons RNG), normals by ziggurat.",
			s -> new SplitMix64(s.longs()[0])),

	/**
	 * NumPy's legacy {@code RandomState}: {@code np.random.seed(s)} then {@code randn},
	 * {@code rand}, {@code uniform}, {@code normal} (MT19937, 53-bit doubles, polar
	 * normals with the cached second value). Seeds 0 to 2^32 - 1.
	 */
	NUMPY_LEGACY("numpy_legacy", Family.NUMPY,
			"np.random.seed(s) + randn/rand/uniform/normal (RandomState: MT19937, polar normals); values equal "
					+ "NumPy's float64 output. Seeds 0..2^32-1.",
			s -> new NumpyLegacyStream(s.ints()[0] & 0xFFFFFFFFL)),

	/**
	 * NumPy's {@code np.random.default_rng(s)}: SeedSequence, PCG64, 256-layer ziggurat
	 * normals; {@code random}, {@code standard_normal}, {@code uniform}, {@code normal}.
	 * Seeds &gt;= 0.
	 */
	NUMPY_PCG64("numpy_pcg64", Family.NUMPY,
			"np.random.default_rng(s) + standard_normal/random/uniform/normal (SeedSequence, PCG64, ziggurat); "
					+ "values equal NumPy's float64 output. Seeds >= 0.",
			s -> new NumpyPcg64Stream(s.longs()[0] >>> 1));

	/** The default generator. */
	public static final Generator DEFAULT = XOSHIRO256PP;

	private final String wireName;

	private final Family family;

	private final String description;

	private final Function<SeedMaterial, Object> factory;

	Generator(String wireName, Family family, String description, Function<SeedMaterial, Object> factory) {
		this.wireName = wireName;
		this.family = family;
		this.description = description;
		this.factory = factory;
	}

	public String wireName() {
		return this.wireName;
	}

	public Family family() {
		return this.family;
	}

	public String description() {
		return this.description;
	}

	/** A new stream seeded from the given material. */
	public RandomStream create(SeedMaterial seed) {
		Object generator = this.factory.apply(seed);
		if (generator instanceof RandomStream stream) {
			return stream;
		}
		if (generator instanceof RandomGenerator commonsMath) {
			return new CommonsMathStream(commonsMath);
		}
		return new CommonsRngStream((UniformRandomProvider) generator);
	}

	/**
	 * The one stream of {@code seeding: sequential}: NumPy's streams are seeded with
	 * {@code seed} itself ({@code np.random.seed(seed)}, {@code default_rng(seed)}), so a
	 * notebook reproduces them; the others from {@link SeedMaterial#forSequential}.
	 */
	public RandomStream sequential(long seed) {
		return switch (this) {
			case NUMPY_LEGACY -> new NumpyLegacyStream(seed);
			case NUMPY_PCG64 -> new NumpyPcg64Stream(seed);
			default -> create(SeedMaterial.forSequential(seed));
		};
	}

	/**
	 * The seed a per-tensor NumPy stream is seeded with, so that
	 * {@code np.random.seed(it)} (or {@code default_rng(it)}) reproduces the tensor; null
	 * for the other generators.
	 */
	public Long numpySeed(SeedMaterial seed) {
		return switch (this) {
			case NUMPY_LEGACY -> seed.ints()[0] & 0xFFFFFFFFL;
			case NUMPY_PCG64 -> seed.longs()[0] >>> 1;
			default -> null;
		};
	}

	/** Why a seed cannot seed this generator's sequential stream, or null when it can. */
	public String seedProblem(long seed) {
		return switch (this) {
			case NUMPY_LEGACY -> (seed < 0 || seed > 0xFFFFFFFFL)
					? "numpy_legacy is seeded as np.random.seed(seed), which takes 0..4294967295" : null;
			case NUMPY_PCG64 ->
				(seed < 0) ? "numpy_pcg64 is seeded as np.random.default_rng(seed), which takes seeds >= 0" : null;
			default -> null;
		};
	}

	/**
	 * Whether a tensor is drawn as independent blocks (each from its own stream). NumPy
	 * streams draw a tensor from one stream, as one NumPy call would.
	 */
	public boolean drawsBlocks() {
		return this.family != Family.NUMPY;
	}

	public static Optional<Generator> byName(String name) {
		if (name == null) {
			return Optional.empty();
		}
		String key = name.toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter(g -> g.wireName.equals(key)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(Generator::wireName).toList();
	}

	private static long[] nonZero(long[] state) {
		// An all-zero xoshiro state never leaves zero; SHA-256 makes it practically
		// impossible,
		// but the guard keeps the generator valid by construction.
		if (state[0] == 0 && state[1] == 0 && state[2] == 0 && state[3] == 0) {
			state[0] = 0x9E3779B97F4A7C15L;
		}
		return state;
	}

	/** Where a generator comes from, as {@code GET /api/v1/rngs} reports it. */
	public enum Family {

		COMMONS_MATH3("commons-math3"), COMMONS_RNG("commons-rng"), NUMPY("numpy");

		private final String wireName;

		Family(String wireName) {
			this.wireName = wireName;
		}

		public String wireName() {
			return this.wireName;
		}

	}

}
