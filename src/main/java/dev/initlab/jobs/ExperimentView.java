package dev.initlab.jobs;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.initlab.training.HistoryEntry;
import dev.initlab.training.Report;

/**
 * An experiment as {@code GET /api/v1/experiments/{id}} shows it.
 *
 * @param id the job id
 * @param status queued, running, succeeded, failed or cancelled
 * @param seed the seed used
 * @param durationMs time from start to end (or to now)
 * @param error why it failed, when it did
 * @param results one per policy, in request order; histories so far while running
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentView(String id, JobStatus status, long seed, long durationMs, String error,
		List<Result> results) {

	/**
	 * @param label the policy's label
	 * @param history recorded entries, iteration 0 first
	 * @param finalEntry the last entry with the test accuracy (when done)
	 * @param verdict one sentence (when done)
	 * @param lsuvIterations with LSUV, the rescalings each linear layer took, input to
	 * output (null for layers LSUV left alone); absent without LSUV
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Result(String label, List<HistoryEntry> history, @JsonProperty("final") Report.Final finalEntry,
			String verdict, @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> lsuvIterations) {
	}

}
