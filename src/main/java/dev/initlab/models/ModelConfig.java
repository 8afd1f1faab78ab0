package dev.initlab.models;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's {@code config} read against an architecture's declared fields: every value
 * type-checked, every omitted field at the library's default, an unknown field refused
 * (with the allowed ones listed). Typed getters give the values; a getter for a field the
 * architecture did not declare is a programming error.
 */
public final class ModelConfig {

	private final Map<String, ConfigField> fields;

	private final Map<String, Object> values;

	private final Map<String, Object> given;

	private ModelConfig(Map<String, ConfigField> fields, Map<String, Object> values, Map<String, Object> given) {
		this.fields = fields;
		this.values = values;
		this.given = given;
	}

	/**
	 * Reads {@code config} (the JSON object, or null for all defaults) against
	 * {@code declared}.
	 * @throws InvalidConfigException naming every field at fault
	 */
	public static ModelConfig parse(List<ConfigField> declared, Map<String, Object> config) {
		Map<String, ConfigField> fields = new LinkedHashMap<>();
		for (ConfigField f : declared) {
			fields.put(f.name(), f);
		}
		Map<String, Object> given = (config != null) ? config : Map.of();
		List<InvalidConfigException.Problem> problems = new ArrayList<>();
		Map<String, Object> values = new LinkedHashMap<>();
		for (String name : given.keySet()) {
			if (!fields.containsKey(name)) {
				problems.add(new InvalidConfigException.Problem(name,
						"unknown config field '" + name + "'; allowed: " + String.join(", ", fields.keySet())));
			}
		}
		for (ConfigField f : declared) {
			if (!given.containsKey(f.name())) {
				values.put(f.name(), f.defaultValue());
				continue;
			}
			try {
				values.put(f.name(), check(f, given.get(f.name())));
			}
			catch (IllegalArgumentException ex) {
				problems.add(new InvalidConfigException.Problem(f.name(), ex.getMessage()));
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidConfigException(problems);
		}
		Map<String, Object> copy = new LinkedHashMap<>();
		given.forEach(copy::put);
		return new ModelConfig(Collections.unmodifiableMap(fields), Collections.unmodifiableMap(values),
				Collections.unmodifiableMap(copy));
	}

	private static Object check(ConfigField f, Object value) {
		if (value == null) {
			if (!f.nullable()) {
				throw new IllegalArgumentException(f.name() + " must be a " + f.type().wireName() + ", not null");
			}
			return null;
		}
		return switch (f.type()) {
			case INTEGER -> integer(f.name(), value);
			case NUMBER -> {
				if (!(value instanceof Number n)) {
					throw new IllegalArgumentException(f.name() + " must be a number, got " + describe(value));
				}
				double d = n.doubleValue();
				if (!Double.isFinite(d)) {
					throw new IllegalArgumentException(f.name() + " must be a finite number, got " + value);
				}
				yield d;
			}
			case BOOLEAN -> {
				if (!(value instanceof Boolean)) {
					throw new IllegalArgumentException(f.name() + " must be true or false, got " + describe(value));
				}
				yield value;
			}
			case STRING -> {
				if (!(value instanceof String s)) {
					throw new IllegalArgumentException(f.name() + " must be a string, got " + describe(value));
				}
				if (!f.allowed().isEmpty() && !f.allowed().contains(s)) {
					throw new IllegalArgumentException("unknown " + f.name() + " '" + s + "'; allowed: "
							+ String.join(", ", f.allowed().stream().map(a -> "'" + a + "'").toList()));
				}
				yield s;
			}
			case INTEGER_LIST -> {
				if (!(value instanceof List<?> list)) {
					throw new IllegalArgumentException(
							f.name() + " must be a list of integers, got " + describe(value));
				}
				List<Integer> ints = new ArrayList<>();
				for (Object item : list) {
					ints.add(integer(f.name(), item));
				}
				yield List.copyOf(ints);
			}
			case ANY -> value;
		};
	}

	private static Integer integer(String name, Object value) {
		boolean integral = value instanceof Integer || value instanceof Long || value instanceof Short
				|| value instanceof BigInteger || (value instanceof BigDecimal b && b.scale() <= 0);
		if (!integral) {
			throw new IllegalArgumentException(name + " must be an integer, got " + describe(value));
		}
		BigInteger big = new BigDecimal(value.toString()).toBigIntegerExact();
		if (big.bitLength() > 31) {
			throw new IllegalArgumentException(name + " must be an integer in [" + Integer.MIN_VALUE + ", "
					+ Integer.MAX_VALUE + "], got " + value);
		}
		return big.intValue();
	}

	private static String describe(Object value) {
		String text = (value instanceof String s) ? "'" + s + "'" : String.valueOf(value);
		if (text.length() > 60) {
			text = text.substring(0, 60) + "…";
		}
		return text;
	}

	private Object value(String name) {
		if (!this.fields.containsKey(name)) {
			throw new IllegalArgumentException("config field '" + name + "' is not declared");
		}
		return this.values.get(name);
	}

	/** An integer field's value (the default when omitted); null only if nullable. */
	public Integer integer(String name) {
		return (Integer) value(name);
	}

	/**
	 * An integer field that must be at least {@code min}.
	 * @throws InvalidConfigException naming the field otherwise
	 */
	public int atLeast(String name, int min) {
		Integer v = integer(name);
		if (v == null || v < min) {
			throw new InvalidConfigException(name, name + " must be >= " + min + ", got " + v);
		}
		return v;
	}

	/**
	 * A positive integer field.
	 * @throws InvalidConfigException naming the field otherwise
	 */
	public int positive(String name) {
		return atLeast(name, 1);
	}

	/** A number field's value; null only if nullable. */
	public Double number(String name) {
		return (Double) value(name);
	}

	/** A boolean field's value. */
	public boolean bool(String name) {
		return (Boolean) value(name);
	}

	/** A string field's value; null only if nullable. */
	public String string(String name) {
		return (String) value(name);
	}

	/** An integer list field's value; null only if nullable. */
	@SuppressWarnings("unchecked")
	public List<Integer> integers(String name) {
		return (List<Integer>) value(name);
	}

	/** Whether the request gave the field (rather than leaving it at its default). */
	public boolean isGiven(String name) {
		value(name);
		return this.given.containsKey(name);
	}

	/**
	 * A collector of a build's findings, so one response names every config field at
	 * fault: its getters record a problem and return 0 instead of throwing;
	 * {@link Checks#done()} throws them all.
	 */
	public Checks checks() {
		return new Checks();
	}

	/** Checks of one build; see {@link #checks()}. */
	public final class Checks {

		private final List<InvalidConfigException.Problem> problems = new ArrayList<>();

		private Checks() {
		}

		/** {@link ModelConfig#atLeast}, recording a problem and giving 0. */
		public int atLeast(String name, int min) {
			try {
				return ModelConfig.this.atLeast(name, min);
			}
			catch (InvalidConfigException ex) {
				this.problems.addAll(ex.problems());
				return 0;
			}
		}

		/** {@link ModelConfig#positive}, recording a problem and giving 0. */
		public int positive(String name) {
			return atLeast(name, 1);
		}

		/** Records {@code message} for {@code field} unless {@code ok}. */
		public void require(boolean ok, String field, String message) {
			if (!ok) {
				this.problems.add(new InvalidConfigException.Problem(field, message));
			}
		}

		/** Whether no problem was found so far. */
		public boolean ok() {
			return this.problems.isEmpty();
		}

		/**
		 * @throws InvalidConfigException with every problem found, if any
		 */
		public void done() {
			if (!this.problems.isEmpty()) {
				throw new InvalidConfigException(this.problems);
			}
		}

	}

	/**
	 * Every declared field with its value (given or default), in declaration order: the
	 * resolved config a response can echo.
	 */
	public Map<String, Object> resolved() {
		return this.values;
	}

}
