package dev.initlab.generation;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.initlab.observability.RequestIds;

/**
 * The threads that draw blocks of large tensors for binary responses: one pool for the
 * service, sized by {@code initlab.generation.threads} (default: the CPU count).
 */
@Component
public class GenerationExecutor implements DisposableBean {

	private final ExecutorService pool;

	private final int threads;

	public GenerationExecutor(GenerationLimits limits) {
		this.threads = (limits.threads() > 0) ? limits.threads() : Runtime.getRuntime().availableProcessors();
		AtomicInteger count = new AtomicInteger();
		ThreadFactory factory = (r) -> {
			Thread t = new Thread(r, "initlab-generate-" + count.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
		this.pool = new ThreadPoolExecutor(this.threads, this.threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), factory) {
			@Override
			public void execute(Runnable command) {
				// the request's logging context (its id) goes with each block
				super.execute(RequestIds.propagate(command));
			}
		};
	}

	/** A source for one response that draws on this pool. */
	public TensorSource source(Plan plan) {
		return new TensorSource(plan, this.pool, this.threads);
	}

	public int threads() {
		return this.threads;
	}

	@Override
	public void destroy() {
		this.pool.shutdownNow();
	}

}
