package dev.initlab.access;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.initlab.problems.ProblemTypes;

/**
 * A client sent more requests than its rate limit allows: 429 with {@code Retry-After}.
 */
class RateLimitedException extends ErrorResponseException {

	RateLimitedException(String client, RateLimitProperties limit, long retryAfterSeconds) {
		super(HttpStatus.TOO_MANY_REQUESTS, problem(client, limit, retryAfterSeconds), null);
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
	}

	private static ProblemDetail problem(String client, RateLimitProperties limit, long retryAfterSeconds) {
		ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.TOO_MANY_REQUESTS);
		problem.setType(ProblemTypes.of("rate-limited"));
		problem.setTitle("Too Many Requests");
		problem.setDetail(client + " has used its " + limit.burst() + " requests (configuration property "
				+ RateLimitProperties.PREFIX + "burst), refilled at " + limit.requests() + " per " + limit.period()
				+ " (configuration properties " + RateLimitProperties.PREFIX + "requests and "
				+ RateLimitProperties.PREFIX + "period); retry after " + retryAfterSeconds + " s.");
		problem.setProperty("limit", limit.requests());
		problem.setProperty("period", limit.period().toString());
		problem.setProperty("burst", limit.burst());
		problem.setProperty("property", RateLimitProperties.PREFIX + "requests");
		return problem;
	}

}
