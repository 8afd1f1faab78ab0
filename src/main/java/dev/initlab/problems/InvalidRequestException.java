package dev.initlab.problems;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * One or more request fields are invalid: 400 problem details with {@code errors:
 * [{field, message}]}.
 */
public class InvalidRequestException extends ErrorResponseException {

	public InvalidRequestException(String field, String message) {
		this(List.of(new FieldError(field, message)));
	}

	public InvalidRequestException(List<FieldError> errors) {
		super(HttpStatus.BAD_REQUEST, problem(errors), null);
	}

	private static ProblemDetail problem(List<FieldError> errors) {
		ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
		problem.setType(ProblemTypes.INVALID_REQUEST);
		problem.setTitle("Invalid request");
		problem.setDetail((errors.size() == 1) ? errors.get(0).field() + ": " + errors.get(0).message()
				: errors.size() + " fields are invalid; see errors");
		problem.setProperty("errors",
				errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
		return problem;
	}

	/**
	 * @param field path of the field in the request, e.g. {@code layers[2].kernel_size}
	 * @param message what is wrong and what is allowed
	 */
	public record FieldError(String field, String message) {
	}

}
