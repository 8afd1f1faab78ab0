package dev.initlab.models;

import java.util.List;

/**
 * An architecture's config that the library would refuse, or that cannot be built: an
 * unknown field, a value of the wrong type, heads that do not divide the width, a
 * non-positive size. The API reports each problem under {@code model.config.<field>}.
 */
public class InvalidConfigException extends RuntimeException {

	private final List<Problem> problems;

	/** One config field at fault. */
	public InvalidConfigException(String field, String message) {
		this(List.of(new Problem(field, message)));
	}

	/** Several config fields at fault. */
	public InvalidConfigException(List<Problem> problems) {
		super(problems.get(0).field() + ": " + problems.get(0).message());
		this.problems = List.copyOf(problems);
	}

	/** The fields at fault, in config order. */
	public List<Problem> problems() {
		return this.problems;
	}

	/**
	 * @param field the config field's name ({@code n_head})
	 * @param message what is wrong and what is allowed
	 */
	public record Problem(String field, String message) {
	}

}
