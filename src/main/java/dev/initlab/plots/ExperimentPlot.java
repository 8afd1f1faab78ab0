package dev.initlab.plots;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The plots of {@code GET /api/v1/experiments/{id}/plots/{kind}.svg}, by wire name, in
 * the order the API lists them.
 */
public enum ExperimentPlot {

	/** The loss by iteration, log y. */
	LOSS("loss"),

	/** The training accuracy by iteration, 0 to 1. */
	ACCURACY("accuracy"),

	/** The distinct hidden units by iteration. */
	SYMMETRY("symmetry");

	private final String wireName;

	ExperimentPlot(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	public static Optional<ExperimentPlot> byName(String name) {
		return Arrays.stream(values()).filter((p) -> p.wireName.equals(name)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(ExperimentPlot::wireName).toList();
	}

}
