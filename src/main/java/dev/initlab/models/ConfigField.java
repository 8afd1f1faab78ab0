package dev.initlab.models;

import java.util.List;

/**
 * One field of an architecture's config, as the library names it.
 *
 * @param name the library's field name ({@code n_embd})
 * @param type the value's type
 * @param defaultValue the library's default (null where the library's default is
 * {@code None})
 * @param description what it is, in a few words
 * @param nullable whether {@code null} is allowed (the library accepts {@code None})
 * @param allowed the allowed values of a string field (empty: any)
 * @param ignored whether the field is accepted but does not change the parameters
 * (dropout, epsilons, activation names, ...)
 */
public record ConfigField(String name, Type type, Object defaultValue, String description, boolean nullable,
		List<String> allowed, boolean ignored) {

	public ConfigField {
		allowed = List.copyOf(allowed);
	}

	/** JSON value types a config field takes. */
	public enum Type {

		/** A JSON integer that fits a Java {@code int}. */
		INTEGER("integer"),
		/** Any JSON number (integers included). */
		NUMBER("number"),
		/** {@code true} or {@code false}. */
		BOOLEAN("boolean"),
		/** A string, optionally from a closed list. */
		STRING("string"),
		/** A list of JSON integers, each fitting an {@code int}. */
		INTEGER_LIST("integer[]"),
		/** Any JSON value (accepted, not interpreted). */
		ANY("any");

		private final String wireName;

		Type(String wireName) {
			this.wireName = wireName;
		}

		public String wireName() {
			return this.wireName;
		}

	}

	/** An integer field. */
	public static ConfigField integer(String name, Integer defaultValue, String description) {
		return new ConfigField(name, Type.INTEGER, defaultValue, description, defaultValue == null, List.of(), false);
	}

	/** A number field. */
	public static ConfigField number(String name, Double defaultValue, String description) {
		return new ConfigField(name, Type.NUMBER, defaultValue, description, defaultValue == null, List.of(), false);
	}

	/** A boolean field. */
	public static ConfigField bool(String name, boolean defaultValue, String description) {
		return new ConfigField(name, Type.BOOLEAN, defaultValue, description, false, List.of(), false);
	}

	/** A string field taking one of {@code allowed}. */
	public static ConfigField choice(String name, String defaultValue, List<String> allowed, String description) {
		return new ConfigField(name, Type.STRING, defaultValue, description, defaultValue == null, allowed, false);
	}

	/**
	 * A field the library takes that does not change the parameters (dropout rates,
	 * epsilons, activation names, caching flags): accepted when of the right type, then
	 * ignored.
	 */
	public static ConfigField ignored(String name, Type type, Object defaultValue, String description) {
		return new ConfigField(name, type, defaultValue, description, true, List.of(), true);
	}

	/** This field accepting {@code null} (the library's {@code None}). */
	public ConfigField orNull() {
		return new ConfigField(this.name, this.type, this.defaultValue, this.description, true, this.allowed,
				this.ignored);
	}

}
