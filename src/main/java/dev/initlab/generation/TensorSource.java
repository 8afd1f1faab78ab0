package dev.initlab.generation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

import dev.initlab.init.Fill;
import dev.initlab.init.ParameterSpec;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;
import dev.initlab.tensor.DType;
import dev.initlab.tensor.ElementWriter;

/**
 * Draws the values of a plan's tensors, block by block, rounded to the plan's dtype.
 * <p>
 * Streams: with {@code per_tensor} seeding, block {@code k} (elements {@code [k·BLOCK,
 * (k+1)·BLOCK)}) of an element-wise scheme draws from the stream seeded by
 * {@link SeedMaterial#forTensorBlock}(seed, tensor name, k); a scheme that fills the
 * whole tensor draws from block 0's stream. With {@code sequential} seeding every tensor
 * draws from one stream, in plan order. Element-wise schemes draw in the output layout's
 * order; whole-tensor schemes fill the PyTorch layout, which is then permuted to the
 * output layout.
 * <p>
 * With an executor, blocks of element-wise tensors are drawn in parallel and delivered in
 * order; the values do not depend on the thread count.
 * <p>
 * Not thread-safe: one instance per response, tensors taken in plan order; closed when
 * the response ends, however it ends.
 */
public final class TensorSource implements AutoCloseable {

	/**
	 * Elements per block; part of the derivation rule (changing it changes every tensor).
	 */
	public static final int BLOCK = 1 << 16;

	/**
	 * The version of what this generator outputs for a given request. Raise it with any
	 * change that alters a byte of any response for the same request (a scheme's formula,
	 * a stream's derivation, {@link #BLOCK}, rounding, a file's layout): it is part of
	 * every checkpoint file's strong {@code ETag}, so caches and resumed downloads never
	 * mix bytes of two versions.
	 * <p>
	 * Version 2: {@code orthogonal} by a blocked Householder QR, and element-wise uniform
	 * fills of float32, float16 and bfloat16 with the Commons RNG generators draw two
	 * 24-bit uniforms per 64-bit output instead of one 53-bit double
	 * ({@link RandomStream#forNarrowDType}).
	 * <p>
	 * Version 3: {@code orthogonal} and {@code delta_orthogonal} tensors of float32,
	 * float16 and bfloat16 are factored by a QR in float32
	 * ({@link Fill.Whole#fillNarrow}), as PyTorch factors a float32 tensor; float64 ones
	 * are unchanged.
	 */
	public static final int GENERATION_VERSION = 3;

	private final Plan plan;

	private final RandomStream sequential;

	private final double[] buffer = new double[BLOCK];

	private final ExecutorService executor;

	private final int windowSize;

	private final Deque<Block> spare = new ArrayDeque<>();

	/**
	 * Scratch arrays of drawn doubles, one per thread drawing at a time (the pool's and
	 * this source's consumer): a block's doubles are needed only while it is drawn.
	 */
	private final ConcurrentLinkedQueue<double[]> scratch = new ConcurrentLinkedQueue<>();

	private final Runnable onClose;

	private RandomStream tensorStream;

	/**
	 * With sequential seeding, the values of tie groups' first keys, kept to repeat them
	 * under the group's later keys (the planner bounds their size).
	 */
	private final java.util.Map<String, double[]> held = new java.util.HashMap<>();

	private final java.util.Set<String> toHold;

	private int next;

	private boolean closed;

	/**
	 * Blocks drawn ahead of the consumer with {@code parallelism} threads: enough that
	 * the pool still has blocks queued while the consumer waits for a core (on a machine
	 * with as many cores as pool threads it competes with them) or for the socket.
	 */
	static int window(int parallelism) {
		return Math.max(2, 2 * parallelism + 2);
	}

	/**
	 * Elements (8 bytes each) that the blocks of one source hold at their peak with
	 * {@code parallelism} pool threads: the window's encoded blocks and the doubles of
	 * the blocks being drawn (one per pool thread, one for the consumer, one for the
	 * calling thread).
	 */
	public static long blockElements(DType dtype, int parallelism) {
		return (parallelism + 2L) * BLOCK + (long) window(parallelism) * BLOCK * dtype.size() / 8;
	}

	/**
	 * Elements (8 bytes each) a response of {@code plan} holds at its peak, for admission
	 * control: the block window ({@link #window} blocks ahead, as encoded bytes), the
	 * doubles of the blocks being drawn (one per pool thread, one for the consumer, one
	 * for the calling thread) plus the largest tensor held whole (whole-tensor schemes,
	 * with a transposed copy for Keras layout; every tensor of a JSON response with data,
	 * which materializes it).
	 */
	public static long peakElements(Plan plan, OutputFormat format, int parallelism) {
		long blocks = blockElements(plan.dtype(), parallelism);
		long largest = 0;
		for (PlannedTensor t : plan.selected()) {
			long numel = t.spec().numel();
			long held = (t.initializer().fill() instanceof Fill.Whole) ? 2 * numel : 0;
			if (format == OutputFormat.JSON && plan.data()) {
				held += numel;
			}
			largest = Math.max(largest, held);
		}
		long tied = 0;
		if (plan.seeding() == Seeding.SEQUENTIAL) {
			// first keys of tie groups, held to repeat their values
			java.util.Set<String> firsts = new java.util.HashSet<>();
			for (PlannedTensor t : plan.tensors()) {
				if (t.tiedTo() != null && firsts.add(t.tiedTo())) {
					tied += t.spec().numel();
				}
			}
		}
		return blocks + largest + tied;
	}

	/** A source that generates on the calling thread. */
	public TensorSource(Plan plan) {
		this(plan, null, 1);
	}

	/**
	 * A source that draws the blocks of element-wise tensors on {@code executor} (with
	 * {@code parallelism} threads), at most {@link #window} blocks ahead of the consumer.
	 */
	public TensorSource(Plan plan, ExecutorService executor, int parallelism) {
		this(plan, executor, parallelism, null);
	}

	TensorSource(Plan plan, ExecutorService executor, int parallelism, Runnable onClose) {
		this.onClose = onClose;
		this.plan = plan;
		this.sequential = (plan.seeding() == Seeding.SEQUENTIAL) ? plan.generator().sequential(plan.seed()) : null;
		this.executor = executor;
		this.windowSize = window(parallelism);
		this.toHold = new java.util.HashSet<>();
		if (this.sequential != null) {
			for (PlannedTensor t : plan.tensors()) {
				if (t.tiedTo() != null) {
					this.toHold.add(t.tiedTo());
				}
			}
		}
	}

	/**
	 * Receives consecutive blocks of rounded values; the array is reused after the call.
	 */
	@FunctionalInterface
	public interface BlockSink {

		void accept(double[] values, int off, int len);

	}

	/** Tensor {@code index} of the plan, which must be the next one in plan order. */
	private PlannedTensor take(int index) {
		if (index != this.next) {
			throw new IllegalStateException(
					"tensors are generated in plan order: expected " + this.next + ", got " + index);
		}
		this.next++;
		return this.plan.tensors().get(index);
	}

	/** Generates tensor {@code index} of the plan; tensors must be taken in order. */
	public void generate(int index, BlockSink sink) {
		PlannedTensor t = take(index);
		ParameterSpec spec = t.spec();
		long numel = spec.numel();
		DType dtype = t.dtypeIn(this.plan.dtype());
		if (this.sequential != null && t.tiedTo() != null) {
			double[] values = this.held.get(t.tiedTo());
			for (long off = 0; off < numel; off += BLOCK) {
				int len = (int) Math.min(BLOCK, numel - off);
				System.arraycopy(values, (int) off, this.buffer, 0, len);
				sink.accept(this.buffer, 0, len);
			}
			return;
		}
		if (this.toHold.contains(spec.name())) {
			double[] values = new double[(int) numel];
			int[] pos = { 0 };
			this.toHold.remove(spec.name());
			generate(t, dtype, (v, off, len) -> {
				System.arraycopy(v, off, values, pos[0], len);
				pos[0] += len;
				sink.accept(v, off, len);
			});
			this.held.put(spec.name(), values);
			return;
		}
		generate(t, dtype, sink);
	}

	/**
	 * Whether the first {@code limit} stored values of tensor {@code index} are fewer
	 * than all of them and can be drawn without the rest, leaving every value of every
	 * tensor as the full generation stores it: with {@code per_tensor} seeding and an
	 * element-wise scheme, each block draws from its own stream (NumPy's streams: the
	 * tensor's one stream, consumed in order), so they are the values the whole tensor
	 * starts with. Not with {@code sequential} seeding (the next tensor continues the
	 * stream where this one ends) nor for whole-tensor schemes (every value depends on
	 * all the others).
	 */
	public boolean drawsPrefix(int index, long limit) {
		PlannedTensor t = this.plan.tensors().get(index);
		return t.spec().numel() > limit && this.sequential == null
				&& t.initializer().fill() instanceof Fill.Elementwise;
	}

	/**
	 * Generates the first {@code limit} stored values of tensor {@code index}, drawing
	 * only the blocks that hold them, when {@link #drawsPrefix} allows it; otherwise the
	 * whole tensor. Tensors must be taken in order.
	 * @return how many values the sink received
	 */
	public long generatePrefix(int index, long limit, BlockSink sink) {
		if (!drawsPrefix(index, limit)) {
			generate(index, sink);
			return this.plan.tensors().get(index).spec().numel();
		}
		PlannedTensor t = take(index);
		ParameterSpec spec = t.spec();
		long numel = spec.numel();
		DType dtype = t.dtypeIn(this.plan.dtype());
		Fill.Elementwise fill = (Fill.Elementwise) t.initializer().fill();
		for (long off = 0; off < limit; off += BLOCK) {
			int len = (int) Math.min(BLOCK, numel - off);
			fill.sample(stream(t.streamName(), off / BLOCK, dtype), this.buffer, 0, len);
			finish(spec, dtype, this.buffer, off, 0, len);
			sink.accept(this.buffer, 0, (int) Math.min(len, limit - off));
		}
		return limit;
	}

	private void generate(PlannedTensor t, DType dtype, BlockSink sink) {
		ParameterSpec spec = t.spec();
		long numel = spec.numel();
		Fill fill = t.initializer().fill();
		if (fill instanceof Fill.Whole whole) {
			double[] values = new double[(int) numel];
			int blocks = t.initializer().blocks();
			RandomStream stream = stream(t.streamName(), 0, dtype);
			// a tensor of 32 bits or fewer is computed in float32 where the scheme can
			// (orthogonal's QR), as PyTorch does
			boolean single = narrow(dtype);
			if (blocks == 1) {
				fillWhole(whole, stream, values, single);
			}
			else {
				int per = (int) (numel / blocks);
				double[] block = new double[per];
				for (int b = 0; b < blocks; b++) {
					fillWhole(whole, stream, block, single);
					System.arraycopy(block, 0, values, b * per, per);
				}
			}
			if (!Arrays.equals(spec.shape(), spec.pytorchShape())) {
				values = toKerasKernel(values, spec.pytorchShape());
			}
			for (long off = 0; off < numel; off += BLOCK) {
				int len = (int) Math.min(BLOCK, numel - off);
				finish(spec, dtype, values, off, (int) off, len);
				sink.accept(values, (int) off, len);
			}
			return;
		}
		Fill.Elementwise elementwise = (Fill.Elementwise) fill;
		long blocks = (numel + BLOCK - 1) / BLOCK;
		for (long block = 0; block < blocks; block++) {
			long off = block * BLOCK;
			int len = (int) Math.min(BLOCK, numel - off);
			elementwise.sample(stream(t.streamName(), block, dtype), this.buffer, 0, len);
			finish(spec, dtype, this.buffer, off, 0, len);
			sink.accept(this.buffer, 0, len);
		}
	}

	private static void fillWhole(Fill.Whole whole, RandomStream stream, double[] values, boolean single) {
		if (single) {
			whole.fillNarrow(stream, values);
		}
		else {
			whole.fill(stream, values);
		}
	}

	/** Receives consecutive encoded blocks; the array is reused after the call. */
	@FunctionalInterface
	public interface ByteSink {

		void accept(byte[] bytes, int len) throws IOException;

	}

	/**
	 * Generates tensor {@code index} as little-endian bytes of the plan's dtype. With an
	 * executor, the blocks of an element-wise tensor are drawn, rounded and encoded on
	 * the pool, a bounded window ahead, and handed to the sink in order: each block
	 * depends only on its own stream, so the bytes are the same whatever the thread
	 * count. Buffers are reused within the response.
	 */
	public void generateBytes(int index, ByteSink sink) throws IOException {
		PlannedTensor t = this.plan.tensors().get(index);
		long numel = t.spec().numel();
		long blocks = (numel + BLOCK - 1) / BLOCK;
		DType dtype = t.dtypeIn(this.plan.dtype());
		if (index != this.next || !(t.initializer().fill() instanceof Fill.Elementwise fill) || this.executor == null
				|| this.sequential != null || blocks < 2 || !this.plan.generator().drawsBlocks()
				|| dtype != this.plan.dtype()) {
			byte[] bytes = new byte[(int) Math.min(BLOCK, numel) * dtype.size()];
			if (index == this.next && t.initializer().fill() instanceof Fill.Elementwise elementwise
					&& !(this.sequential != null && t.tiedTo() != null) && !this.toHold.contains(t.spec().name())) {
				// on this thread, block by block as generate(int, BlockSink) draws them
				this.next++;
				for (long block = 0; block < blocks; block++) {
					long off = block * BLOCK;
					int len = (int) Math.min(BLOCK, numel - off);
					sink.accept(bytes, drawEncoded(t.spec(), dtype, elementwise, stream(t.streamName(), block, dtype),
							off, len, this.buffer, bytes));
				}
				return;
			}
			try {
				generate(index, encoding(dtype, bytes, sink, (k) -> true));
			}
			catch (UncheckedIOException ex) {
				throw ex.getCause();
			}
			return;
		}
		this.next++;
		drawWindowed(t, dtype, fill, 0, blocks, sink);
	}

	/**
	 * Blocks {@code [fromBlock, toBlock)} of element-wise tensor {@code t}, drawn on the
	 * pool a bounded window ahead and handed to the sink in order. While the block it
	 * needs next is not drawn yet, the consumer draws the window's blocks that no pool
	 * thread has started (a {@link FutureTask} runs once, on whichever thread gets it
	 * first), so it never waits while there is drawing to do, also when the pool is busy
	 * with other responses.
	 */
	private void drawWindowed(PlannedTensor t, DType dtype, Fill.Elementwise fill, long fromBlock, long toBlock,
			ByteSink sink) throws IOException {
		ParameterSpec spec = t.spec();
		long numel = spec.numel();
		ArrayDeque<FutureTask<Block>> window = new ArrayDeque<>();
		long submitted = fromBlock;
		try {
			for (long block = fromBlock; block < toBlock; block++) {
				while (submitted < toBlock && window.size() < this.windowSize) {
					long k = submitted++;
					Block buffer = (this.spare.isEmpty()) ? new Block(dtype) : this.spare.pop();
					FutureTask<Block> task = new FutureTask<>(() -> {
						long off = k * BLOCK;
						int len = (int) Math.min(BLOCK, numel - off);
						double[] values = this.scratch.poll();
						values = (values != null) ? values : new double[BLOCK];
						try {
							buffer.length = drawEncoded(spec, dtype, fill, stream(t.streamName(), k, dtype), off, len,
									values, buffer.bytes);
						}
						finally {
							this.scratch.offer(values);
						}
						return buffer;
					});
					window.add(task);
					this.executor.execute(task);
				}
				FutureTask<Block> head = window.peek();
				for (FutureTask<Block> task : window) {
					if (head.isDone()) {
						break;
					}
					task.run();
				}
				Block done = await(window.poll());
				sink.accept(done.bytes, done.length);
				this.spare.push(done);
			}
		}
		finally {
			for (Future<Block> pending : window) {
				pending.cancel(false);
			}
		}
	}

	/**
	 * Generates blocks {@code [fromBlock, toBlock)} of tensor {@code index} as
	 * little-endian bytes of its dtype, as {@link #generateBytes} would deliver them,
	 * whatever tensors were taken before: the way to serve a byte range of a file. Only
	 * with {@code per_tensor} seeding, where a tensor's values depend on its own streams
	 * alone. The cost: with an element-wise scheme and a generator that draws blocks
	 * ({@link dev.initlab.rng.Generator#drawsBlocks}), only the blocks asked for (each
	 * from its own stream, in parallel with an executor); with a NumPy stream (one stream
	 * per tensor) the blocks before {@code fromBlock} are drawn too, and discarded; a
	 * whole-tensor scheme draws the whole tensor (bounded by
	 * {@code initlab.generation.max-whole-elements}). Does not move the source's place in
	 * plan order.
	 * @throws IllegalStateException with {@code sequential} seeding
	 */
	public void generateBlockBytes(int index, long fromBlock, long toBlock, ByteSink sink) throws IOException {
		if (this.sequential != null) {
			throw new IllegalStateException("blocks of a tensor are drawn alone only with per_tensor seeding");
		}
		PlannedTensor t = this.plan.tensors().get(index);
		long blocks = (t.spec().numel() + BLOCK - 1) / BLOCK;
		long from = Math.max(0, fromBlock);
		long to = Math.min(blocks, toBlock);
		if (from >= to) {
			return;
		}
		DType dtype = t.dtypeIn(this.plan.dtype());
		Fill fill = t.initializer().fill();
		// the pool's reusable blocks are sized for the plan's dtype
		if (fill instanceof Fill.Elementwise elementwise && this.plan.generator().drawsBlocks() && this.executor != null
				&& to - from > 1 && dtype == this.plan.dtype()) {
			drawWindowed(t, dtype, elementwise, from, to, sink);
			return;
		}
		byte[] bytes = new byte[BLOCK * dtype.size()];
		ParameterSpec spec = t.spec();
		long numel = spec.numel();
		if (fill instanceof Fill.Elementwise elementwise) {
			long first = this.plan.generator().drawsBlocks() ? from : 0;
			for (long block = first; block < to; block++) {
				long off = block * BLOCK;
				int len = (int) Math.min(BLOCK, numel - off);
				RandomStream stream = stream(t.streamName(), block, dtype);
				if (block >= from) {
					sink.accept(bytes, drawEncoded(spec, dtype, elementwise, stream, off, len, this.buffer, bytes));
				}
				else {
					elementwise.sample(stream, this.buffer, 0, len);
				}
			}
			return;
		}
		try {
			generate(t, dtype, encoding(dtype, bytes, sink, (k) -> k >= from && k < to));
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	/**
	 * A block sink that encodes the blocks {@code keep} accepts (by their index from 0)
	 * into {@code bytes} and hands them to {@code sink}; the sink's IOException travels
	 * as an UncheckedIOException, which the caller unwraps.
	 */
	private static BlockSink encoding(DType dtype, byte[] bytes, ByteSink sink, java.util.function.LongPredicate keep) {
		long[] block = { 0 };
		return (values, off, len) -> {
			if (keep.test(block[0]++)) {
				try {
					sink.accept(bytes, ElementWriter.encode(dtype, values, off, len, bytes));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		};
	}

	/**
	 * Ends this source's use of the pool. Blocks drawn ahead are cancelled where
	 * {@link #generateBytes} stops, also when the consumer fails (a client that went
	 * away); this releases the source itself.
	 */
	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			this.spare.clear();
			this.scratch.clear();
			if (this.onClose != null) {
				this.onClose.run();
			}
		}
	}

	/** A reusable block: its encoded values. */
	private static final class Block {

		final byte[] bytes;

		int length;

		Block(DType dtype) {
			this.bytes = new byte[BLOCK * dtype.size()];
		}

	}

	private static Block await(Future<Block> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while generating", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	/**
	 * Draws {@code len} elements of element-wise tensor {@code spec}, from tensor index
	 * {@code start}, into {@code bytes} as little-endian elements of the dtype: the bytes
	 * of {@code sample}, {@link #finish} and {@link ElementWriter#encode}, in fewer
	 * passes. An {@link Fill.Affine affine} fill draws its variates in bulk and maps,
	 * rounds and encodes them in one pass; any other samples, then rounds and encodes in
	 * one pass. The padding row is zeroed in the bytes (0.0 is all zero bytes in every
	 * dtype). {@code values} is scratch space of at least {@code len}.
	 * @return the number of bytes written
	 */
	static int drawEncoded(ParameterSpec spec, DType dtype, Fill.Elementwise fill, RandomStream stream, long start,
			int len, double[] values, byte[] bytes) {
		int n;
		if (fill instanceof Fill.Affine affine && dtype == DType.FLOAT32
				&& affine.variate() == Fill.Variate.UNIT_UNIFORM
				&& stream.encodeUniformFloat32(affine.shift(), affine.scale(), bytes, len)) {
			n = len * 4;
		}
		else if (fill instanceof Fill.Affine affine) {
			affine.variate().draw(stream, values, 0, len);
			n = ElementWriter.encodeAffine(dtype, affine.shift(), affine.scale(), values, 0, len, bytes);
		}
		else {
			fill.sample(stream, values, 0, len);
			n = ElementWriter.roundAndEncode(dtype, values, 0, len, bytes);
		}
		long[] row = paddingRow(spec, start, len);
		if (row[0] < row[1]) {
			Arrays.fill(bytes, (int) (row[0] - start) * dtype.size(), (int) (row[1] - start) * dtype.size(), (byte) 0);
		}
		return n;
	}

	/**
	 * Zeroes the padding row of an embedding, if any, and rounds to the dtype.
	 * @param start the tensor index of {@code values[off]}
	 */
	private static void finish(ParameterSpec spec, DType dtype, double[] values, long start, int off, int len) {
		long[] row = paddingRow(spec, start, len);
		for (long i = row[0]; i < row[1]; i++) {
			values[(int) (off + i - start)] = 0.0;
		}
		round(dtype, values, off, len);
	}

	/**
	 * The tensor indices {@code [from, to)} of the embedding's padding row (zeroed) among
	 * elements {@code [start, start + len)}; empty ({@code from >= to}) when there is
	 * none.
	 */
	private static long[] paddingRow(ParameterSpec spec, long start, int len) {
		if (spec.zeroRow() < 0) {
			return new long[] { 0, 0 };
		}
		long rowLength = spec.numel() / spec.shape()[0];
		return new long[] { Math.max(start, spec.zeroRow() * rowLength),
				Math.min(start + len, (spec.zeroRow() + 1) * rowLength) };
	}

	/**
	 * Moves to tensor {@code index}, skipping those before it: with sequential seeding
	 * they are still drawn (and discarded), so the stream is where the full model would
	 * have left it.
	 */
	public void skipTo(int index) {
		while (this.next < index) {
			if (this.sequential != null) {
				generate(this.next, (values, off, len) -> {
				});
			}
			else {
				this.next++;
			}
		}
	}

	/** All of tensor {@code index}'s values at once (for sizes JSON allows). */
	public double[] materialize(int index) {
		long numel = this.plan.tensors().get(index).spec().numel();
		double[] all = new double[(int) numel];
		int[] pos = { 0 };
		generate(index, (values, off, len) -> {
			System.arraycopy(values, off, all, pos[0], len);
			pos[0] += len;
		});
		return all;
	}

	/**
	 * The stream block {@code block} of tensor {@code name} draws from, as a tensor of
	 * {@code dtype} draws: for a dtype of 32 bits or fewer, the stream's
	 * {@link RandomStream#forNarrowDType view} (24-bit uniforms, two per 64-bit output,
	 * with the Commons RNG generators).
	 */
	private RandomStream stream(String name, long block, DType dtype) {
		RandomStream stream;
		if (this.sequential != null) {
			stream = this.sequential;
		}
		else if (!this.plan.generator().drawsBlocks()) {
			// NumPy streams: one stream per tensor, as one NumPy call draws it
			if (block == 0) {
				this.tensorStream = this.plan.generator()
					.create(SeedMaterial.forTensorBlock(this.plan.seed(), name, 0));
			}
			stream = this.tensorStream;
		}
		else {
			stream = this.plan.generator().create(SeedMaterial.forTensorBlock(this.plan.seed(), name, block));
		}
		return narrow(dtype) ? stream.forNarrowDType() : stream;
	}

	/** Whether a dtype draws uniforms as a narrow one: 32 bits or fewer per element. */
	static boolean narrow(DType dtype) {
		return dtype.size() <= 4;
	}

	private static void round(DType dtype, double[] values, int off, int len) {
		switch (dtype) {
			case FLOAT64 -> {
			}
			case FLOAT32 -> {
				for (int i = off, end = off + len; i < end; i++) {
					values[i] = (float) values[i];
				}
			}
			default -> {
				for (int i = off, end = off + len; i < end; i++) {
					values[i] = dtype.round(values[i]);
				}
			}
		}
	}

	/** PyTorch {@code [a, b, *k]} (row-major) to Keras {@code [*k, b, a]}. */
	static double[] toKerasKernel(double[] pytorch, int[] shape) {
		int a = shape[0];
		int b = shape[1];
		int k = pytorch.length / (a * b);
		double[] out = new double[pytorch.length];
		for (int i = 0; i < a; i++) {
			for (int j = 0; j < b; j++) {
				int src = (i * b + j) * k;
				for (int s = 0; s < k; s++) {
					out[(s * b + j) * a + i] = pytorch[src + s];
				}
			}
		}
		return out;
	}

}
