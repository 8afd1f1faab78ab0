package dev.initlab.admission;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.initlab.problems.ProblemTypes;

/** No room in the memory budget within the wait: 503 with {@code Retry-After}. */
public class OverloadedException extends ErrorResponseException {

	OverloadedException(String what, long elements, long budget, long inFlight, AdmissionProperties properties) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(what, elements, budget, inFlight, properties), null);
		getHeaders().set("Retry-After", Integer.toString(properties.retryAfter()));
	}

	private static ProblemDetail problem(String what, long elements, long budget, long inFlight,
			AdmissionProperties properties) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The server is busy: " + what + " needs room for " + elements + " elements, and " + inFlight
						+ " of the " + budget + " allowed in flight (configuration property "
						+ AdmissionProperties.PREFIX + "max-elements-in-flight) stayed taken for "
						+ properties.maxWait().toMillis() + " ms (" + AdmissionProperties.PREFIX
						+ "max-wait); retry after " + properties.retryAfter() + " s.");
		problem.setType(ProblemTypes.of("overloaded"));
		problem.setTitle("Service Unavailable");
		problem.setProperty("elements", elements);
		problem.setProperty("max_elements_in_flight", budget);
		return problem;
	}

}
