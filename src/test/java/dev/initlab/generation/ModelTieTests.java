package dev.initlab.generation;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.initlab.layers.Layout;
import dev.initlab.models.Architectures;
import dev.initlab.models.Model;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A tie group is one tensor under every seeding: its later keys repeat its first key's
 * values, also when the response holds only a later key ({@code ?tensor=lm_head.weight}),
 * and with NumPy's streams, whose per-tensor stream seed is the first key's.
 */
class ModelTieTests {

	private static final Map<String, Object> CONFIG = Map.of("n_layer", 1, "n_embd", 8, "n_head", 2, "vocab_size", 30,
			"n_positions", 4);

	@ParameterizedTest
	@EnumSource(Seeding.class)
	void laterKeysRepeatTheFirstKeysValues(Seeding seeding) {
		for (Generator generator : new Generator[] { Generator.DEFAULT, Generator.byName("numpy_pcg64").get() }) {
			Plan plan = plan(seeding, generator, null, 1L << 24);
			Map<String, double[]> all = ModelInitReferenceTests.values(plan);
			assertThat(all.get("lm_head.weight")).as("%s %s", seeding, generator)
				.isEqualTo(all.get("transformer.wte.weight"));
			Plan one = plan(seeding, generator, "lm_head.weight", 1L << 24);
			double[] alone;
			try (TensorSource source = new TensorSource(one)) {
				int index = one.selectedIndices().get(0);
				source.skipTo(index);
				alone = source.materialize(index);
			}
			assertThat(alone).as("only lm_head.weight, %s %s", seeding, generator)
				.isEqualTo(all.get("transformer.wte.weight"));
			if (generator.family() == Generator.Family.NUMPY && seeding == Seeding.PER_TENSOR) {
				assertThat(tensor(plan, "lm_head.weight").init().get("stream_seed"))
					.isEqualTo(tensor(plan, "transformer.wte.weight").init().get("stream_seed"));
			}
		}
	}

	@ParameterizedTest
	@EnumSource(Seeding.class)
	void withSequentialSeedingTheHeldGroupIsBounded(Seeding seeding) {
		if (seeding == Seeding.SEQUENTIAL) {
			assertThatExceptionOfType(LimitExceededException.class)
				.isThrownBy(() -> plan(seeding, Generator.DEFAULT, null, 100))
				.satisfies(ex -> assertThat(ex.getBody().getProperties()).containsEntry("property",
						"initlab.generation.max-whole-elements"));
		}
		else {
			assertThat(plan(seeding, Generator.DEFAULT, null, 100).tensors()).isNotEmpty();
		}
	}

	private static Plan plan(Seeding seeding, Generator generator, String tensor, long maxWhole) {
		Planner planner = new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, maxWhole));
		Model model = Model.of(Architectures.GPT2_LM_HEAD_MODEL.architecture(), CONFIG);
		return planner.plan(new Blueprint(11L, generator, DType.FLOAT64, Layout.PYTORCH, seeding, null, List.of(),
				model, List.of(), false, true), OutputFormat.SAFETENSORS, tensor);
	}

	private static PlannedTensor tensor(Plan plan, String name) {
		return plan.tensors().stream().filter(t -> t.spec().name().equals(name)).findFirst().orElseThrow();
	}

}
