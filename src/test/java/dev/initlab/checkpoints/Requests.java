package dev.initlab.checkpoints;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.api.InitializationRequest;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Planner;

/** Plans requests written as the wire writes them, without a server. */
final class Requests {

	static final JsonMapper JSON = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	static final Planner PLANNER = new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24));

	private Requests() {
	}

	static Plan plan(String json) {
		return JSON.readValue(json, InitializationRequest.class).plan(PLANNER, OutputFormat.SAFETENSORS, null);
	}

}
