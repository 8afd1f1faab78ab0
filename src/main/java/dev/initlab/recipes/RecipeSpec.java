package dev.initlab.recipes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A recipe as a request names it: {@code {"name": "deepnorm"}}, {@code {"name":
 * "scaled_residual", "factor": 2, "per_layer": true}} — the name and its parameters side
 * by side, flat like an initializer.
 *
 * @param name the recipe's wire name
 * @param params the other fields, checked against the recipe's parameters
 */
public record RecipeSpec(String name, @JsonIgnore Map<String, Object> params) {

	public RecipeSpec {
		params = Collections.unmodifiableMap(new LinkedHashMap<>((params != null) ? params : Map.of()));
	}

	/** Reads the flat JSON object. */
	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	static RecipeSpec fromJson(Map<String, Object> fields) {
		Map<String, Object> params = new LinkedHashMap<>(fields);
		Object name = params.remove("name");
		return new RecipeSpec((name != null) ? name.toString() : null, params);
	}

	/** A recipe with its parameters as key, value pairs. */
	public static RecipeSpec of(String name, Object... keyValues) {
		Map<String, Object> params = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			params.put((String) keyValues[i], keyValues[i + 1]);
		}
		return new RecipeSpec(name, params);
	}

	@JsonAnyGetter
	Map<String, Object> jsonParams() {
		return this.params;
	}

}
