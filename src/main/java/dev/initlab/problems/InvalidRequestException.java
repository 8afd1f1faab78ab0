package dev.initlab.problems;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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

	/**
	 * The problem of these field errors: {@code detail} is the one error, or their count;
	 * {@code errors} lists them all.
	 */
	public static ProblemDetail problem(List<FieldError> errors) {
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
	 * The value a request field names, looked up once: {@code fallback} when the field is
	 * absent; an unknown name adds "unknown {@code what} 'name'; allowed: ..." for
	 * {@code field} to {@code errors} (so one response names every field at fault) and
	 * gives {@code fallback}.
	 * @param field path of the field, e.g. {@code dataset.rng}
	 * @param what what the field names, e.g. {@code rng}
	 * @param name the name given, or null
	 * @param fallback the value when absent or unknown
	 * @param byName the registry's lookup
	 * @param allowed the registry's names
	 * @param errors where an unknown name is reported
	 */
	public static <T> T lookup(String field, String what, String name, T fallback, Function<String, Optional<T>> byName,
			List<String> allowed, List<FieldError> errors) {
		if (name == null) {
			return fallback;
		}
		Optional<T> found = byName.apply(name);
		if (found.isEmpty()) {
			errors.add(unknown(field, what, name, allowed));
			return fallback;
		}
		return found.get();
	}

	/**
	 * The value a request field names, looked up once; see
	 * {@link #lookup(String, String, String, Object, Function, List, List)}.
	 * @throws InvalidRequestException when the name is unknown
	 */
	public static <T> T lookup(String field, String what, String name, T fallback, Function<String, Optional<T>> byName,
			List<String> allowed) {
		List<FieldError> errors = new java.util.ArrayList<>();
		T value = lookup(field, what, name, fallback, byName, allowed, errors);
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		return value;
	}

	/** "unknown {@code what} 'name'; allowed: a, b, c" for {@code field}. */
	public static FieldError unknown(String field, String what, String name, List<String> allowed) {
		return new FieldError(field, "unknown " + what + " '" + name + "'; allowed: " + String.join(", ", allowed));
	}

	/**
	 * @param field path of the field in the request, e.g. {@code layers[2].kernel_size}
	 * @param message what is wrong and what is allowed
	 */
	public record FieldError(String field, String message) {
	}

}
