package dev.initlab.models;

import dev.initlab.init.InitSpec;

/**
 * An initializer and the library rule it comes from.
 *
 * @param init the initializer (an existing scheme with its parameters)
 * @param rule the rule in words, as {@link Rule#rule()}, with numbers filled in where
 * that helps a user check it ({@code "GPT2 residual projection: normal(0,
 * initializer_range/sqrt(2*n_layer)) = normal(0, 0.0040824829)"})
 */
public record InitRule(InitSpec init, String rule) {

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
