package dev.initlab.models;

import dev.initlab.init.InitSpec;

/**
 * An initializer and the library rule it comes from.
 *
 * @param init the initializer (an existing scheme with its parameters)
 * @param rule the rule in words, as {@link Rule#rule()}, with numbers filled in where
 * that helps a user check it ({@code "GPT2 residual projection: normal(0,
 * initializer_range/sqrt(2*n_layer)) = normal(0, 0.0040824829)"})
 * @param undamped what the library would give without its own depth scaling of this
 * tensor (GPT-2's {@code normal(0, initializer_range)} for a residual projection), or
 * null when it has none: a depth-scaling recipe scales this instead, so it never
 * compounds with the library's
 */
public record InitRule(InitSpec init, String rule, InitSpec undamped) {

	public InitRule(InitSpec init, String rule) {
		this(init, rule, null);
	}

	/** This rule, marked as the library's depth scaling of {@code undamped}. */
	public InitRule damped(InitSpec undamped) {
		return new InitRule(this.init, this.rule, undamped);
	}

	/** {@code normal(mean 0, std)}. */
	public static InitRule normal(double std, String rule) {
		return new InitRule(InitSpec.of("normal", "mean", 0.0, "std", std), rule);
	}

	/** {@code zeros}. */
	public static InitRule zeros(String rule) {
		return new InitRule(InitSpec.of("zeros"), rule);
	}

	/** {@code ones}. */
	public static InitRule ones(String rule) {
		return new InitRule(InitSpec.of("ones"), rule);
	}

	/** Any scheme with its parameters as key, value pairs. */
	public static InitRule of(String rule, String scheme, Object... keyValues) {
		return new InitRule(InitSpec.of(scheme, keyValues), rule);
	}

}
