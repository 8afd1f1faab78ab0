package dev.initlab.problems;

import java.math.BigDecimal;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request asks for more than a configured limit allows: 400 (or, for the body size,
 * 413) problem details whose {@code detail} states the amount requested, the limit and
 * the property that sets it.
 */
public class LimitExceededException extends ErrorResponseException {

	public LimitExceededException(String what, long requested, long limit, String property, String advice) {
		this(HttpStatus.BAD_REQUEST, what, requested, limit, property, advice);
	}

	public LimitExceededException(HttpStatus status, String what, long requested, long limit, String property,
			String advice) {
		super(status, problem(status, what, requested, Long.toString(requested), limit, property, advice), null);
	}

	/**
	 * An amount of any size, such as one too large for the field's type.
	 * @param requested the amount
	 * @param written the amount as the request wrote it ({@code 1e30})
	 */
	public LimitExceededException(String what, BigDecimal requested, String written, long limit, String property) {
		super(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, what, requested, written, limit, property, null),
				null);
	}

	private static ProblemDetail problem(HttpStatus status, String what, Number requested, String written, long limit,
			String property, String advice) {
		ProblemDetail problem = ProblemDetail.forStatus(status);
		problem.setType(ProblemTypes.LIMIT_EXCEEDED);
		problem.setTitle("Limit exceeded");
		problem.setDetail("The request asks for " + written + " " + what + "; the limit is " + limit
				+ " (configuration property " + property + ")." + ((advice != null) ? " " + advice : ""));
		problem.setProperty("requested", requested);
		problem.setProperty("limit", limit);
		problem.setProperty("property", property);
		return problem;
	}

}
