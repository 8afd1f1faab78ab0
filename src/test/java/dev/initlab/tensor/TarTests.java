package dev.initlab.tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link Tar} against the archive Python's {@code tarfile} writes of the same two files
 * ({@code src/test/resources/reference/checkpoints/tar/}, made by {@code make_tar.py}
 * there): the same bytes up to the end-of-archive blocks, and only zeros after them
 * ({@code tarfile} pads to its 10240-byte record).
 */
class TarTests {

	static final Path REFERENCE = Path.of("src/test/resources/reference/checkpoints/tar/two_files.tar");

	static List<DirectoryFile> twoFiles() {
		byte[] weights = new byte[1000];
		for (int i = 0; i < weights.length; i++) {
			weights[i] = (byte) (i % 251);
		}
		return List.of(DirectoryFile.of("config.json", "{\n  \"a\": 1\n}\n".getBytes(StandardCharsets.UTF_8)),
				new DirectoryFile("weights/model.safetensors", weights.length, (out) -> {
					// in pieces, as a generated file is written
					out.write(weights, 0, 300);
					out.write(weights, 300, 700);
				}));
	}

	static byte[] written(List<DirectoryFile> files) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Tar.write(files, out);
		return out.toByteArray();
	}

	@Test
	void writesWhatPythonsTarfileWrites() throws IOException {
		byte[] ours = written(twoFiles());
		byte[] python = Files.readAllBytes(REFERENCE);
		assertThat(ours).hasSize(512 + 512 + 512 + 1024 + 1024);
		assertThat(Tar.size(twoFiles())).isEqualTo(ours.length);
		assertThat(Arrays.copyOf(python, ours.length)).isEqualTo(ours);
		assertThat(Arrays.copyOfRange(python, ours.length, python.length)).containsOnly((byte) 0);
	}

	@Test
	void anotherFileIsAnotherArchive() throws IOException {
		// negative control: one changed byte of content, or a changed name, is seen
		byte[] python = Files.readAllBytes(REFERENCE);
		List<DirectoryFile> changed = List.of(twoFiles().get(0),
				DirectoryFile.of("weights/model.safetensors", new byte[1000]));
		assertThat(Arrays.copyOf(python, (int) Tar.size(changed))).isNotEqualTo(written(changed));
		List<DirectoryFile> renamed = List.of(DirectoryFile.of("config.jsn", "{\n  \"a\": 1\n}\n".getBytes()),
				twoFiles().get(1));
		assertThat(Arrays.copyOf(python, (int) Tar.size(renamed))).isNotEqualTo(written(renamed));
	}

	@Test
	void aWriterThatBreaksItsSizeFails() {
		List<DirectoryFile> lying = List.of(new DirectoryFile("a.bin", 10, (out) -> out.write(new byte[9])));
		assertThatIllegalStateException().isThrownBy(() -> written(lying))
			.withMessage("a.bin was announced as 10 bytes but 9 were written");
	}

	@Test
	void namesAreRelativeAndShort() {
		for (String name : new String[] { "", "/etc/passwd", "../x", "x".repeat(90) }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> Tar.size(List.of(DirectoryFile.of(name, new byte[1]))));
		}
	}

	@Test
	void filesOf8GiBAndMoreGetAPaxSizeRecord() throws IOException {
		// the ustar size field holds 11 octal digits: 8 GiB - 1 at most
		long big = Tar.USTAR_MAX_SIZE + 1;
		assertThat(new String(Tar.paxRecord(big), StandardCharsets.US_ASCII)).isEqualTo("19 size=8589934592\n");
		assertThat(new String(Tar.paxRecord(5), StandardCharsets.US_ASCII)).isEqualTo("9 size=5\n");
		assertThat(new String(Tar.paxRecord(12345678), StandardCharsets.US_ASCII)).isEqualTo("17 size=12345678\n");
		DirectoryFile huge = new DirectoryFile("model.safetensors", big, (out) -> writeZeros(out, big));
		assertThat(Tar.size(List.of(huge))).isEqualTo(512 + 512 + 512 + big + 1024);
		CountingSink sink = new CountingSink();
		Tar.write(List.of(huge), sink);
		assertThat(sink.count).isEqualTo(Tar.size(List.of(huge)));
		byte[] pax = Arrays.copyOf(sink.head, 512);
		assertThat(pax[156]).isEqualTo((byte) 'x');
		assertThat(new String(sink.head, 512, 19, StandardCharsets.US_ASCII)).isEqualTo("19 size=8589934592\n");
	}

	private static void writeZeros(OutputStream out, long n) throws IOException {
		byte[] zeros = new byte[1 << 20];
		for (long left = n; left > 0; left -= zeros.length) {
			out.write(zeros, 0, (int) Math.min(zeros.length, left));
		}
	}

	/** Counts bytes, keeping the first 1536. */
	private static final class CountingSink extends OutputStream {

		final byte[] head = new byte[1536];

		long count;

		@Override
		public void write(int b) {
			if (this.count < this.head.length) {
				this.head[(int) this.count] = (byte) b;
			}
			this.count++;
		}

		@Override
		public void write(byte[] b, int off, int len) {
			int keep = (int) Math.max(0, Math.min(len, this.head.length - this.count));
			if (keep > 0) {
				System.arraycopy(b, off, this.head, (int) this.count, keep);
			}
			this.count += len;
		}

	}

}
