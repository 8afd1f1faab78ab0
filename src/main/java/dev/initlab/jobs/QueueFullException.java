package dev.initlab.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.initlab.problems.ProblemTypes;

/** The job queue is full: 429 with {@code Retry-After}. */
public class QueueFullException extends ErrorResponseException {

	QueueFullException(int capacity, int retryAfter) {
		super(HttpStatus.TOO_MANY_REQUESTS, problem(capacity), null);
		getHeaders().set("Retry-After", Integer.toString(retryAfter));
	}

	private static ProblemDetail problem(int capacity) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				"All workers are busy and " + capacity + " experiments are already queued (configuration property "
						+ "initlab.jobs.queue-capacity); retry later.");
		problem.setType(ProblemTypes.of("queue-full"));
		problem.setTitle("Too Many Requests");
		return problem;
	}

}
