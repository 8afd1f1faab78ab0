package dev.initlab.admission;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionTests {

	private static Admission admission(long budget, Duration wait) {
		return new Admission(new AdmissionProperties(budget, wait, 3), 1L << 30);
	}

	@Test
	void zeroMeansAQuarterOfTheHeap() {
		Admission auto = new Admission(new AdmissionProperties(0, Duration.ZERO, 1), 512L << 20);
		assertThat(auto.budget()).isEqualTo((512L << 20) / 8 / 4);
	}

	@Test
	void requestsWithinTheBudgetRunTogether() {
		Admission admission = admission(10 * Admission.UNIT, Duration.ZERO);
		Admission.Permit a = admission.acquire(4 * Admission.UNIT, "a");
		Admission.Permit b = admission.acquire(6 * Admission.UNIT, "b");
		assertThat(admission.inFlight()).isEqualTo(10 * Admission.UNIT);
		a.close();
		b.close();
		assertThat(admission.inFlight()).isZero();
	}

	@Test
	void beyondTheBudgetIsA503WithRetryAfterNamingTheProperty() {
		Admission admission = admission(10 * Admission.UNIT, Duration.ofMillis(50));
		try (Admission.Permit held = admission.acquire(8 * Admission.UNIT, "first")) {
			assertThatThrownBy(() -> admission.acquire(3 * Admission.UNIT, "this response"))
				.isInstanceOfSatisfying(OverloadedException.class, (ex) -> {
					assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
					assertThat(ex.getHeaders().getFirst("Retry-After")).isEqualTo("3");
					assertThat(ex.getBody().getType().toString()).endsWith("/overloaded");
					assertThat(ex.getBody().getDetail()).contains("this response")
						.contains("initlab.admission.max-elements-in-flight")
						.contains("initlab.admission.max-wait");
				});
		}
		// the failed attempt took nothing
		assertThat(admission.inFlight()).isZero();
	}

	@Test
	void aWaitingRequestRunsWhenRoomFreesUp() throws Exception {
		Admission admission = admission(10 * Admission.UNIT, Duration.ofSeconds(30));
		Admission.Permit held = admission.acquire(8 * Admission.UNIT, "first");
		CompletableFuture<Admission.Permit> waiting = CompletableFuture
			.supplyAsync(() -> admission.acquire(5 * Admission.UNIT, "second"));
		// it cannot get in while the first holds 8 of 10
		assertThat(waiting).isNotDone();
		held.close();
		Admission.Permit second = waiting.get(30, TimeUnit.SECONDS);
		assertThat(admission.inFlight()).isEqualTo(5 * Admission.UNIT);
		second.close();
	}

	@Test
	void aRequestLargerThanTheBudgetRunsAlone() {
		Admission admission = admission(10 * Admission.UNIT, Duration.ZERO);
		try (Admission.Permit huge = admission.acquire(1_000 * Admission.UNIT, "huge")) {
			assertThat(admission.inFlight()).isEqualTo(10 * Admission.UNIT);
			assertThatThrownBy(() -> admission.acquire(1, "tiny")).isInstanceOf(OverloadedException.class);
		}
		admission.acquire(1, "tiny").close();
	}

	@Test
	void closingAPermitTwiceGivesItsRoomBackOnce() {
		Admission admission = admission(10 * Admission.UNIT, Duration.ZERO);
		Admission.Permit a = admission.acquire(6 * Admission.UNIT, "a");
		Admission.Permit b = admission.acquire(4 * Admission.UNIT, "b");
		a.close();
		a.close();
		assertThat(admission.inFlight()).isEqualTo(4 * Admission.UNIT);
		b.close();
	}

	@Test
	void invalidSettingsAreRefusedAtStartUp() {
		assertThatThrownBy(() -> new AdmissionProperties(-1, Duration.ZERO, 1))
			.hasMessageContaining("initlab.admission.max-elements-in-flight");
		assertThatThrownBy(() -> new AdmissionProperties(0, Duration.ofSeconds(-1), 1))
			.hasMessageContaining("initlab.admission.max-wait");
		assertThatThrownBy(() -> new AdmissionProperties(0, Duration.ZERO, 0))
			.hasMessageContaining("initlab.admission.retry-after");
	}

}
