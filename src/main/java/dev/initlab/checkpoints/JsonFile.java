package dev.initlab.checkpoints;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A small JSON file of a checkpoint, held as its bytes: the shard index, and
 * {@code config.json} for {@code transformers/*} architectures.
 *
 * @param name the file name
 * @param bytes its exact bytes
 */
public record JsonFile(String name, byte[] bytes) implements CheckpointFile {

	@Override
	public long size() {
		return this.bytes.length;
	}

	@Override
	public String mediaType() {
		return "application/json";
	}

	@Override
	public void write(long from, long to, OutputStream out) throws IOException {
		out.write(this.bytes, (int) from, (int) (to - from));
	}

	@Override
	public long peakElements() {
		return 1 + this.bytes.length / 8;
	}

}
