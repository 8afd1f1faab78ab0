package dev.initlab.checkpoints;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.PlannedTensor;
import dev.initlab.generation.TensorSource;
import dev.initlab.init.Fill;
import dev.initlab.tensor.DType;
import dev.initlab.tensor.Safetensors;

/**
 * One safetensors file of a checkpoint, as {@code save_pretrained} writes it:
 * {@code __metadata__} {@code {"format": "pt"}}, the tensors ordered as the
 * {@code safetensors} library orders them (by dtype, widest first: I64, F64, F32, BF16,
 * F16; then by name), so the header is byte for byte the one {@code save_pretrained}
 * writes for the same tensors.
 * <p>
 * Any byte range is written without generating what lies before it: the header is known
 * from the plan, each tensor's place in the file follows from the sizes before it, and a
 * range's first tensor is drawn from the {@link TensorSource#BLOCK block} that holds its
 * first byte ({@link TensorSource#generateBlockBytes}).
 */
public final class SafetensorsShard implements CheckpointFile {

	private final String name;

	private final Plan plan;

	private final int[] tensors;

	private final long[] starts;

	private final byte[] header;

	private final long size;

	private final GenerationExecutor executor;

	/**
	 * @param name the file name
	 * @param plan the plan
	 * @param indices the plan indices of the file's tensors
	 * @param executor the pool that draws blocks, or null to draw on the writing thread
	 */
	SafetensorsShard(String name, Plan plan, List<Integer> indices, GenerationExecutor executor) {
		this.name = name;
		this.plan = plan;
		this.executor = executor;
		List<Integer> ordered = new ArrayList<>(indices);
		ordered.sort(Comparator.comparingInt((Integer i) -> -rank(dtype(plan, i)))
			.thenComparing(i -> plan.tensors().get(i).spec().name()));
		this.tensors = ordered.stream().mapToInt(Integer::intValue).toArray();
		List<Safetensors.Entry> entries = new ArrayList<>();
		for (int i : this.tensors) {
			PlannedTensor t = plan.tensors().get(i);
			entries.add(new Safetensors.Entry(t.spec().name(), dtype(plan, i), t.spec().shape(), t.spec().numel()));
		}
		this.header = Safetensors.header(entries, Map.of("format", "pt"));
		this.starts = new long[this.tensors.length + 1];
		this.starts[0] = this.header.length;
		for (int k = 0; k < this.tensors.length; k++) {
			this.starts[k + 1] = this.starts[k] + bytes(plan, this.tensors[k]);
		}
		this.size = this.starts[this.tensors.length];
	}

	/**
	 * The safetensors library's dtype order (its enum order; the file lists widest
	 * first).
	 */
	private static int rank(DType dtype) {
		return switch (dtype) {
			case FLOAT16 -> 0;
			case BFLOAT16 -> 1;
			case FLOAT32 -> 2;
			case FLOAT64 -> 3;
			case INT64 -> 4;
		};
	}

	private static DType dtype(Plan plan, int index) {
		return plan.tensors().get(index).dtypeIn(plan.dtype());
	}

	static long bytes(Plan plan, int index) {
		return plan.tensors().get(index).spec().numel() * dtype(plan, index).size();
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public long size() {
		return this.size;
	}

	@Override
	public String mediaType() {
		return OutputFormat.SAFETENSORS.mediaType();
	}

	/** The names of its tensors, in file order. */
	public List<String> tensorNames() {
		List<String> names = new ArrayList<>();
		for (int i : this.tensors) {
			names.add(this.plan.tensors().get(i).spec().name());
		}
		return names;
	}

	/** The header: the 8-byte length and the padded JSON. */
	byte[] header() {
		return this.header.clone();
	}

	@Override
	public void write(long from, long to, OutputStream out) throws IOException {
		if (from < 0 || to > this.size || from >= to) {
			throw new IllegalArgumentException("bytes [" + from + ", " + to + ") of a file of " + this.size);
		}
		if (from < this.header.length) {
			out.write(this.header, (int) from, (int) (Math.min(to, this.header.length) - from));
		}
		if (to <= this.header.length) {
			out.flush();
			return;
		}
		try (TensorSource source = (this.executor != null) ? this.executor.source(this.plan)
				: new TensorSource(this.plan)) {
			for (int k = 0; k < this.tensors.length; k++) {
				long start = this.starts[k];
				long end = this.starts[k + 1];
				if (end <= from || start == end) {
					continue;
				}
				if (start >= to) {
					break;
				}
				writeTensor(source, this.tensors[k], Math.max(from, start) - start, Math.min(to, end) - start, out);
			}
		}
		out.flush();
	}

	/** Bytes {@code [from, to)} of tensor {@code index}'s data. */
	private void writeTensor(TensorSource source, int index, long from, long to, OutputStream out) throws IOException {
		long blockBytes = (long) TensorSource.BLOCK * dtype(this.plan, index).size();
		long firstBlock = from / blockBytes;
		long lastBlock = (to + blockBytes - 1) / blockBytes;
		long[] position = { firstBlock * blockBytes };
		source.generateBlockBytes(index, firstBlock, lastBlock, (bytes, len) -> {
			long start = position[0];
			long end = start + len;
			position[0] = end;
			long a = Math.max(start, from);
			long b = Math.min(end, to);
			if (a < b) {
				out.write(bytes, (int) (a - start), (int) (b - a));
			}
		});
	}

	@Override
	public long peakElements() {
		int parallelism = (this.executor != null) ? this.executor.threads() : 1;
		long blocks = TensorSource.blockElements(this.plan.dtype(), parallelism);
		long whole = 0;
		for (int i : this.tensors) {
			PlannedTensor t = this.plan.tensors().get(i);
			if (t.initializer().fill() instanceof Fill.Whole) {
				whole = Math.max(whole, 2 * t.spec().numel());
			}
		}
		return blocks + whole + this.header.length / 8;
	}

}
