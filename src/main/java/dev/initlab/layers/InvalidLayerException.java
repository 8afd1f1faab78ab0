package dev.initlab.layers;

/** A layer whose fields do not describe a valid module. */
public class InvalidLayerException extends RuntimeException {

	private final String field;

	/**
	 * @param field the offending field of the layer object, in wire names
	 * @param message what is wrong and what is allowed
	 */
	public InvalidLayerException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return this.field;
	}

}
