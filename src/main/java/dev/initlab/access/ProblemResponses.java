package dev.initlab.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers a request that a filter turns away (401, 429) through Spring MVC's exception
 * resolvers, so it gets the same problem details as any error of a controller: one
 * {@code @RestControllerAdvice}, one format.
 */
final class ProblemResponses {

	private final HandlerExceptionResolver resolver;

	ProblemResponses(HandlerExceptionResolver resolver) {
		this.resolver = resolver;
	}

	void send(HttpServletRequest request, HttpServletResponse response, ErrorResponseException ex) {
		ModelAndView resolved = this.resolver.resolveException(request, response, null, ex);
		if (resolved == null) {
			throw new IllegalStateException("no exception resolver answered " + ex.getStatusCode(), ex);
		}
	}

}
