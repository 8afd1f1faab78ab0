package dev.initlab.observability;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.initlab.observability.Rejections.Reason;
import dev.initlab.problems.ProblemTypes;

import static org.assertj.core.api.Assertions.assertThat;

class RejectionsTests {

	@Test
	void aProblemsTypeNamesItsReason() {
		assertThat(Reason.of(problem(HttpStatus.TOO_MANY_REQUESTS, "queue-full"))).hasValue(Reason.QUEUE_FULL);
		assertThat(Reason.of(problem(HttpStatus.BAD_REQUEST, "limit-exceeded"))).hasValue(Reason.LIMIT_EXCEEDED);
		assertThat(Reason.of(problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited"))).hasValue(Reason.RATE_LIMITED);
		assertThat(Reason.of(problem(HttpStatus.SERVICE_UNAVAILABLE, "overloaded"))).hasValue(Reason.OVERLOADED);
		// any 413 is a limit, whatever its type
		assertThat(Reason.of(ProblemDetail.forStatus(HttpStatus.CONTENT_TOO_LARGE))).hasValue(Reason.LIMIT_EXCEEDED);
		// a client's mistake is no rejection
		assertThat(Reason.of(problem(HttpStatus.BAD_REQUEST, "invalid-request"))).isEmpty();
		assertThat(Reason.of(ProblemDetail.forStatus(HttpStatus.NOT_FOUND))).isEmpty();
		assertThat(Reason.of(problem(HttpStatus.BAD_REQUEST, "not-a-queue-full"))).isEmpty();
	}

	@Test
	void everyReasonIsExportedFromZeroAndCountsWhatItIsGiven() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		Rejections rejections = new Rejections();
		rejections.bindTo(registry);
		for (Reason reason : Reason.values()) {
			assertThat(registry.get("initlab.rejections").tag("reason", reason.tag()).functionCounter().count())
				.isZero();
		}
		rejections.count(Reason.RATE_LIMITED);
		rejections.count(Reason.RATE_LIMITED);
		rejections.beforeBodyWrite(problem(HttpStatus.TOO_MANY_REQUESTS, "queue-full"), null, null, null, null, null);
		rejections.beforeBodyWrite("not a problem", null, null, null, null, null);
		assertThat(registry.get("initlab.rejections").tag("reason", "rate_limited").functionCounter().count())
			.isEqualTo(2);
		assertThat(registry.get("initlab.rejections").tag("reason", "queue_full").functionCounter().count())
			.isEqualTo(1);
		assertThat(registry.get("initlab.rejections").tag("reason", "overloaded").functionCounter().count()).isZero();
	}

	private static ProblemDetail problem(HttpStatus status, String slug) {
		ProblemDetail problem = ProblemDetail.forStatus(status);
		problem.setType(ProblemTypes.of(slug));
		return problem;
	}

}
