package dev.initlab.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/** 401 problem details, never Spring Security's empty body or a login page. */
final class ApiKeyEntryPoint implements AuthenticationEntryPoint {

	private final ProblemResponses problems;

	ApiKeyEntryPoint(ProblemResponses problems) {
		this.problems = problems;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) {
		this.problems.send(request, response, (request.getAttribute(ApiKeyFilter.INVALID_KEY) != null)
				? UnauthorizedException.invalid() : UnauthorizedException.missing());
	}

}
