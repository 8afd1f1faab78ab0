package dev.initlab.api;

import java.io.IOException;

import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import dev.initlab.checkpoints.CheckpointFile;

/**
 * Streams bytes {@code [from, to)} of a checkpoint file into the response body as they
 * are generated.
 */
@Component
class CheckpointSliceConverter extends WriteOnlyConverter<CheckpointSliceConverter.Slice> {

	/**
	 * Bytes {@code [from, to)} of a file.
	 */
	record Slice(CheckpointFile file, long from, long to) {
	}

	CheckpointSliceConverter() {
		super(Slice.class, "checkpoint files", MediaType.ALL);
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
