package dev.initlab.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.initlab.experiments.ExperimentRunner;
import dev.initlab.training.HistoryEntry;
import dev.initlab.training.Report;
import dev.initlab.training.TrainedNetwork;

/** One experiment: its state, its progress so far and its event subscribers. */
public final class ExperimentJob {

	private final String id;

	private final String owner;

	private final ExperimentRunner.Prepared prepared;

	private final List<List<HistoryEntry>> histories = new ArrayList<>();

	private final List<ExperimentRunner.PolicyResult> results = new CopyOnWriteArrayList<>();

	/**
	 * Each policy's network when its training ended or stopped (null before): one copy of
	 * its parameters, as large as its initial ones in {@link #prepared}, kept for as long
	 * as the job ({@code initlab.jobs.retention}).
	 */
	private final AtomicReferenceArray<TrainedNetwork> networks;

	private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

	private final AtomicBoolean cancelRequested = new AtomicBoolean();

	private final CompletableFuture<Void> done = new CompletableFuture<>();

	private final Consumer<ExperimentJob> ended;

	private volatile JobStatus status = JobStatus.QUEUED;

	private volatile long startedNanos;

	private volatile long endedNanos;

	private volatile long endedAtMillis;

	private volatile String error;

	private String cancelReason;

	/**
	 * @param ended called once, on the thread that ends the job, when it has reached its
	 * terminal status and before {@link #done()} completes
	 */
	ExperimentJob(String id, String owner, ExperimentRunner.Prepared prepared, Consumer<ExperimentJob> ended) {
		this.id = id;
		this.owner = owner;
		this.prepared = prepared;
		this.ended = ended;
		for (int i = 0; i < prepared.policies().size(); i++) {
			this.histories.add(new CopyOnWriteArrayList<>());
		}
		this.networks = new AtomicReferenceArray<>(prepared.policies().size());
	}

	public String id() {
		return this.id;
	}

	/**
	 * The name of the API key that created the job; {@code null} without authentication.
	 */
	String owner() {
		return this.owner;
	}

	public JobStatus status() {
		return this.status;
	}

	ExperimentRunner.Prepared prepared() {
		return this.prepared;
	}

	/** Completes when the job reaches a terminal status. */
	public CompletableFuture<Void> done() {
		return this.done;
	}

	boolean cancelRequested() {
		return this.cancelRequested.get();
	}

	long endedAtMillis() {
		return this.endedAtMillis;
	}

	/** Asks the job to stop; a queued job is cancelled at once. */
	void requestCancel() {
		requestCancel(null);
	}

	/**
	 * Asks the job to stop, saying why ({@code error} of the cancelled job; null when the
	 * client asked); a queued job is cancelled at once.
	 */
	void requestCancel(String reason) {
		synchronized (this) {
			if (this.cancelReason == null) {
				this.cancelReason = reason;
			}
			this.cancelRequested.set(true);
			if (this.status == JobStatus.QUEUED) {
				finish(JobStatus.CANCELLED, null);
			}
		}
	}

	synchronized boolean start() {
		if (this.status != JobStatus.QUEUED) {
			return false;
		}
		this.startedNanos = System.nanoTime();
		this.status = JobStatus.RUNNING;
		publish("status", view());
		return true;
	}

	/**
	 * One recorded entry: added to the history and published in one step under the job's
	 * lock, the same lock {@link #subscribe} holds from its snapshot to its registration,
	 * so a subscriber sees each entry exactly once: in its first {@code status} event or
	 * as a {@code record} event after it.
	 */
	synchronized void record(int policy, HistoryEntry entry) {
		this.histories.get(policy).add(entry);
		publish("record", new RecordEvent(this.prepared.policies().get(policy).label(), policy, entry));
	}

	/**
	 * A policy's training ended (finished or cancelled) with this network: kept when the
	 * data have two features, the only networks with a decision boundary to draw.
	 */
	void trained(int policy, TrainedNetwork network) {
		if (network.inputs() == 2) {
			this.networks.set(policy, network);
		}
	}

	/**
	 * A policy's network once the job has ended: as trained for a job that
	 * {@code succeeded}; as it was when training stopped for one {@code cancelled} (a
	 * policy training never reached: its initial network).
	 * @throws ExperimentNotFinishedException while the job is queued or running, or when
	 * it failed
	 */
	public TrainedNetwork network(int policy) {
		JobStatus now = this.status;
		if (now != JobStatus.SUCCEEDED && now != JobStatus.CANCELLED) {
			throw new ExperimentNotFinishedException(this.id, now);
		}
		TrainedNetwork network = this.networks.get(policy);
		return (network != null) ? network : ExperimentRunner.initialNetwork(this.prepared, policy);
	}

	void result(ExperimentRunner.PolicyResult result) {
		this.results.add(result);
	}

	synchronized void finish(JobStatus terminal, String error) {
		if (this.status.terminal()) {
			return;
		}
		this.endedNanos = System.nanoTime();
		this.endedAtMillis = System.currentTimeMillis();
		this.error = (error == null && terminal == JobStatus.CANCELLED) ? this.cancelReason : error;
		this.status = terminal;
		publish("status", view());
		for (SseEmitter emitter : this.emitters) {
			emitter.complete();
		}
		this.emitters.clear();
		this.ended.accept(this);
		this.done.complete(null);
	}

	/** A progress event: one recorded entry of one policy. */
	record RecordEvent(String label, int policy, HistoryEntry entry) {
	}

	/**
	 * Subscribes an emitter: it gets the current state at once, then every event. The
	 * snapshot and the registration happen under the lock that {@link #record},
	 * {@link #start} and {@link #finish} publish under, so no event falls between them
	 * (the emitter is not yet returned to Spring here: its first send is buffered, never
	 * written to a slow socket while the lock is held).
	 */
	public synchronized void subscribe(SseEmitter emitter) {
		try {
			emitter.send(SseEmitter.event().name("status").data(view()));
		}
		catch (IOException | IllegalStateException ex) {
			return;
		}
		if (this.status.terminal()) {
			emitter.complete();
			return;
		}
		this.emitters.add(emitter);
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onTimeout(() -> this.emitters.remove(emitter));
		emitter.onError((ex) -> this.emitters.remove(emitter));
	}

	private void publish(String name, Object data) {
		for (SseEmitter emitter : this.emitters) {
			try {
				emitter.send(SseEmitter.event().name(name).data(data));
			}
			catch (IOException | IllegalStateException ex) {
				this.emitters.remove(emitter);
			}
		}
	}

	/** The job as the API shows it. */
	public ExperimentView view() {
		List<ExperimentView.Result> out = new ArrayList<>();
		for (int i = 0; i < this.prepared.policies().size(); i++) {
			String label = this.prepared.policies().get(i).label();
			List<Integer> lsuv = this.prepared.policies().get(i).lsuvIterations();
			if (i < this.results.size()) {
				ExperimentRunner.PolicyResult r = this.results.get(i);
				Report report = Report.of(r.history(), r.verdict());
				out.add(new ExperimentView.Result(label, report.history(), report.finalEntry(), report.verdict(),
						lsuv));
			}
			else {
				out.add(new ExperimentView.Result(label, List.copyOf(this.histories.get(i)), null, null, lsuv));
			}
		}
		long start = this.startedNanos;
		long end = this.status.terminal() ? this.endedNanos : System.nanoTime();
		long duration = (start == 0) ? 0 : Math.max(0, (end - start) / 1_000_000);
		return new ExperimentView(this.id, this.status, this.prepared.seed(), duration, this.error, out);
	}

}
