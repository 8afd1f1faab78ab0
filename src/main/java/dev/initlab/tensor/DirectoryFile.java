package dev.initlab.tensor;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One file of a directory that is generated, not stored (a Hugging Face directory's
 * {@code config.json} or {@code model.safetensors}): its name, its exact size, known
 * before a byte is written, and how to write it. A directory is a list of these, which a
 * {@link Tar} packs into one stream or a server serves one by one.
 *
 * @param name the file name (a relative path with {@code /} separators)
 * @param size the exact number of bytes {@code writer} writes
 * @param writer writes the file's bytes
 */
public record DirectoryFile(String name, long size, Writer writer) {

	public DirectoryFile {
		if (size < 0) {
			throw new IllegalArgumentException("negative size of " + name + ": " + size);
		}
	}

	/** A file of bytes held in memory (a small JSON file). */
	public static DirectoryFile of(String name, byte[] bytes) {
		byte[] copy = bytes.clone();
		return new DirectoryFile(name, copy.length, (out) -> out.write(copy));
	}

	/** Writes a file's bytes, exactly {@link DirectoryFile#size()} of them. */
	@FunctionalInterface
	public interface Writer {

		/** Writes the file; does not close {@code out}. */
		void writeTo(OutputStream out) throws IOException;

	}

}
