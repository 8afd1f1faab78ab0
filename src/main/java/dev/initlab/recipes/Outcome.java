package dev.initlab.recipes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a recipe did: a step per tensor (null where it left the tensor alone) and the
 * response's top-level {@code recipe}: its name, the resolved parameters and constants,
 * and what the user must apply in code.
 *
 * @param steps one per {@link Target#slots()} entry, null for untouched
 * @param echo the top-level {@code recipe} object, in a stable order
 */
public record Outcome(List<Step> steps, Map<String, Object> echo) {

	public Outcome {
		steps = Collections.unmodifiableList(new java.util.ArrayList<>(steps));
		echo = Collections.unmodifiableMap(new LinkedHashMap<>(echo));
	}

}
