package dev.initlab.generation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.commons.rng.core.source64.XoShiRo256PlusPlus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.layers.RawTensor;
import dev.initlab.rng.Generator;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;
import dev.initlab.tensor.DType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The uniform draws of a tensor of 32 bits or fewer per element with a Commons RNG
 * generator, end to end: two 24-bit uniforms per 64-bit output (top 24 bits first, then
 * bits 16 to 39), mapped in double and rounded once; an odd count leaves its last
 * output's second half unused. Recomputed here from the raw xoshiro256++ provider.
 * float64, and NumPy's streams in every dtype, keep one 53-bit double per element.
 */
class NarrowUniformTests {

	private static final Planner PLANNER = new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24));

	private static final double LOW = -0.75;

	private static final double HIGH = 0.5;

	/** Two full blocks and 7 elements: an odd count in the last block. */
	private static final int ROWS = 3;

	private static final int COLS = 43_693;

	@ParameterizedTest
	@EnumSource(value = DType.class, names = { "FLOAT32", "FLOAT16", "BFLOAT16", "FLOAT64" })
	void xoshiroUniformsFollowTheRuleOfTheirDType(DType dtype) throws IOException {
		Plan plan = plan(Generator.XOSHIRO256PP, dtype, Seeding.PER_TENSOR,
				List.of(new RawTensor("w", "tensor", List.of(ROWS, COLS), null, null, null, null, null)));
		String stream = plan.tensors().get(0).streamName();
		int numel = ROWS * COLS;
		double[] expected = new double[numel];
		for (int block = 0; block * TensorSource.BLOCK < numel; block++) {
			XoShiRo256PlusPlus raw = new XoShiRo256PlusPlus(SeedMaterial.forTensorBlock(11, stream, block).longs());
			int from = block * TensorSource.BLOCK;
			int to = Math.min(numel, from + TensorSource.BLOCK);
			for (int i = from; i < to; i++) {
				double u;
				if (dtype == DType.FLOAT64) {
					u = (raw.nextLong() >>> 11) / 9007199254740992.0;
				}
				else if ((i - from) % 2 == 0) {
					long x = raw.nextLong();
					u = (x >>> 40) / 16777216.0;
					if (i + 1 < to) {
						expected[i + 1] = dtype.round(LOW + (HIGH - LOW) * (((x >>> 16) & 0xFFFFFF) / 16777216.0));
					}
				}
				else {
					continue;
				}
				expected[i] = dtype.round(LOW + (HIGH - LOW) * u);
			}
		}
		assertThat(new TensorSource(plan).materialize(0)).as("the double path").isEqualTo(expected);
		byte[] bytes = FusedFillTests.encode(dtype, expected);
		assertThat(bytes(new TensorSource(plan))).as("the byte path").isEqualTo(bytes);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			TensorSource source = new TensorSource(plan, pool, 2);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			source.generateBlockBytes(0, 1, 2, (b, len) -> out.write(b, 0, len));
			source.close();
			assertThat(out.toByteArray()).as("block 1 alone, as a checkpoint range")
				.isEqualTo(Arrays.copyOfRange(bytes, TensorSource.BLOCK * dtype.size(),
						2 * TensorSource.BLOCK * dtype.size()));
			assertThat(bytes(new TensorSource(plan, pool, 2))).as("the pool").isEqualTo(bytes);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** With sequential seeding a tensor of odd size leaves the next a fresh output. */
	@Test
	void sequentialTensorsStartOnAFreshOutput() {
		Plan plan = plan(Generator.XOSHIRO256PP, DType.FLOAT32, Seeding.SEQUENTIAL,
				List.of(new RawTensor("a", "tensor", List.of(7, 1), null, null, null, null, null),
						new RawTensor("b", "tensor", List.of(2, 2), null, null, null, null, null)));
		XoShiRo256PlusPlus raw = new XoShiRo256PlusPlus(SeedMaterial.forSequential(11).longs());
		double[] halves = new double[16];
		for (int i = 0; i < halves.length; i += 2) {
			long x = raw.nextLong();
			halves[i] = (float) (LOW + (HIGH - LOW) * ((x >>> 40) / 16777216.0));
			halves[i + 1] = (float) (LOW + (HIGH - LOW) * (((x >>> 16) & 0xFFFFFF) / 16777216.0));
		}
		TensorSource source = new TensorSource(plan);
		assertThat(source.materialize(0)).isEqualTo(Arrays.copyOfRange(halves, 0, 7));
		// outputs 0-3 gave a's 7 values (the 8th half unused); b starts at output 4
		assertThat(source.materialize(1)).isEqualTo(Arrays.copyOfRange(halves, 8, 12));
	}

	/** NumPy's streams keep NumPy's float64 uniforms in every dtype, rounded once. */
	@ParameterizedTest
	@EnumSource(value = Generator.class, names = { "NUMPY_LEGACY", "NUMPY_PCG64" })
	void numpyUniformsAreUnchanged(Generator generator) {
		Plan plan = plan(generator, DType.FLOAT32, Seeding.PER_TENSOR,
				List.of(new RawTensor("w", "tensor", List.of(ROWS, COLS), null, null, null, null, null)));
		RandomStream numpy = generator.create(SeedMaterial.forTensorBlock(11, plan.tensors().get(0).streamName(), 0));
		double[] values = new TensorSource(plan).materialize(0);
		for (int i = 0; i < values.length; i++) {
			assertThat(values[i]).as("element %d", i).isEqualTo((float) (LOW + (HIGH - LOW) * numpy.nextDouble()));
		}
	}

	/**
	 * Kolmogorov-Smirnov test of 2^20 float32 U(0, 1) values (16 blocks) at a fixed seed:
	 * under uniformity {@code P(sqrt(n) D > 2.77) ≈ 2 exp(-2 · 2.77²) < 10^-6}, so a
	 * correct generator fails with odds below one in a million per seed. The 24-bit grid
	 * and float32 rounding move the empirical CDF by at most 2^-24, far below the bound
	 * (2.77 / 1024 ≈ 0.0027). Pairs of halves are tested too: their sum has the
	 * triangular CDF when the halves are independent.
	 */
	@Test
	void float32UniformsPassKolmogorovSmirnov() {
		double[] u = draw(1 << 20);
		assertThat(ks(u, (x) -> x)).as("sqrt(n) D of the uniforms").isLessThan(2.77);
		double[] sums = new double[u.length / 2];
		for (int i = 0; i < sums.length; i++) {
			sums[i] = u[2 * i] + u[2 * i + 1];
		}
		assertThat(ks(sums, NarrowUniformTests::triangular)).as("sqrt(n) D of the pair sums").isLessThan(2.77);
	}

	/**
	 * Negative controls: the same statistic rejects a uniform on a 1% narrower range, and
	 * pair sums whose second halves repeat the first (perfectly correlated halves).
	 */
	@Test
	void kolmogorovSmirnovRejectsWrongDistributions() {
		double[] u = draw(1 << 20);
		double[] narrower = Arrays.stream(u).map((x) -> 0.99 * x).toArray();
		assertThat(ks(narrower, (x) -> x)).isGreaterThan(2.77);
		double[] doubled = new double[u.length / 2];
		for (int i = 0; i < doubled.length; i++) {
			doubled[i] = 2 * u[2 * i];
		}
		assertThat(ks(doubled, NarrowUniformTests::triangular)).isGreaterThan(2.77);
	}

	private static double[] draw(int n) {
		Plan plan = PLANNER.plan(
				new Blueprint(20261205L, Generator.XOSHIRO256PP, DType.FLOAT32, Layout.PYTORCH, Seeding.PER_TENSOR,
						new Policy(null, InitSpec.of("uniform", "low", 0.0, "high", 1.0), null, null, null, null, null),
						List.of(new RawTensor("u", "tensor", List.of(n), null, null, null, null, null)), true, false),
				OutputFormat.SAFETENSORS, null);
		return new TensorSource(plan).materialize(0);
	}

	/** The CDF of the sum of two independent U(0, 1). */
	private static double triangular(double s) {
		return (s <= 1) ? s * s / 2 : 1 - (2 - s) * (2 - s) / 2;
	}

	/** {@code sqrt(n)} times the Kolmogorov-Smirnov distance to {@code cdf}. */
	private static double ks(double[] values, java.util.function.DoubleUnaryOperator cdf) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		double d = 0;
		for (int i = 0; i < n; i++) {
			double f = cdf.applyAsDouble(sorted[i]);
			d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
		}
		return Math.sqrt(n) * d;
	}

	private static Plan plan(Generator generator, DType dtype, Seeding seeding, List<LayerSpec> layers) {
		Policy policy = new Policy(null, InitSpec.of("uniform", "low", LOW, "high", HIGH), null, null, null, null,
				null);
		return PLANNER.plan(new Blueprint(11L, generator, dtype, Layout.PYTORCH, seeding, policy, layers, true, false),
				OutputFormat.SAFETENSORS, null);
	}

	private static byte[] bytes(TensorSource source) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		source.generateBytes(0, (b, len) -> out.write(b, 0, len));
		source.close();
		return out.toByteArray();
	}

}
