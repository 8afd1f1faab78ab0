package dev.initlab.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.initlab.generation.GeneratedTensor;
import dev.initlab.generation.Plan;
import dev.initlab.training.Report;

/**
 * The JSON answer of {@code POST /api/v1/initializations}. Its {@code tensors} list is
 * lazy: each tensor is generated when the JSON writer reaches it, so the response streams
 * without ever holding more than one tensor.
 *
 * @param seed the seed used (echoed, or drawn)
 * @param rng the generator
 * @param dtype element type
 * @param layout naming and axis order
 * @param seeding stream derivation
 * @param parameterCount total elements
 * @param tensors the tensors in layer order
 * @param symmetryReport the symmetry check's report, when one was asked for
 * @param recipe what the request's recipe resolved to: its parameters, constants and what
 * must be applied in code, when there was one
 */
public record InitializationResponse(long seed, String rng, String dtype, String layout, String seeding,
		long parameterCount, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> recipe,
		List<GeneratedTensor> tensors, @JsonInclude(JsonInclude.Include.NON_NULL) Report symmetryReport) {

	/** This response with a symmetry report. */
	public InitializationResponse withSymmetryReport(Report report) {
		return new InitializationResponse(this.seed, this.rng, this.dtype, this.layout, this.seeding,
				this.parameterCount, this.recipe, this.tensors, report);
	}

	/** The response of a plan; tensors are generated as they are read, in order. */
	public static InitializationResponse of(Plan plan) {
		return new InitializationResponse(plan.seed(), plan.generator().wireName(), plan.dtype().wireName(),
				plan.layout().wireName(), plan.seeding().wireName(), plan.parameterCount(), plan.recipe(),
				GeneratedTensor.of(plan), null);
	}

}
