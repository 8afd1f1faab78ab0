package dev.initlab.api;

import java.io.IOException;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * A converter for response bodies that are written as they are generated and never read:
 * the subclass gives the exact length (so {@code Content-Length} is known before the
 * first byte) and writes the bytes.
 *
 * @param <T> the body type
 */
abstract class WriteOnlyConverter<T> extends AbstractHttpMessageConverter<T> {

	private final Class<T> type;

	private final String what;

	/**
	 * @param type the body type it writes
	 * @param what what the bodies are, for the message of a read attempt
	 */
	WriteOnlyConverter(Class<T> type, String what, MediaType... mediaTypes) {
		super(mediaTypes);
		this.type = type;
		this.what = what;
	}

	@Override
	protected final boolean supports(Class<?> clazz) {
		return this.type.isAssignableFrom(clazz);
	}

	@Override
	protected final boolean canRead(MediaType mediaType) {
		return false;
	}

	@Override
	protected final T readInternal(Class<? extends T> clazz, HttpInputMessage inputMessage) {
		throw new HttpMessageNotReadableException(this.what + " are written, not read", inputMessage);
	}

	@Override
	protected abstract Long getContentLength(T body, MediaType contentType);

	@Override
	protected abstract void writeInternal(T body, HttpOutputMessage outputMessage) throws IOException;

}
