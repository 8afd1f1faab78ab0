package dev.initlab.training;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * One trained network's story: its history, its final state and a verdict.
 *
 * @param history recorded entries, iteration 0 first, the last iteration last
 * @param finalEntry the last entry plus {@code test_accuracy}
 * @param verdict one sentence a student can read
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Report(List<HistoryEntry> history, @JsonProperty("final") Final finalEntry, String verdict) {

	/** The report of a finished history (whose last entry carries the test accuracy). */
	public static Report of(List<HistoryEntry> history, String verdict) {
		return new Report(history.stream().map(HistoryEntry::withoutTestAccuracy).toList(),
				Final.of(history.get(history.size() - 1)), verdict);
	}

	/**
	 * The last history entry plus {@code test_accuracy}, always present (null without a
	 * test split).
	 *
	 * @param entry the last entry
	 * @param testAccuracy fraction of test samples classified right, or null
	 */
	public record Final(@JsonUnwrapped HistoryEntry entry,
			@JsonInclude(JsonInclude.Include.ALWAYS) Double testAccuracy) {

		public static Final of(HistoryEntry last) {
			return new Final(last.withoutTestAccuracy(), last.testAccuracy());
		}

	}

}
