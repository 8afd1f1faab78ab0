package dev.initlab.generation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.layers.Embedding;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.layers.RawTensor;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte paths ({@link TensorSource#generateBytes},
 * {@link TensorSource#generateBlockBytes}; affine fills drawn in bulk and mapped, rounded
 * and encoded in one pass) give the bytes of the reference path:
 * {@link TensorSource#generate} (each value drawn in double, the padding row zeroed,
 * rounded once to the dtype) encoded here, element by element, with {@link DType}'s own
 * bit patterns. Every scheme family × every generator × every dtype, at lengths around
 * block boundaries, on the calling thread and on a pool.
 */
class FusedFillTests {

	private static final Planner PLANNER = new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24));

	private static final List<InitSpec> SCHEMES = List.of(InitSpec.of("normal", "mean", 0.25, "std", 0.5),
			InitSpec.of("uniform", "low", -0.75, "high", 0.5),
			// a width the fused float32 loop declines (zero): the general path, drawing
			// as much
			InitSpec.of("uniform", "low", 0.5, "high", 0.5), InitSpec.of("kaiming_normal"),
			InitSpec.of("kaiming_uniform"), InitSpec.of("xavier_normal"), InitSpec.of("xavier_uniform"),
			InitSpec.of("lecun_normal"), InitSpec.of("lecun_uniform"), InitSpec.of("variance_scaling"),
			InitSpec.of("variance_scaling", "distribution", "uniform", "scale", 3.0),
			InitSpec.of("variance_scaling", "distribution", "normal", "mode", "fan_avg"),
			InitSpec.of("truncated_normal", "std", 0.02, "a", -0.04, "b", 0.04), InitSpec.of("he_truncated_normal"),
			InitSpec.of("constant", "value", -0.1), InitSpec.of("zeros"));

	private static final List<String> TRUNCATED = List.of("variance_scaling", "truncated_normal",
			"he_truncated_normal");

	/** Element counts: one, odd, two blocks and a few (131,079). */
	private static final int[][] SHAPES = { { 1, 1 }, { 7, 13 }, { 3, 43693 } };

	/**
	 * Schemes for the other dtypes: each kind of fill once (the dtype changes only the
	 * rounding and encoding).
	 */
	private static final List<InitSpec> FEW = List.of(SCHEMES.get(0), SCHEMES.get(1), InitSpec.of("kaiming_normal"),
			InitSpec.of("truncated_normal", "std", 0.02, "a", -0.04, "b", 0.04),
			InitSpec.of("constant", "value", -0.1));

	private static ExecutorService pool;

	@BeforeAll
	static void startPool() {
		pool = Executors.newFixedThreadPool(2);
	}

	@AfterAll
	static void stopPool() {
		pool.shutdownNow();
	}

	static Stream<Arguments> cases() {
		List<Arguments> cases = new ArrayList<>();
		for (Generator generator : Generator.values()) {
			for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16)) {
				cases.add(Arguments.of(generator, dtype));
			}
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void bytePathsEncodeTheReferenceValues(Generator generator, DType dtype) throws IOException {
		for (InitSpec scheme : (dtype == DType.FLOAT32) ? SCHEMES : FEW) {
			if (generator.family() == Generator.Family.NUMPY && TRUNCATED.contains(scheme.scheme())
					&& !scheme.params().containsKey("distribution")) {
				// NumPy has no truncated normal: the planner refuses it with NumPy's
				// streams
				continue;
			}
			for (int[] shape : SHAPES) {
				Plan plan = plan(generator, dtype, scheme,
						new RawTensor("w", "tensor", List.of(shape[0], shape[1]), null, 4096L, 1024L, null, null));
				assertSameBytes(plan, generator + " " + dtype + " " + scheme + " " + shape[0] + "x" + shape[1]);
			}
		}
	}

	/** An embedding's padding row (here across the first block boundary) stays zero. */
	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void paddingRowsAreZeroInEveryPath(Generator generator, DType dtype) throws IOException {
		for (InitSpec scheme : List.of(InitSpec.of("normal"), InitSpec.of("uniform", "low", -1.0, "high", 1.0))) {
			Plan plan = plan(generator, dtype, scheme,
					new Embedding("e", "embedding", 300, 331, 198, null, null, null, null, null));
			byte[] reference = assertSameBytes(plan, generator + " " + dtype + " " + scheme);
			int size = dtype.size();
			for (int i = 198 * 331 * size; i < 199 * 331 * size; i++) {
				assertThat(reference[i]).isZero();
			}
		}
	}

	/**
	 * With sequential seeding every tensor continues one stream: the byte path leaves it
	 * where the reference path does.
	 */
	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void sequentialStreamsContinueAcrossTensors(Generator generator, DType dtype) throws IOException {
		Policy policy = new Policy(null, InitSpec.of("kaiming_uniform"), null, null, null, null, null);
		List<LayerSpec> layers = List.of(
				new RawTensor("a", "tensor", List.of(3, 21845), null, null, null, null,
						new Policy(null, InitSpec.of("normal", "std", 0.1), null, null, null, null, null)),
				new RawTensor("b", "tensor", List.of(70000, 1), null, 100L, 30L, null, null),
				new RawTensor("c", "tensor", List.of(5, 3), null, 5L, 3L, null, null));
		Plan plan = PLANNER.plan(
				new Blueprint(3L, generator, dtype, Layout.PYTORCH, Seeding.SEQUENTIAL, policy, layers, true, false),
				OutputFormat.SAFETENSORS, null);
		TensorSource reference = new TensorSource(plan);
		TensorSource bytes = new TensorSource(plan, pool, 2);
		for (int i = 0; i < plan.tensors().size(); i++) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			bytes.generateBytes(i, (b, len) -> out.write(b, 0, len));
			assertThat(out.toByteArray()).as("%s %s tensor %d", generator, dtype, i)
				.isEqualTo(encode(dtype, reference.materialize(i)));
		}
		bytes.close();
		reference.close();
	}

	/** A negative control: the reference encoding does see a one-ulp change. */
	@Test
	void theComparisonSeesAnUlp() throws IOException {
		Plan plan = plan(Generator.DEFAULT, DType.FLOAT32, InitSpec.of("normal"),
				new RawTensor("w", "tensor", List.of(5, 5), null, null, null, null, null));
		double[] values = new TensorSource(plan).materialize(0);
		byte[] exact = encode(DType.FLOAT32, values);
		values[3] = Math.nextUp((float) values[3]);
		values[3] = (float) values[3];
		assertThat(encode(DType.FLOAT32, values)).isNotEqualTo(exact);
	}

	private static Plan plan(Generator generator, DType dtype, InitSpec scheme, LayerSpec layer) {
		Policy policy = new Policy(null, scheme, null, null, null, null, null);
		return PLANNER.plan(new Blueprint(11L, generator, dtype, Layout.PYTORCH, Seeding.PER_TENSOR, policy,
				List.of(layer), true, false), OutputFormat.SAFETENSORS, null);
	}

	/** Asserts that every byte path gives the reference bytes; returns them. */
	private static byte[] assertSameBytes(Plan plan, String what) throws IOException {
		DType dtype = plan.tensors().get(0).dtypeIn(plan.dtype());
		byte[] reference = encode(dtype, new TensorSource(plan).materialize(0));
		assertThat(bytes(new TensorSource(plan), -1)).as("one thread: %s", what).isEqualTo(reference);
		assertThat(bytes(new TensorSource(plan, pool, 2), -1)).as("pool: %s", what).isEqualTo(reference);
		long blocks = (reference.length / dtype.size() + TensorSource.BLOCK - 1) / TensorSource.BLOCK;
		if (blocks > 1) {
			// from the second block on, as a byte range of a file
			byte[] tail = bytes(new TensorSource(plan), 1);
			assertThat(tail).as("blocks 1..: %s", what)
				.isEqualTo(
						java.util.Arrays.copyOfRange(reference, TensorSource.BLOCK * dtype.size(), reference.length));
			assertThat(bytes(new TensorSource(plan, pool, 2), 1)).as("blocks 1.. on the pool: %s", what)
				.isEqualTo(tail);
		}
		return reference;
	}

	private static byte[] bytes(TensorSource source, long fromBlock) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		if (fromBlock < 0) {
			source.generateBytes(0, (b, len) -> out.write(b, 0, len));
		}
		else {
			source.generateBlockBytes(0, fromBlock, Long.MAX_VALUE, (b, len) -> out.write(b, 0, len));
		}
		source.close();
		return out.toByteArray();
	}

	/** Little-endian elements of already rounded values, a byte at a time. */
	static byte[] encode(DType dtype, double[] values) {
		byte[] out = new byte[values.length * dtype.size()];
		int p = 0;
		for (double v : values) {
			long bits = switch (dtype) {
				case FLOAT32 -> Float.floatToRawIntBits((float) v);
				case FLOAT64 -> Double.doubleToRawLongBits(v);
				case FLOAT16 -> DType.float16Bits(v);
				case BFLOAT16 -> DType.bfloat16Bits(v);
				case INT64 -> (long) v;
			};
			for (int k = 0; k < dtype.size(); k++) {
				out[p++] = (byte) (bits >>> (8 * k));
			}
		}
		return out;
	}

}
