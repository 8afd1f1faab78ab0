package dev.initlab.generation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.api.InitializationResponse;
import dev.initlab.init.InitOverride;
import dev.initlab.init.InitSpec;
import dev.initlab.layers.Layout;
import dev.initlab.models.Architecture;
import dev.initlab.models.ConfigField;
import dev.initlab.models.InitRule;
import dev.initlab.models.Model;
import dev.initlab.models.ModelConfig;
import dev.initlab.models.ModelTensor;
import dev.initlab.models.Rule;
import dev.initlab.models.StateDict;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Buffers of a model: torch's {@code num_batches_tracked} is an int64 scalar 0 in every
 * format whatever the request's dtype, has no float stats, and neither buffers nor their
 * counter count as parameters; overrides and presets leave buffers alone. A tiny conv +
 * batch norm model built with {@link StateDict}, as torchvision's blocks are.
 */
class ModelBufferTests {

	private static final Planner PLANNER = new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** conv1 (3 -> 4, 3x3, no bias) then bn1 (4). */
	static final Architecture CONV_BN = new Architecture() {

		@Override
		public String name() {
			return "test/ConvBn";
		}

		@Override
		public String library() {
			return "test";
		}

		@Override
		public String libraryVersion() {
			return "0";
		}

		@Override
		public String description() {
			return "conv + batch norm";
		}

		@Override
		public List<ConfigField> config() {
			return List.of();
		}

		@Override
		public List<Rule> rules() {
			return List.of();
		}

		@Override
		public List<ModelTensor> build(ModelConfig config) {
			return new StateDict()
				.conv("conv1", 3, 4, List.of(3, 3), 1,
						InitRule.of("kaiming_normal(fan_out, relu)", "kaiming_normal", "mode", "fan_out",
								"nonlinearity", "relu"),
						null)
				.batchNorm("bn1", 2, 4, InitRule.ones("BN weight 1"), InitRule.zeros("BN bias 0"))
				.tensors();
		}
	};

	@Test
	void numBatchesTrackedIsAnInt64ZeroInEveryFormat() throws IOException {
		Plan plan = plan(DType.BFLOAT16, List.of(), OutputFormat.SAFETENSORS);
		assertThat(plan.tensors()).extracting(t -> t.spec().name())
			.containsExactly("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
					"bn1.num_batches_tracked");
		// 4*3*3*3 + 4 + 4: the running statistics and the counter are buffers
		assertThat(plan.parameterCount()).isEqualTo(108 + 8);

		byte[] file = write(plan, OutputFormat.SAFETENSORS);
		long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
		JsonNode header = JSON.readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
		JsonNode count = header.get("bn1.num_batches_tracked");
		assertThat(count.get("dtype").asString()).isEqualTo("I64");
		assertThat(count.get("shape").size()).isZero();
		long start = count.get("data_offsets").get(0).asLong();
		assertThat(count.get("data_offsets").get(1).asLong() - start).isEqualTo(8);
		assertThat(ByteBuffer.wrap(file, (int) (8 + n + start), 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isZero();
		assertThat(header.get("bn1.running_var").get("dtype").asString()).isEqualTo("BF16");
		assertThat(file).hasSize((int) (8 + n + 2 * (108 + 16) + 8));
		assertThat(new TensorFile(plan, OutputFormat.SAFETENSORS).contentLength()).isEqualTo(file.length);

		Plan npz = plan(DType.FLOAT32, List.of(), OutputFormat.NPZ);
		try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(write(npz, OutputFormat.NPZ)))) {
			ZipEntry entry;
			while ((entry = zip.getNextEntry()) != null) {
				byte[] npy = zip.readAllBytes();
				String text = new String(npy, StandardCharsets.US_ASCII);
				if (entry.getName().equals("bn1.num_batches_tracked.npy")) {
					assertThat(text).contains("'descr': '<i8'").contains("'shape': ()");
					assertThat(npy).hasSize(128 + 8);
				}
				else {
					assertThat(text).contains("'descr': '<f4'");
				}
			}
		}

		JsonNode json = JSON.readTree(
				JSON.writeValueAsString(InitializationResponse.of(plan(DType.FLOAT64, List.of(), OutputFormat.JSON))));
		JsonNode counter = json.get("tensors").get(5);
		assertThat(counter.get("dtype").asString()).isEqualTo("int64");
		assertThat(counter.get("data").isIntegralNumber()).isTrue();
		assertThat(counter.get("data").asLong()).isZero();
		assertThat(counter.has("stats")).isFalse();
		assertThat(json.get("tensors").get(4).get("stats").get("mean").asDouble()).isEqualTo(1.0);
	}

	@Test
	void overridesAndPresetsLeaveBuffersAlone() {
		Plan plan = plan(DType.FLOAT32, List.of(new InitOverride("bn1.*", InitSpec.of("normal", "std", 0.1))),
				OutputFormat.SAFETENSORS);
		assertThat(plan.tensors().get(1).init()).containsEntry("scheme", "normal").containsEntry("override", 0);
		assertThat(plan.tensors().get(3).init()).containsEntry("scheme", "zeros").doesNotContainKey("override");
		assertThat(plan.tensors().get(5).init()).containsEntry("scheme", "zeros");
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> plan(DType.FLOAT32,
					List.of(new InitOverride("bn1.running_*", InitSpec.of("normal", "std", 0.1))),
					OutputFormat.SAFETENSORS))
			.satisfies(ex -> assertThat(ex.getBody().getDetail()).contains("matches only buffers"));
	}

	/**
	 * A config asking for billions of blocks is refused while it is built (it once would
	 * have been built whole, like the LSTM of PlannerRejectionTests).
	 */
	@Test
	void billionsOfBlocksAreRefusedWhileBuilt() {
		Model model = Model.of(dev.initlab.models.Architectures.NANOGPT_GPT.architecture(),
				Map.of("n_layer", Integer.MAX_VALUE, "n_embd", 8, "n_head", 2));
		assertThatExceptionOfType(dev.initlab.problems.LimitExceededException.class)
			.isThrownBy(() -> PLANNER.plan(new Blueprint(3L, Generator.DEFAULT, DType.FLOAT32, Layout.PYTORCH,
					Seeding.PER_TENSOR, null, List.of(), model, List.of(), true, false), OutputFormat.SAFETENSORS,
					null))
			.satisfies(ex -> assertThat(ex.getBody().getProperties())
				.containsEntry("property", "initlab.generation.max-tensors")
				.containsEntry("limit", 4096L));
	}

	private static Plan plan(DType dtype, List<InitOverride> overrides, OutputFormat format) {
		Model model = Model.of(CONV_BN, Map.of());
		return PLANNER.plan(new Blueprint(3L, Generator.DEFAULT, dtype, Layout.PYTORCH, Seeding.PER_TENSOR, null,
				List.of(), model, overrides, true, true), format, null);
	}

	private static byte[] write(Plan plan, OutputFormat format) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		new TensorFile(plan, format).writeTo(out);
		return out.toByteArray();
	}

}
