package dev.initlab.jobs;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.initlab.experiments.ExperimentRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Jobs interrupted by shutdown end as {@code cancelled}, saying why, whether they were
 * running or still queued; a job that finished before keeps its result. No clocks: each
 * wait is for a condition, bounded only so that a hang fails instead of blocking.
 */
class JobServiceShutdownTests {

	/** Long enough that it is still running when shutdown comes. */
	static final String LONG = """
			{"seed": 1, "dataset": {"name": "planar_flower", "n_samples": 400}, "model": {"hidden_layers": [8]},
			 "training": {"iterations": 100000, "record_every": 1000},
			 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}
			""";

	static final String SHORT = LONG.replace("\"iterations\": 100000, \"record_every\": 1000",
			"\"iterations\": 10, \"record_every\": 5");

	/**
	 * Waits for a status the job must reach; a minute means it never will (no assertion
	 * on how long it took).
	 */
	static final ConditionFactory EVENTUALLY = Awaitility.await()
		.atMost(Duration.ofMinutes(1))
		.pollInterval(Duration.ofMillis(5))
		.dontCatchUncaughtExceptions();

	final ExperimentRunner runner = TestRunners.runner();

	final JobService jobs = new JobService(new JobProperties(1, 4, Duration.ofHours(1), Duration.ofSeconds(60), 5, 0),
			this.runner);

	@AfterEach
	void destroy() {
		this.jobs.destroy();
	}

	@Test
	void stopCancelsTheRunningAndTheQueuedJobsAndSaysWhy() throws Exception {
		this.jobs.start();
		ExperimentJob running = submit(LONG);
		ExperimentJob queued = submit(LONG);
		EVENTUALLY.alias("the job running").until(running::status, equalTo(JobStatus.RUNNING));
		assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);

		this.jobs.stop();

		assertThat(this.jobs.isRunning()).isFalse();
		for (ExperimentJob job : new ExperimentJob[] { running, queued }) {
			job.done().get(60, TimeUnit.SECONDS);
			assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
			assertThat(job.view().error()).isEqualTo("the server shut down");
		}
		// the running one had begun: its history so far is kept
		assertThat(running.view().results().get(0).history()).isNotEmpty();
	}

	@Test
	void destroyAloneStillCancelsWhatIsUnfinished() throws Exception {
		ExperimentJob running = submit(LONG);
		EVENTUALLY.alias("the job running").until(running::status, equalTo(JobStatus.RUNNING));

		this.jobs.destroy();

		assertThat(running.done()).isDone();
		assertThat(running.status()).isEqualTo(JobStatus.CANCELLED);
		assertThat(running.view().error()).isEqualTo("the server shut down");
	}

	@Test
	void aJobThatFinishedBeforeShutdownKeepsItsResult() throws Exception {
		this.jobs.start();
		ExperimentJob done = submit(SHORT);
		done.done().get(60, TimeUnit.SECONDS);

		this.jobs.stop();
		this.jobs.destroy();

		assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(done.view().error()).isNull();
		assertThat(done.view().results().get(0).verdict()).isNotBlank();
	}

	@Test
	void aClientsCancelIsNotBlamedOnShutdown() throws Exception {
		ExperimentJob running = submit(LONG);
		EVENTUALLY.alias("the job running").until(running::status, equalTo(JobStatus.RUNNING));

		this.jobs.cancel(running);
		running.done().get(60, TimeUnit.SECONDS);

		assertThat(running.status()).isEqualTo(JobStatus.CANCELLED);
		assertThat(running.view().error()).isNull();
	}

	private ExperimentJob submit(String json) {
		return this.jobs.submit(TestRunners.prepare(this.runner, json), null);
	}

}
