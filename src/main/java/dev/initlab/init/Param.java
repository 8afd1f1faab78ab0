package dev.initlab.init;

import java.util.List;

/**
 * One parameter of a scheme, as {@code GET /api/v1/schemes} lists it and as requests are
 * validated against it.
 *
 * @param name wire name
 * @param type {@code number}, {@code integer} or {@code string}
 * @param defaultValue the default, or {@code null} when required or derived (see
 * description)
 * @param min inclusive minimum, or null
 * @param max inclusive maximum, or null
 * @param allowed the allowed strings for a {@code string} parameter, else empty
 * @param required whether a request must give it
 * @param description what it does, including how a derived default is derived
 */
public record Param(String name, String type, Object defaultValue, Double min, Double max, List<String> allowed,
		boolean required, String description) {

	static Param number(String name, Double defaultValue, Double min, Double max, String description) {
		return new Param(name, "number", defaultValue, min, max, List.of(), false, description);
	}

	static Param requiredNumber(String name, Double min, Double max, String description) {
		return new Param(name, "number", null, min, max, List.of(), true, description);
	}

	static Param integer(String name, Integer defaultValue, Integer min, String description) {
		return new Param(name, "integer", defaultValue, (min != null) ? min.doubleValue() : null, null, List.of(),
				false, description);
	}

	static Param choice(String name, String defaultValue, List<String> allowed, String description) {
		return new Param(name, "string", defaultValue, null, null, allowed, false, description);
	}

	/** A nonlinearity name from the gain table. */
	static Param nonlinearity(String defaultValue, String description) {
		return new Param("nonlinearity", "string", defaultValue, null, null, Gain.SUPPORTED, false, description);
	}

}
