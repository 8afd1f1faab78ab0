package dev.initlab.checkpoints;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One file of a checkpoint directory: its name, exact size and media type, and a writer
 * of any byte range of it. Implementations: {@link SafetensorsShard} (generated on the
 * fly), {@link JsonFile} (small, held in memory: the index, {@code config.json}).
 */
public interface CheckpointFile {

	/** The file name, as {@code save_pretrained} names it. */
	String name();

	/** The exact size in bytes. */
	long size();

	/** The media type it is served with. */
	String mediaType();

	/**
	 * Writes bytes {@code [from, to)} of the file, {@code 0 <= from < to <= size()}; does
	 * not close {@code out}.
	 */
	void write(long from, long to, OutputStream out) throws IOException;

	/**
	 * The elements (8 bytes each) writing a range holds at its peak, for admission
	 * control.
	 */
	long peakElements();

}
