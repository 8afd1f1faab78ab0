package dev.initlab.generation;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.initlab.init.Fill;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.layers.Layout;
import dev.initlab.layers.RawTensor;
import dev.initlab.rng.Generator;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;
import dev.initlab.tensor.DType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An orthogonal tensor's QR runs in its dtype's precision, as PyTorch's: float32 for
 * float32, float16 and bfloat16 ({@link Fill.Whole#fillNarrow}), float64 for float64;
 * also through a multiplier and for {@code delta_orthogonal}.
 */
class OrthogonalPrecisionTests {

	private static final Planner PLANNER = new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24));

	@ParameterizedTest
	@EnumSource(value = DType.class, names = { "FLOAT32", "FLOAT16", "BFLOAT16", "FLOAT64" })
	void theQrRunsInTheTensorsPrecision(DType dtype) {
		// wide (transposed) and tall, a multiplier around orthogonal, and
		// delta_orthogonal
		check(dtype, InitSpec.of("orthogonal"), List.of(70, 300));
		check(dtype, InitSpec.of("orthogonal", "gain", 0.5, InitSpec.MULTIPLIER, 3.0), List.of(300, 70));
		check(dtype, InitSpec.of("delta_orthogonal"), List.of(40, 24, 3, 3));
	}

	private static void check(DType dtype, InitSpec init, List<Integer> shape) {
		Policy policy = new Policy(null, init, null, null, null, null, null);
		Plan plan = PLANNER.plan(
				new Blueprint(5L, Generator.XOSHIRO256PP, dtype, Layout.PYTORCH, Seeding.PER_TENSOR, policy,
						List.of(new RawTensor("w", "tensor", shape, null, null, null, null, null)), true, false),
				OutputFormat.SAFETENSORS, null);
		PlannedTensor t = plan.tensors().get(0);
		Fill.Whole whole = (Fill.Whole) t.initializer().fill();
		int numel = Math.toIntExact(t.spec().numel());
		double[] single = new double[numel];
		whole.fillNarrow(stream(plan, t).forNarrowDType(), single);
		double[] precise = new double[numel];
		whole.fill(stream(plan, t), precise);
		double[] expected = (dtype == DType.FLOAT64) ? precise : single;
		double[] other = (dtype == DType.FLOAT64) ? single : precise;
		for (int i = 0; i < numel; i++) {
			expected[i] = dtype.round(expected[i]);
			other[i] = dtype.round(other[i]);
		}
		double[] generated = new TensorSource(plan).materialize(0);
		assertThat(generated).isEqualTo(expected);
		// the two paths differ in the dtype's bits (else this test could not tell them
		// apart): float rounding of the QR shows in float32 and float64, not always in
		// the 8 bits of a bfloat16 mantissa
		if (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) {
			assertThat(generated).isNotEqualTo(other);
		}
	}

	private static RandomStream stream(Plan plan, PlannedTensor t) {
		return plan.generator().create(SeedMaterial.forTensorBlock(plan.seed(), t.streamName(), 0));
	}

}
