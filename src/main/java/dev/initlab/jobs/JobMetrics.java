package dev.initlab.jobs;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * The experiment queue as Prometheus sees it: {@code initlab_jobs_queued} and
 * {@code initlab_jobs_running} (gauges), {@code initlab_jobs_finished_total{status}}
 * ({@code succeeded}, {@code failed}, {@code cancelled}), and the pool's capacity
 * {@code initlab_jobs_workers} and {@code initlab_jobs_queue_capacity}, so that a
 * dashboard can show how full it is. A full queue is counted in
 * {@code initlab_rejections_total{reason="queue_full"}}.
 */
@Component
class JobMetrics implements MeterBinder {

	private final JobService jobs;

	JobMetrics(JobService jobs) {
		this.jobs = jobs;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("initlab.jobs.queued", this.jobs, (jobs) -> jobs.count(JobStatus.QUEUED))
			.description("Experiments waiting for a worker")
			.register(registry);
		Gauge.builder("initlab.jobs.running", this.jobs, (jobs) -> jobs.count(JobStatus.RUNNING))
			.description("Experiments being trained")
			.register(registry);
		Gauge.builder("initlab.jobs.workers", this.jobs, JobService::workers)
			.description("Experiments trained at once (initlab.jobs.workers)")
			.register(registry);
		Gauge.builder("initlab.jobs.queue.capacity", this.jobs, (jobs) -> jobs.properties().queueCapacity())
			.description("Experiments that may wait (initlab.jobs.queue-capacity)")
			.register(registry);
		for (JobStatus status : JobStatus.values()) {
			if (status.terminal()) {
				FunctionCounter.builder("initlab.jobs.finished", this.jobs, (jobs) -> jobs.finished(status))
					.description("Experiments ended, by final status")
					.tag("status", status.wireName())
					.register(registry);
			}
		}
	}

}
