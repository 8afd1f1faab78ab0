package dev.initlab.experiments;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;
import dev.initlab.problems.InvalidRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Experiment requests that must be refused with a 4xx and once gave a 500. */
class ExperimentRunnerRejectionTests {

	static final JsonMapper JSON = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	final ExperimentRunner runner = new ExperimentRunner(
			new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24)),
			new ExperimentLimits(100000, 10000, 256, 8, 8, 1000, 20_000_000_000L, 1_000_000_000L, 100, 400, 1000));

	/**
	 * An inline dataset whose first sample is null: its feature count was read from it, a
	 * NullPointerException (found reviewing the code after the hostile-input tests found
	 * {@code "include": [null]}).
	 */
	@Test
	void anInlineDatasetWhoseFirstSampleIsNullNamesTheSample() {
		ExperimentRequest request = JSON.readValue("""
				{"dataset": {"name": "inline", "x": [null, [1.0, 2.0]], "y": [0, 1]},
				 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}""",
				ExperimentRequest.class);
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> this.runner.prepare(request))
			.satisfies((ex) -> assertThat(ex.getBody().getDetail()).startsWith("dataset.x[0]"));
	}

}
