package dev.initlab.api;

import java.io.IOException;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Component;

import dev.initlab.checkpoints.CheckpointFile;

/**
 * Streams bytes {@code [from, to)} of a checkpoint file into the response body as they
 * are generated.
 */
@Component
class CheckpointSliceConverter extends AbstractHttpMessageConverter<CheckpointSliceConverter.Slice> {

	/**
	 * Bytes {@code [from, to)} of a file.
	 */
	record Slice(CheckpointFile file, long from, long to) {
	}

	CheckpointSliceConverter() {
		super(MediaType.ALL);
	}

	@Override
	protected boolean supports(Class<?> clazz) {
		return Slice.class.isAssignableFrom(clazz);
	}

	@Override
	protected boolean canRead(MediaType mediaType) {
		return false;
	}

	@Override
	protected Slice readInternal(Class<? extends Slice> clazz, HttpInputMessage inputMessage) {
		throw new HttpMessageNotReadableException("checkpoint files are written, not read", inputMessage);
	}

	@Override
	protected Long getContentLength(Slice slice, MediaType contentType) {
		return slice.to() - slice.from();
	}

	@Override
	protected void writeInternal(Slice slice, HttpOutputMessage outputMessage) throws IOException {
		slice.file().write(slice.from(), slice.to(), outputMessage.getBody());
	}

}
