package dev.initlab.api;

import java.io.IOException;

import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.TensorFile;

/**
 * Streams a {@link TensorFile} (npy, npz, safetensors, a Hugging Face directory's tar)
 * into the response body as it is generated.
 */
@Component
class TensorFileConverter extends WriteOnlyConverter<TensorFile> {

	static final MediaType NPY = MediaType.parseMediaType(OutputFormat.NPY.mediaType());

	static final MediaType NPZ = MediaType.parseMediaType(OutputFormat.NPZ.mediaType());

	static final MediaType SAFETENSORS = MediaType.parseMediaType(OutputFormat.SAFETENSORS.mediaType());

	static final MediaType TAR = MediaType.parseMediaType(OutputFormat.HF.mediaType());

	TensorFileConverter() {
		super(TensorFile.class, "tensor files", NPY, NPZ, SAFETENSORS, TAR);
	}

	@Override
	protected Long getContentLength(TensorFile file, MediaType contentType) {
		return file.contentLength();
	}

	@Override
	protected void writeInternal(TensorFile file, HttpOutputMessage outputMessage) throws IOException {
		file.writeTo(outputMessage.getBody());
	}

}
