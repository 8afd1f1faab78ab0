package dev.initlab.recipes;

import java.util.List;

/**
 * One parameter of a recipe, as the catalog lists it and requests give it.
 *
 * @param name the wire name
 * @param type {@code number}, {@code boolean}, {@code object} or {@code string}
 * @param defaultValue the value when absent, or null (none, or required: see
 * {@code required})
 * @param required whether a request must give it
 * @param allowed the allowed strings of a {@code string} parameter, else empty
 * @param description what it does
 */
public record RecipeParam(String name, String type, Object defaultValue, boolean required, List<String> allowed,
		String description) {

	public RecipeParam {
		allowed = List.copyOf(allowed);
	}

	/** A number ({@code > 0} is checked by the recipe). */
	public static RecipeParam number(String name, Double defaultValue, String description) {
		return new RecipeParam(name, "number", defaultValue, false, List.of(), description);
	}

	public static RecipeParam bool(String name, boolean defaultValue, String description) {
		return new RecipeParam(name, "boolean", defaultValue, false, List.of(), description);
	}

	/** A JSON object (a base model's config). */
	public static RecipeParam object(String name, String description) {
		return new RecipeParam(name, "object", null, false, List.of(), description);
	}

	/** A JSON array (a base model's layers). */
	public static RecipeParam array(String name, String description) {
		return new RecipeParam(name, "array", null, false, List.of(), description);
	}

	/** One of {@code allowed}. */
	public static RecipeParam choice(String name, String defaultValue, List<String> allowed, String description) {
		return new RecipeParam(name, "string", defaultValue, false, allowed, description);
	}

}
