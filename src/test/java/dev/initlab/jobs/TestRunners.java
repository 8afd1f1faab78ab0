package dev.initlab.jobs;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.experiments.ExperimentLimits;
import dev.initlab.experiments.ExperimentRequest;
import dev.initlab.experiments.ExperimentRunner;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;

/**
 * The jobs tests' experiment runner, with the default limits of application.properties,
 * and requests read as the API reads them (snake_case).
 */
final class TestRunners {

	static final JsonMapper JSON = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	private TestRunners() {
	}

	static ExperimentRunner runner() {
		return new ExperimentRunner(new Planner(new GenerationLimits(1 << 28, 1 << 22, 4096, 1 << 24)),
				new ExperimentLimits(100000, 10000, 256, 8, 8, 1000, 20_000_000_000L, 1_000_000_000L, 100, 400, 1000));
	}

	static ExperimentRunner.Prepared prepare(ExperimentRunner runner, String json) {
		return runner.prepare(JSON.readValue(json, ExperimentRequest.class));
	}

}
