package dev.initlab.recipes;

import java.util.Map;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Initializer;

/**
 * What a recipe does to one tensor: a new initializer (an {@link InitSpec} the planner
 * resolves like any other, or an {@link Initializer} built by the recipe, for packed
 * projections and joint draws), the words that say so, and any per-tensor quantities it
 * reports.
 *
 * @param init the new initializer, or null when {@code initializer} is given or the
 * tensor keeps its own
 * @param initializer a resolved initializer with its report (packed, mimetic), or null
 * @param text the step as reported in the tensor's {@code init.recipe}
 * @param extra per-tensor quantities reported beside the init (μP's {@code mup}), or an
 * empty map
 * @param stream the name of the random stream group this tensor draws from together with
 * others (mimetic's query and key), or null for its own
 */
public record Step(InitSpec init, Initializer initializer, String text, Map<String, Object> extra, String stream) {

	public Step {
		extra = java.util.Collections
			.unmodifiableMap(new java.util.LinkedHashMap<>((extra != null) ? extra : Map.of()));
	}

	/** The tensor gets {@code init}. */
	public static Step of(InitSpec init, String text) {
		return new Step(init, null, text, Map.of(), null);
	}

	/** The tensor keeps what it had; the text says why. */
	public static Step unchanged(String text) {
		return new Step(null, null, text, Map.of(), null);
	}

	/** Whether the tensor keeps what it had. */
	public boolean keeps() {
		return this.init == null && this.initializer == null;
	}

}
