package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's recipe parameters checked against the recipe's declared ones: unknown names
 * and wrong types are problems naming the field and what is allowed; absent ones take
 * their defaults.
 */
public final class RecipeArgs {

	private final Map<String, Object> values = new LinkedHashMap<>();

	private final List<InvalidRecipeException.Problem> problems = new ArrayList<>();

	RecipeArgs(List<RecipeParam> declared, Map<String, Object> given) {
		List<String> names = declared.stream().map(RecipeParam::name).toList();
		for (String key : given.keySet()) {
			if (!names.contains(key)) {
				this.problems.add(new InvalidRecipeException.Problem(key, "unknown parameter '" + key + "'; allowed: "
						+ (names.isEmpty() ? "none (only name)" : String.join(", ", names))));
			}
		}
		for (RecipeParam p : declared) {
			Object v = given.get(p.name());
			if (v == null) {
				if (p.required()) {
					this.problems.add(new InvalidRecipeException.Problem(p.name(), p.name() + " is required"));
				}
				this.values.put(p.name(), p.defaultValue());
				continue;
			}
			boolean ok = switch (p.type()) {
				case "number" -> v instanceof Number n && Double.isFinite(n.doubleValue());
				case "boolean" -> v instanceof Boolean;
				case "object" -> v instanceof Map;
				case "array" -> v instanceof List;
				default -> v instanceof String s && p.allowed().contains(s);
			};
			if (!ok) {
				String what = switch (p.type()) {
					case "number" -> "a finite number";
					case "boolean" -> "true or false";
					case "object" -> "a JSON object";
					case "array" -> "a JSON array";
					default -> "one of: " + String.join(", ", p.allowed());
				};
				this.problems.add(new InvalidRecipeException.Problem(p.name(),
						p.name() + " must be " + what + ", got " + ((v instanceof String) ? "'" + v + "'" : v)));
				this.values.put(p.name(), p.defaultValue());
			}
			else {
				this.values.put(p.name(), (v instanceof Number n) ? (Object) n.doubleValue() : v);
			}
		}
	}

	/** A number parameter. */
	public double number(String name) {
		return ((Number) this.values.get(name)).doubleValue();
	}

	/** A number parameter that must be {@code > 0}; a problem otherwise. */
	public double positive(String name) {
		double v = number(name);
		if (!(v > 0)) {
			problem(name, name + " must be > 0, got " + v);
			return 1.0;
		}
		return v;
	}

	public boolean bool(String name) {
		return (Boolean) this.values.get(name);
	}

	public String string(String name) {
		return (String) this.values.get(name);
	}

	/** An object or array parameter, or null when absent. */
	public Object raw(String name) {
		return this.values.get(name);
	}

	/** Whether the request gave it. */
	public boolean given(String name, Map<String, Object> request) {
		return request.containsKey(name);
	}

	/** Records a problem with a field. */
	public void problem(String field, String message) {
		this.problems.add(new InvalidRecipeException.Problem(field, message));
	}

	/**
	 * Throws every problem found so far.
	 * @throws InvalidRecipeException when there is one
	 */
	public void done() {
		if (!this.problems.isEmpty()) {
			throw new InvalidRecipeException(this.problems);
		}
	}

	/** The resolved values, for the response's echo. */
	public Map<String, Object> values() {
		return this.values;
	}

}
