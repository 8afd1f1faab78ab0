package dev.initlab.jobs;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The training engine's start-up warm-up as a health component, {@code trainingWarmUp}:
 * {@code OUT_OF_SERVICE} while it runs, then {@code UP}. The readiness group includes it,
 * so a replica takes traffic once its first experiment will run compiled code (about a
 * second after start; at once with {@code initlab.jobs.warm-up-iterations=0}). A warm-up
 * that failed only costs speed, so it reports {@code UP} too, saying so.
 */
@Component("trainingWarmUp")
class WarmUpHealth implements HealthIndicator {

	private final Supplier<CompletableFuture<Integer>> warmUp;

	@Autowired
	WarmUpHealth(JobService jobs) {
		this(jobs::warmedUp);
	}

	WarmUpHealth(Supplier<CompletableFuture<Integer>> warmUp) {
		this.warmUp = warmUp;
	}

	@Override
	public Health health() {
		CompletableFuture<Integer> warmedUp = this.warmUp.get();
		if (!warmedUp.isDone()) {
			return Health.outOfService().withDetail("warm_up", "running").build();
		}
		if (warmedUp.isCompletedExceptionally()) {
			return Health.up().withDetail("warm_up", "failed, see the log").build();
		}
		return Health.up().withDetail("updates", warmedUp.join()).build();
	}

}
