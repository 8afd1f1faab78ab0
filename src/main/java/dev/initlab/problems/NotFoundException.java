package dev.initlab.problems;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A named resource does not exist: 404 problem details of type {@code not-found} whose
 * {@code detail} says what was asked for and, where there is a list, what exists.
 */
public class NotFoundException extends ErrorResponseException {

	public NotFoundException(String detail) {
		super(HttpStatus.NOT_FOUND, problem(detail), null);
	}

	private static ProblemDetail problem(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
		problem.setType(ProblemTypes.of("not-found"));
		problem.setTitle("Not Found");
		return problem;
	}

}
