package dev.initlab.access;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.initlab.problems.ProblemTypes;

/**
 * No API key, or one that is not configured: 401 problem details with
 * {@code WWW-Authenticate: Bearer} (RFC 6750; {@code error="invalid_token"} for a wrong
 * key). The key itself is never repeated.
 */
class UnauthorizedException extends ErrorResponseException {

	static final String REALM = "initlab";

	private UnauthorizedException(String detail, String challenge) {
		super(HttpStatus.UNAUTHORIZED, problem(detail), null);
		getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
	}

	static UnauthorizedException missing() {
		return new UnauthorizedException(
				"This server requires an API key (configuration property " + "initlab.security.enabled): send it as '"
						+ ApiKeyProperties.HEADER + ": <key>' or 'Authorization: Bearer <key>'.",
				"Bearer realm=\"" + REALM + "\"");
	}

	static UnauthorizedException invalid() {
		return new UnauthorizedException(
				"The API key is not one of this server's keys (configuration property " + "initlab.security.api-keys).",
				"Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"unknown API key\"");
	}

	private static ProblemDetail problem(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail);
		problem.setType(ProblemTypes.of("unauthorized"));
		problem.setTitle("Unauthorized");
		return problem;
	}

}
