package dev.initlab.recipes;

import java.util.List;

/**
 * A recipe that cannot be applied as asked: each problem names the field of the request's
 * {@code recipe} at fault ({@code name}, {@code factor}, {@code base_config.n_embd}, or
 * {@code ""} for the recipe as a whole).
 */
public class InvalidRecipeException extends RuntimeException {

	private final List<Problem> problems;

	public InvalidRecipeException(String field, String message) {
		this(List.of(new Problem(field, message)));
	}

	public InvalidRecipeException(List<Problem> problems) {
		super(problems.get(0).message());
		this.problems = List.copyOf(problems);
	}

	/** Every problem found. */
	public List<Problem> problems() {
		return this.problems;
	}

	/**
	 * @param field the field within {@code recipe}, or {@code ""} for the recipe itself
	 * @param message what is wrong and what is allowed
	 */
	public record Problem(String field, String message) {
	}

}
