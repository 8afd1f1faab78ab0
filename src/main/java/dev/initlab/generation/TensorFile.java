package dev.initlab.generation;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import tools.jackson.databind.json.JsonMapper;

import dev.initlab.tensor.Npy;
import dev.initlab.tensor.Safetensors;
import dev.initlab.tensor.Tar;

/**
 * A plan written as a binary file ({@code npy}, {@code npz}, {@code safetensors}, or a
 * Hugging Face directory as one tar), generated block by block straight into the output:
 * memory stays bounded whatever the tensor sizes.
 *
 * @param plan the plan
 * @param format a binary format
 * @param executor the pool that draws blocks in parallel, or null to draw on the writing
 * thread
 */
public record TensorFile(Plan plan, OutputFormat format, GenerationExecutor executor) {

	/** A file drawn on the writing thread. */
	public TensorFile(Plan plan, OutputFormat format) {
		this(plan, format, null);
	}

	private TensorSource source() {
		return (this.executor != null) ? this.executor.source(this.plan) : new TensorSource(this.plan);
	}

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** A file name for {@code Content-Disposition}. */
	public String fileName() {
		if (this.format == OutputFormat.NPY) {
			String name = this.plan.selected().get(0).spec().name().replaceAll("[^A-Za-z0-9._-]", "_");
			return name + ".npy";
		}
		return "initlab-" + this.plan.seed() + "." + this.format.extension();
	}

	/**
	 * The exact byte count where it is known in advance (npy, safetensors, hf), else
	 * null.
	 */
	public Long contentLength() {
		return switch (this.format) {
			case NPY -> {
				PlannedTensor t = this.plan.selected().get(0);
				yield Npy.fileSize(t.dtypeIn(this.plan.dtype()), t.spec().shape(), t.spec().numel());
			}
			case SAFETENSORS -> (long) safetensorsHeader().length + this.plan.byteCount();
			case HF -> Tar.size(directory().files());
			default -> null;
		};
	}

	private HfDirectory directory() {
		return new HfDirectory(this.plan, this.executor);
	}

	private byte[] safetensorsHeader() {
		List<Safetensors.Entry> entries = new ArrayList<>();
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("seed", Long.toString(this.plan.seed()));
		metadata.put("rng", this.plan.generator().wireName());
		metadata.put("dtype", this.plan.dtype().wireName());
		metadata.put("layout", this.plan.layout().wireName());
		metadata.put("seeding", this.plan.seeding().wireName());
		for (PlannedTensor t : this.plan.selected()) {
			entries.add(new Safetensors.Entry(t.spec().name(), t.dtypeIn(this.plan.dtype()), t.spec().shape(),
					t.spec().numel()));
			metadata.put("init." + t.spec().name(), JSON.writeValueAsString(t.init()));
		}
		return Safetensors.header(entries, metadata);
	}

	/** Writes the file; does not close {@code out}. */
	public void writeTo(OutputStream out) throws IOException {
		switch (this.format) {
			case NPY -> writeNpy(out);
			case NPZ -> writeNpz(out);
			case SAFETENSORS -> writeSafetensors(out);
			case HF -> Tar.write(directory().files(), out);
			default -> throw new IllegalStateException("not a binary format: " + this.format);
		}
		out.flush();
	}

	private void writeNpy(OutputStream out) throws IOException {
		try (TensorSource source = source()) {
			for (int i : this.plan.selectedIndices()) {
				source.skipTo(i);
				PlannedTensor t = this.plan.tensors().get(i);
				out.write(Npy.header(t.dtypeIn(this.plan.dtype()), t.spec().shape()));
				source.generateBytes(i, (bytes, len) -> out.write(bytes, 0, len));
			}
		}
	}

	private void writeNpz(OutputStream out) throws IOException {
		try (TensorSource source = source()) {
			writeNpz(out, source);
		}
	}

	private void writeNpz(OutputStream out, TensorSource source) throws IOException {
		ZipOutputStream zip = new ZipOutputStream(new NonClosing(out));
		// Random floats do not compress: deflate at level 0 stores them, and lets the zip
		// be
		// streamed (sizes and CRC follow each entry) with Zip64 where needed.
		zip.setMethod(ZipOutputStream.DEFLATED);
		zip.setLevel(Deflater.NO_COMPRESSION);
		for (int i : this.plan.selectedIndices()) {
			source.skipTo(i);
			PlannedTensor t = this.plan.tensors().get(i);
			ZipEntry entry = new ZipEntry(t.spec().name() + ".npy");
			entry.setTime(0L);
			zip.putNextEntry(entry);
			zip.write(Npy.header(t.dtypeIn(this.plan.dtype()), t.spec().shape()));
			source.generateBytes(i, (bytes, len) -> zip.write(bytes, 0, len));
			zip.closeEntry();
		}
		zip.finish();
	}

	private void writeSafetensors(OutputStream out) throws IOException {
		out.write(safetensorsHeader());
		try (TensorSource source = source()) {
			for (int i : this.plan.selectedIndices()) {
				source.skipTo(i);
				source.generateBytes(i, (bytes, len) -> out.write(bytes, 0, len));
			}
		}
	}

	/** Keeps the zip stream from closing the response stream. */
	private static final class NonClosing extends java.io.FilterOutputStream {

		NonClosing(OutputStream out) {
			super(out);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.out.write(b, off, len);
		}

		@Override
		public void close() throws IOException {
			flush();
		}

	}

}
