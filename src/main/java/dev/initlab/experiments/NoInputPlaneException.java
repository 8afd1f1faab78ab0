package dev.initlab.experiments;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.initlab.problems.ProblemTypes;

/**
 * An experiment's data are not points of a plane, so it has no decision boundary to draw:
 * 409 problem details of type {@code input-not-2d}.
 */
public class NoInputPlaneException extends ErrorResponseException {

	NoInputPlaneException(String detail) {
		super(HttpStatus.CONFLICT, problem(detail), null);
	}

	private static ProblemDetail problem(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
		problem.setType(ProblemTypes.of("input-not-2d"));
		problem.setTitle("No input plane");
		return problem;
	}

}
