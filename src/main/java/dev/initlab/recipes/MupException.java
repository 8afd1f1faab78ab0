package dev.initlab.recipes;

/**
 * A model or an option μP cannot be applied to as {@code microsoft/mup} would, with the
 * tensor and the reason in the message (the caller reports it as a client error).
 */
public class MupException extends RuntimeException {

	public MupException(String message) {
		super(message);
	}

}
