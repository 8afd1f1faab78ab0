package dev.initlab.init;

/**
 * An initializer that a request names but that cannot be built: an unknown scheme or
 * preset, a parameter out of range, or a scheme that cannot apply to the tensor.
 */
public class InvalidInitializerException extends RuntimeException {

	private final String field;

	/**
	 * @param field the offending field relative to the initializer object
	 * ({@code "scheme"}, {@code "gain"}, ...)
	 * @param message what is wrong and what is allowed
	 */
	public InvalidInitializerException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return this.field;
	}

}
