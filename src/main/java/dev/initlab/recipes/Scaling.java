package dev.initlab.recipes;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.initlab.init.InitSpec;
import dev.initlab.init.InvalidInitializerException;
import dev.initlab.init.ParameterSpec;

/**
 * An initializer with every value divided by a factor, written the way a user would write
 * it: {@code normal}'s std, {@code uniform}'s bounds and {@code truncated_normal}'s std
 * and cut-offs divided (the same distribution, scaled), any other scheme with the
 * reserved {@link InitSpec#SCALE} parameter.
 */
final class Scaling {

	private Scaling() {
	}

	/**
	 * {@code base}, resolved for {@code spec}, with every value divided by
	 * {@code divisor}.
	 * @throws InvalidRecipeException when {@code base} does not resolve for the tensor
	 */
	static InitSpec divide(InitSpec base, ParameterSpec spec, double divisor) {
		Map<String, Object> resolved;
		try {
			resolved = base.resolve(spec).resolved();
		}
		catch (InvalidInitializerException ex) {
			throw new InvalidRecipeException("", "the initializer of " + spec.name() + " (" + base.scheme()
					+ ") does not resolve: " + ex.getMessage());
		}
		String scheme = (String) resolved.get("scheme");
		boolean scaled = resolved.containsKey(InitSpec.SCALE);
		if (!scaled && scheme.equals("normal")) {
			return InitSpec.of("normal", "mean", number(resolved, "mean") / divisor, "std",
					number(resolved, "std") / divisor);
		}
		if (!scaled && scheme.equals("uniform")) {
			return InitSpec.of("uniform", "low", number(resolved, "low") / divisor, "high",
					number(resolved, "high") / divisor);
		}
		if (!scaled && scheme.equals("truncated_normal")) {
			return InitSpec.of("truncated_normal", "mean", number(resolved, "mean") / divisor, "std",
					number(resolved, "std") / divisor, "a", number(resolved, "a") / divisor, "b",
					number(resolved, "b") / divisor);
		}
		if (!scaled && (scheme.equals("zeros") || (scheme.equals("constant") && number(resolved, "value") == 0))) {
			return base;
		}
		Map<String, Object> params = new LinkedHashMap<>(base.params());
		Object previous = params.get(InitSpec.SCALE);
		double scale = ((previous instanceof Number n) ? n.doubleValue() : 1.0) / divisor;
		params.put(InitSpec.SCALE, scale);
		return new InitSpec(base.scheme(), params);
	}

	private static double number(Map<String, Object> resolved, String key) {
		return ((Number) resolved.get(key)).doubleValue();
	}

	/**
	 * Whether two initializers are the same for a tensor: the same scheme and parameters,
	 * numbers equal to 1e-12 relative (a recipe that reproduces what the library already
	 * does, written with another rounding).
	 */
	static boolean same(InitSpec a, InitSpec b, ParameterSpec spec) {
		if (a == null || b == null) {
			return false;
		}
		Map<String, Object> ra = a.resolve(spec).resolved();
		Map<String, Object> rb = b.resolve(spec).resolved();
		if (!ra.keySet().equals(rb.keySet())) {
			return false;
		}
		for (String key : ra.keySet()) {
			Object x = ra.get(key);
			Object y = rb.get(key);
			if (x instanceof Number n && y instanceof Number m) {
				double u = n.doubleValue();
				double v = m.doubleValue();
				if (Math.abs(u - v) > 1e-12 * Math.max(Math.abs(u), Math.abs(v))) {
					return false;
				}
			}
			else if (!java.util.Objects.equals(x, y)) {
				return false;
			}
		}
		return true;
	}

}
