package dev.initlab.generation;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.api.InitializationRequest;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.LimitExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Requests the planner must refuse with a 4xx, each first answered with a 500 to the
 * hostile-input tests.
 */
class PlannerRejectionTests {

	static final JsonMapper JSON = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	final Planner planner = new Planner(new GenerationLimits(1 << 28, 1 << 22, 4096, 1 << 24));

	/**
	 * The tensor limit holds before a tensor is built: an LSTM with {@code num_layers}
	 * 2^31 - 1 made the planner build billions of tensor descriptions, and the server ran
	 * out of memory.
	 */
	@Test
	void billionsOfStackedLayersAreRefusedByCountNotBuilt() {
		InitializationRequest request = request("""
				{"layers": [{"name": "lstm", "type": "lstm", "input_size": 16, "hidden_size": 32,
				             "num_layers": 2147483647, "bidirectional": true}]}""");
		assertThatExceptionOfType(LimitExceededException.class)
			.isThrownBy(() -> request.plan(this.planner, OutputFormat.NPZ, null))
			.satisfies((ex) -> {
				assertThat(ex.getBody().getProperties()).containsEntry("property", "initlab.generation.max-tensors")
					.containsEntry("requested", 2147483647L * 2 * 4)
					.containsEntry("limit", 4096L);
			});
	}

	@Test
	void theCountAddsUpAcrossLayers() {
		// 1024 stacked LSTM layers × 4 tensors = 4096, the limit; one linear layer more
		// is over it
		String lstm = """
				{"name": "lstm", "type": "lstm", "input_size": 4, "hidden_size": 4, "num_layers": 1024}""";
		String linear = """
				{"name": "fc", "type": "linear", "in_features": 4, "out_features": 4}""";
		assertThat(request("{\"layers\": [" + lstm + "]}").plan(this.planner, OutputFormat.NPZ, null).tensors())
			.hasSize(4096);
		assertThatExceptionOfType(LimitExceededException.class)
			.isThrownBy(() -> request("{\"layers\": [" + lstm + ", " + linear + "]}").plan(this.planner,
					OutputFormat.NPZ, null))
			.satisfies((ex) -> assertThat(ex.getBody().getProperties()).containsEntry("requested", 4098L));
	}

	/** {@code "include": [null]} was a NullPointerException in the check of its items. */
	@Test
	void aNullIncludeItemIsAnUnknownItem() {
		InitializationRequest request = request("""
				{"layers": [{"name": "fc", "type": "linear", "in_features": 2, "out_features": 2}],
				 "include": ["stats", null]}""");
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> request.plan(this.planner, OutputFormat.JSON, null))
			.satisfies((ex) -> assertThat(ex.getBody().getDetail()).startsWith("include[1]: unknown item 'null'")
				.contains("allowed: stats, data"));
	}

	/**
	 * safetensors keeps its metadata under the key {@code __metadata__}: a tensor of that
	 * name took its place in the header, and neither safetensors nor initlab could read
	 * the file back ("invalid type: sequence, expected a string").
	 */
	@Test
	void aTensorNamedLikeSafetensorsMetadataIsRefusedForSafetensors() {
		InitializationRequest request = request("""
				{"layers": [{"name": "__metadata__", "type": "tensor", "shape": [2, 2]}]}""");
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> request.plan(this.planner, OutputFormat.SAFETENSORS, null))
			.satisfies((ex) -> assertThat(ex.getBody().getDetail()).startsWith("layers[0].name: ")
				.contains("'__metadata__'")
				.contains("safetensors"));
		// the other formats can hold it
		assertThat(request.plan(this.planner, OutputFormat.NPZ, null).tensors()).hasSize(1);
		assertThat(request.plan(this.planner, OutputFormat.JSON, null).tensors()).hasSize(1);
	}

	private static InitializationRequest request(String json) {
		return JSON.readValue(json, InitializationRequest.class);
	}

}
