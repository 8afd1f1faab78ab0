package dev.initlab.jobs;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.initlab.experiments.ExperimentRunner;
import dev.initlab.observability.RequestIds;
import dev.initlab.training.Trainer;

/**
 * The only stateful part: a bounded pool of workers and queue, the jobs by id, and a
 * reaper that forgets finished jobs after the retention time. A job runs with the logging
 * context of the request that submitted it (its request id) plus {@code job_id}.
 * <p>
 * On shutdown, unfinished jobs end as {@code cancelled} ({@code error}: "the server shut
 * down"), and they are told so first thing: {@link #stop()} runs in a lifecycle phase
 * before the web server's graceful shutdown, so an SSE subscriber receives the final
 * {@code status} event and a {@code Prefer: wait} request its answer while their
 * connections are still open, and neither holds the graceful shutdown for its whole
 * timeout.
 */
@Component
public class JobService implements SmartLifecycle, DisposableBean {

	static final String SHUT_DOWN = "the server shut down";

	private static final Logger log = LoggerFactory.getLogger(JobService.class);

	private final JobProperties properties;

	private final ExperimentRunner runner;

	private final ThreadPoolExecutor pool;

	private final ScheduledExecutorService reaper;

	private final Map<String, ExperimentJob> jobs = new ConcurrentHashMap<>();

	private final Map<JobStatus, LongAdder> finished = new EnumMap<>(JobStatus.class);

	private volatile boolean running;

	private final CompletableFuture<Integer> warmedUp = new CompletableFuture<>();

	public JobService(JobProperties properties, ExperimentRunner runner) {
		this.properties = properties;
		this.runner = runner;
		int workers = (properties.workers() > 0) ? properties.workers() : Runtime.getRuntime().availableProcessors();
		AtomicInteger count = new AtomicInteger();
		this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(Math.max(1, properties.queueCapacity())), (r) -> {
					Thread t = new Thread(r, "initlab-experiment-" + count.incrementAndGet());
					t.setDaemon(true);
					return t;
				});
		this.reaper = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread t = new Thread(r, "initlab-job-reaper");
			t.setDaemon(true);
			return t;
		});
		this.reaper.scheduleWithFixedDelay(this::reap, 1, 1, TimeUnit.MINUTES);
		for (JobStatus status : JobStatus.values()) {
			if (status.terminal()) {
				this.finished.put(status, new LongAdder());
			}
		}
	}

	/**
	 * Queues a prepared experiment.
	 * @param owner who may see it: the API key's name when authentication is on, else
	 * {@code null} (everyone)
	 * @throws QueueFullException when the workers and the queue are full
	 */
	public ExperimentJob submit(ExperimentRunner.Prepared prepared, String owner) {
		long queued = System.nanoTime();
		ExperimentJob job = new ExperimentJob(UUID.randomUUID().toString(), owner, prepared, (ended) -> {
			this.finished.get(ended.status()).increment();
			log.info("Experiment {} {} {} ms after it was queued", ended.id(), ended.status().wireName(),
					(System.nanoTime() - queued) / 1_000_000);
		});
		this.jobs.put(job.id(), job);
		try {
			this.pool.execute(RequestIds.propagate(() -> {
				MDC.put("job_id", job.id());
				run(job);
			}));
		}
		catch (RejectedExecutionException ex) {
			this.jobs.remove(job.id());
			throw new QueueFullException(this.properties.queueCapacity(), this.properties.retryAfter());
		}
		return job;
	}

	/** Jobs now in {@code status} (queued or running; finished ones until reaped). */
	public long count(JobStatus status) {
		return this.jobs.values().stream().filter((job) -> job.status() == status).count();
	}

	/** Jobs that have ended in the terminal {@code status} since the start. */
	public long finished(JobStatus status) {
		LongAdder count = this.finished.get(status);
		return (count != null) ? count.sum() : 0;
	}

	/**
	 * The job with this id, if {@code owner} created it. A job of another owner is not
	 * found, so that its existence does not leak.
	 */
	public Optional<ExperimentJob> find(String id, String owner) {
		return Optional.ofNullable(this.jobs.get(id)).filter((job) -> Objects.equals(job.owner(), owner));
	}

	/**
	 * A policy's decision boundary once the job has ended (see
	 * {@link ExperimentRunner#boundary} and {@link ExperimentJob#network}).
	 */
	public ExperimentRunner.Boundary boundary(ExperimentJob job, String policy, Integer resolution) {
		return this.runner.boundary(job.prepared(), policy, resolution, job::network);
	}

	/** Asks a job to stop; the training loop checks between updates. */
	public void cancel(ExperimentJob job) {
		job.requestCancel();
	}

	public JobProperties properties() {
		return this.properties;
	}

	/**
	 * Completes with the updates of the start-up warm-up
	 * ({@code initlab.jobs.warm-up-iterations}) once it has run; experiments do not wait
	 * for it.
	 */
	public CompletableFuture<Integer> warmedUp() {
		return this.warmedUp;
	}

	/** Jobs trained at once. */
	public int workers() {
		return this.pool.getCorePoolSize();
	}

	private void run(ExperimentJob job) {
		if (job.cancelRequested() || !job.start()) {
			return;
		}
		log.info("Experiment {} started", job.id());
		try {
			for (ExperimentRunner.PolicyResult result : this.runner.run(job.prepared(), job::record, job::trained,
					job::cancelRequested)) {
				job.result(result);
			}
			job.finish(JobStatus.SUCCEEDED, null);
		}
		catch (Trainer.Cancelled ex) {
			job.finish(JobStatus.CANCELLED, null);
		}
		catch (RuntimeException ex) {
			log.error("Experiment {} failed", job.id(), ex);
			job.finish(JobStatus.FAILED, "the experiment failed unexpectedly; it has been logged");
		}
	}

	private void reap() {
		long cutoff = System.currentTimeMillis() - this.properties.retention().toMillis();
		this.jobs.values().removeIf((job) -> job.status().terminal() && job.endedAtMillis() < cutoff);
	}

	@Override
	public void start() {
		this.running = true;
		int iterations = this.properties.warmUpIterations();
		if (iterations <= 0) {
			this.warmedUp.complete(0);
		}
		else if (!this.warmedUp.isDone()) {
			Thread warmUp = new Thread(() -> {
				try {
					long started = System.nanoTime();
					int done = Trainer.warmUp(iterations);
					log.info("Training engine warmed up: {} updates in {} ms", done,
							(System.nanoTime() - started) / 1_000_000);
					this.warmedUp.complete(done);
				}
				catch (RuntimeException | Error ex) {
					// readiness must not wait forever for a warm-up that is only about
					// speed
					log.warn("Training engine warm-up failed; experiments still run", ex);
					this.warmedUp.completeExceptionally(ex);
					if (ex instanceof Error error) {
						throw error;
					}
				}
			}, "initlab-training-warm-up");
			warmUp.setDaemon(true);
			warmUp.start();
		}
	}

	/**
	 * Cancels every unfinished job; running ones stop at their next update. Called before
	 * the web server's graceful shutdown (this bean's phase is the default, the latest).
	 */
	@Override
	public void stop() {
		this.running = false;
		for (ExperimentJob job : this.jobs.values()) {
			job.requestCancel(SHUT_DOWN);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Whatever {@link #stop()} left (or a job submitted since) ends here too. */
	@Override
	public void destroy() {
		this.reaper.shutdownNow();
		for (ExperimentJob job : this.jobs.values()) {
			job.requestCancel(SHUT_DOWN);
		}
		this.pool.shutdown();
		try {
			if (!this.pool.awaitTermination(10, TimeUnit.SECONDS)) {
				this.pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (ExperimentJob job : this.jobs.values()) {
			job.finish(JobStatus.CANCELLED, SHUT_DOWN);
		}
	}

}
