package dev.initlab.tensor;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A POSIX tar archive (ustar, POSIX.1-1988; a pax extended header, POSIX.1-2001, for a
 * file of 8 GiB or more, whose size the 11 octal digits of a ustar header cannot hold) of
 * {@link DirectoryFile}s, written as the files are generated. Its size is known before a
 * byte is written ({@link #size}), so a response can announce its {@code Content-Length}.
 * The bytes depend only on the files: every entry is a regular file, mode 0644, owner
 * 0/0, modification time 0 (1970-01-01), so the same files give the same archive.
 * Python's {@code tarfile}, GNU tar and bsdtar read it.
 */
public final class Tar {

	static final int BLOCK = 512;

	/** The largest size a ustar header holds: 11 octal digits. */
	static final long USTAR_MAX_SIZE = 077777777777L;

	private Tar() {
	}

	/** The archive's exact size in bytes. */
	public static long size(List<DirectoryFile> files) {
		long total = 2 * BLOCK; // the end-of-archive marker
		for (DirectoryFile f : files) {
			check(f);
			if (f.size() > USTAR_MAX_SIZE) {
				total += BLOCK + padded(paxRecord(f.size()).length);
			}
			total += BLOCK + padded(f.size());
		}
		return total;
	}

	/**
	 * Writes the archive; does not close {@code out}.
	 * @throws IllegalStateException when a file's writer writes another number of bytes
	 * than its size says
	 */
	public static void write(List<DirectoryFile> files, OutputStream out) throws IOException {
		for (DirectoryFile f : files) {
			check(f);
			if (f.size() > USTAR_MAX_SIZE) {
				byte[] pax = paxRecord(f.size());
				out.write(header("PaxHeaders/" + f.name(), pax.length, (byte) 'x'));
				out.write(pax);
				pad(pax.length, out);
			}
			out.write(header(f.name(), Math.min(f.size(), USTAR_MAX_SIZE), (byte) '0'));
			Counting counting = new Counting(out);
			f.writer().writeTo(counting);
			if (counting.count != f.size()) {
				throw new IllegalStateException(
						f.name() + " was announced as " + f.size() + " bytes but " + counting.count + " were written");
			}
			pad(f.size(), out);
		}
		out.write(new byte[2 * BLOCK]);
	}

	private static void check(DirectoryFile f) {
		byte[] name = f.name().getBytes(StandardCharsets.UTF_8);
		if (name.length == 0 || name.length > 100 - "PaxHeaders/".length() || f.name().startsWith("/")
				|| f.name().contains("..")) {
			throw new IllegalArgumentException("not a tar entry name (relative, 1 to 89 bytes): " + f.name());
		}
	}

	private static long padded(long size) {
		return (size + BLOCK - 1) / BLOCK * BLOCK;
	}

	private static void pad(long size, OutputStream out) throws IOException {
		int rest = (int) (padded(size) - size);
		if (rest > 0) {
			out.write(new byte[rest]);
		}
	}

	/**
	 * The pax record {@code "<length> size=<size>\n"}, whose length counts its own
	 * digits.
	 */
	static byte[] paxRecord(long size) {
		String body = " size=" + size + "\n";
		int length = body.length() + 1;
		while (Integer.toString(length).length() + body.length() != length) {
			length++;
		}
		return (length + body).getBytes(StandardCharsets.US_ASCII);
	}

	/** A ustar header block (device numbers left empty, as Python's tarfile does). */
	static byte[] header(String name, long size, byte type) {
		byte[] h = new byte[BLOCK];
		byte[] n = name.getBytes(StandardCharsets.UTF_8);
		System.arraycopy(n, 0, h, 0, n.length);
		octal(h, 100, 8, 0644);
		octal(h, 108, 8, 0);
		octal(h, 116, 8, 0);
		octal(h, 124, 12, size);
		octal(h, 136, 12, 0);
		h[156] = type;
		ascii(h, 257, "ustar\0");
		ascii(h, 263, "00");
		// the checksum is computed with its own field as eight spaces
		ascii(h, 148, "        ");
		long sum = 0;
		for (byte b : h) {
			sum += b & 0xff;
		}
		String digits = String.format("%06o", sum);
		ascii(h, 148, digits + "\0 ");
		return h;
	}

	/** {@code width - 1} zero-padded octal digits and a NUL. */
	private static void octal(byte[] h, int offset, int width, long value) {
		String digits = Long.toOctalString(value);
		String padded = "0".repeat(width - 1 - digits.length()) + digits;
		ascii(h, offset, padded + "\0");
	}

	private static void ascii(byte[] h, int offset, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
		System.arraycopy(bytes, 0, h, offset, bytes.length);
	}

	/** Counts what a file's writer writes. */
	private static final class Counting extends FilterOutputStream {

		long count;

		Counting(OutputStream out) {
			super(out);
		}

		@Override
		public void write(int b) throws IOException {
			this.out.write(b);
			this.count++;
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.out.write(b, off, len);
			this.count += len;
		}

		@Override
		public void close() {
			// the archive's stream stays open
		}

	}

}
