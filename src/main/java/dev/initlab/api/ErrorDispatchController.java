package dev.initlab.api;

import java.net.URI;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.initlab.problems.ProblemTypes;

/**
 * The container's error dispatch ({@code /error}) as an RFC 9457 problem, in place of
 * Boot's {@code {timestamp, status, error, path}}. Errors of the controllers never come
 * here ({@link ProblemDetailsAdvice} answers them); requests a filter turns away with
 * {@code sendError} do: Spring Security's firewall refusing an encoded {@code %},
 * {@code /} or {@code .}, a {@code ;} or {@code ..} in the path (found by the
 * hostile-input tests).
 * <p>
 * Hidden from the OpenAPI document: it is the container's plumbing, not an operation of
 * the API (springdoc would list it under every HTTP method, as its own tag).
 */
@Hidden
@RestController
class ErrorDispatchController implements ErrorController {

	private static final URI ABOUT_BLANK = URI.create("about:blank");

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		if (status == null || !status.isError()) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		ProblemDetail problem = ProblemDetail.forStatus(status);
		problem.setType(ABOUT_BLANK);
		if (status == HttpStatus.BAD_REQUEST) {
			problem.setDetail("The request was rejected before it reached initlab: its path or headers are "
					+ "malformed (an encoded '%', '/' or '.', a ';', '..' or a control character, for instance).");
		}
		else if (status.is5xxServerError()) {
			problem.setType(ProblemTypes.of("internal-error"));
			problem.setTitle("Internal error");
			problem.setDetail("An unexpected error occurred; it has been logged.");
		}
		else {
			problem.setDetail(status.getReasonPhrase() + ".");
		}
		if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
			try {
				problem.setInstance(URI.create(uri));
			}
			catch (IllegalArgumentException ex) {
				// not a URI reference: leave instance out rather than fail here
			}
		}
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
