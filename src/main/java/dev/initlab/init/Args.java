package dev.initlab.init;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scheme's arguments, validated against its {@link Param}s: unknown names, wrong types
 * and out-of-range values are rejected here, so schemes only read valid values.
 */
final class Args {

	private final Map<String, Object> values;

	private final Map<String, Object> given;

	private Args(Map<String, Object> values, Map<String, Object> given) {
		this.values = values;
		this.given = given;
	}

	static Args validate(Scheme scheme, Map<String, Object> raw) {
		Map<String, Object> values = new LinkedHashMap<>();
		Map<String, Object> given = new LinkedHashMap<>();
		List<String> known = scheme.parameters().stream().map(Param::name).toList();
		for (String key : raw.keySet()) {
			if (!known.contains(key)) {
				throw new InvalidInitializerException(key, "unknown parameter '" + key + "' of scheme '"
						+ scheme.wireName() + "'; "
						+ (known.isEmpty() ? "it takes no parameters" : "allowed: " + String.join(", ", known)));
			}
		}
		for (Param param : scheme.parameters()) {
			Object value = raw.get(param.name());
			if (value == null) {
				if (param.required()) {
					throw new InvalidInitializerException(param.name(), "scheme '" + scheme.wireName()
							+ "' requires parameter '" + param.name() + "' (" + param.description() + ")");
				}
				values.put(param.name(), param.defaultValue());
				continue;
			}
			Object checked = check(scheme, param, value);
			values.put(param.name(), checked);
			given.put(param.name(), checked);
		}
		return new Args(values, given);
	}

	private static Object check(Scheme scheme, Param param, Object value) {
		String where = "parameter '" + param.name() + "' of scheme '" + scheme.wireName() + "'";
		switch (param.type()) {
			case "number", "integer" -> {
				if (!(value instanceof Number number) || value instanceof Boolean) {
					throw new InvalidInitializerException(param.name(), where + " must be a " + param.type());
				}
				double d = number.doubleValue();
				if (!Double.isFinite(d)) {
					throw new InvalidInitializerException(param.name(), where + " must be finite");
				}
				if (param.type().equals("integer") && d != Math.rint(d)) {
					throw new InvalidInitializerException(param.name(), where + " must be an integer, got " + value);
				}
				if ((param.min() != null && d < param.min()) || (param.max() != null && d > param.max())) {
					throw new InvalidInitializerException(param.name(), where + " must be in [" + bound(param.min())
							+ ", " + bound(param.max()) + "], got " + value);
				}
				return param.type().equals("integer") ? (Object) (int) d : (Object) d;
			}
			default -> {
				if (!(value instanceof String s)) {
					throw new InvalidInitializerException(param.name(),
							where + " must be a string; allowed: " + String.join(", ", param.allowed()));
				}
				if (!param.allowed().isEmpty() && !param.allowed().contains(s)) {
					throw new InvalidInitializerException(param.name(),
							where + " is '" + s + "'; allowed: " + String.join(", ", param.allowed()));
				}
				return s;
			}
		}
	}

	private static String bound(Double b) {
		if (b == null) {
			return "…";
		}
		return (b == Math.rint(b) && Math.abs(b) < 1e15) ? Long.toString(b.longValue()) : b.toString();
	}

	double number(String name) {
		return ((Number) this.values.get(name)).doubleValue();
	}

	Double optionalNumber(String name) {
		Object v = this.values.get(name);
		return (v != null) ? ((Number) v).doubleValue() : null;
	}

	Integer optionalInt(String name) {
		Object v = this.values.get(name);
		return (v != null) ? ((Number) v).intValue() : null;
	}

	String string(String name) {
		return (String) this.values.get(name);
	}

	boolean isGiven(String name) {
		return this.given.containsKey(name);
	}

}
