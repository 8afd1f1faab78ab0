package dev.initlab.jobs;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

import dev.initlab.experiments.ExperimentRunner;
import dev.initlab.training.Trainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up warm-up of the training engine ({@code initlab.jobs.warm-up-iterations}):
 * it runs on its own thread when the service starts, and not at all at 0; readiness
 * ({@link WarmUpHealth}) waits for it.
 */
class JobServiceWarmUpTests {

	private static JobService jobs(int warmUpIterations) {
		ExperimentRunner runner = TestRunners.runner();
		return new JobService(new JobProperties(1, 4, Duration.ofHours(1), Duration.ofSeconds(60), 5, warmUpIterations),
				runner);
	}

	@Test
	void startRunsTheConfiguredUpdatesInTheBackground() throws Exception {
		JobService jobs = jobs(2500);
		try {
			assertThat(jobs.warmedUp()).isNotDone();
			jobs.start();
			// whole runs of 1,000 updates: 2,500 asked means 3,000 run
			assertThat(jobs.warmedUp().get(60, TimeUnit.SECONDS)).isEqualTo(3000);
		}
		finally {
			jobs.destroy();
		}
	}

	@Test
	void readinessWaitsForTheWarmUp() throws Exception {
		JobService jobs = jobs(2000);
		WarmUpHealth health = new WarmUpHealth(jobs);
		try {
			// not started yet: the warm-up has not run
			assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			jobs.start();
			jobs.warmedUp().get(60, TimeUnit.SECONDS);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			assertThat(health.health().getDetails()).containsEntry("updates", 2000);
		}
		finally {
			jobs.destroy();
		}
	}

	@Test
	void aFailedWarmUpDoesNotKeepTheReplicaOutOfService() {
		CompletableFuture<Integer> failed = CompletableFuture.failedFuture(new IllegalStateException("boom"));
		assertThat(new WarmUpHealth(() -> failed).health().getStatus()).isEqualTo(Status.UP);
		// negative control: one still running does
		assertThat(new WarmUpHealth(CompletableFuture::new).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void zeroMeansNoWarmUp() throws Exception {
		JobService jobs = jobs(0);
		try {
			jobs.start();
			assertThat(jobs.warmedUp().get(1, TimeUnit.SECONDS)).isZero();
			assertThat(new WarmUpHealth(jobs).health().getStatus()).isEqualTo(Status.UP);
		}
		finally {
			jobs.destroy();
		}
	}

	@Test
	void theWarmUpAloneRunsWholeRuns() {
		assertThat(Trainer.warmUp(1)).isEqualTo(1000);
		assertThat(Trainer.warmUp(0)).isZero();
	}

}
