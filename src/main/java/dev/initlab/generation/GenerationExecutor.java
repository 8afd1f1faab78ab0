package dev.initlab.generation;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.initlab.observability.RequestIds;

/**
 * The threads that draw blocks of large tensors for binary responses: one pool for the
 * service. {@code initlab.generation.threads} (default: the CPU count) is how many
 * threads draw one response's blocks; the response's own thread is one of them (it draws
 * the blocks no pool thread has started while it waits), so the pool has one fewer (at
 * least one). With a worker per core plus the response thread, three threads shared two
 * cores and one response ran at 1.56× a single thread's speed; with the response thread
 * counted, 1.89× ({@code StreamBenchmark}).
 * <p>
 * Two gauges show whether streams free what they hold, also when a client goes away
 * mid-download: {@code initlab.generation.streams} (binary responses being generated) and
 * {@code initlab.generation.blocks.pending} (blocks queued or being drawn); both return
 * to 0 when the server is idle.
 */
@Component
public class GenerationExecutor implements DisposableBean, MeterBinder {

	private final ThreadPoolExecutor pool;

	private final int threads;

	private final AtomicInteger streams = new AtomicInteger();

	public GenerationExecutor(GenerationLimits limits) {
		this.threads = (limits.threads() > 0) ? limits.threads() : Runtime.getRuntime().availableProcessors();
		AtomicInteger count = new AtomicInteger();
		ThreadFactory factory = (r) -> {
			Thread t = new Thread(r, "initlab-generate-" + count.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
		int workers = Math.max(1, this.threads - 1);
		this.pool = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				factory) {
			@Override
			public void execute(Runnable command) {
				// the request's logging context (its id) goes with each block
				super.execute(RequestIds.propagate(command));
			}
		};
	}

	/**
	 * A source for one response that draws on this pool; counted as a stream until it is
	 * closed.
	 */
	public TensorSource source(Plan plan) {
		this.streams.incrementAndGet();
		return new TensorSource(plan, this.pool, this.threads, this.streams::decrementAndGet);
	}

	public int threads() {
		return this.threads;
	}

	/** Sources handed out and not yet closed: binary responses being generated. */
	public int activeStreams() {
		return this.streams.get();
	}

	/** Blocks waiting for a thread of the pool or being drawn on one. */
	public int pendingBlocks() {
		return this.pool.getQueue().size() + this.pool.getActiveCount();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("initlab.generation.streams", this, GenerationExecutor::activeStreams)
			.description("Binary responses being generated")
			.register(registry);
		Gauge.builder("initlab.generation.blocks.pending", this, GenerationExecutor::pendingBlocks)
			.description("Tensor blocks queued or being drawn on the generation pool")
			.register(registry);
	}

	@Override
	public void destroy() {
		this.pool.shutdownNow();
	}

}
