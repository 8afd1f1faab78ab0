package dev.initlab.observability;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id (the client's {@code X-Request-Id} when it is safe, else a
 * new one), answers it in the response's {@code X-Request-Id} and keeps it in the MDC
 * while the request is served, so every log line of the request carries it. First of all
 * filters, so even a request that security or a rate limit turns away has one. Runs again
 * on the async dispatch that ends a streamed or SSE response and on the error dispatch,
 * with the same id.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = RequestIds.of(request);
		if (id == null) {
			id = RequestIds.accept(request.getHeader(RequestIds.HEADER));
			request.setAttribute(RequestIds.ATTRIBUTE, id);
		}
		if (!response.isCommitted() && !response.containsHeader(RequestIds.HEADER)) {
			response.setHeader(RequestIds.HEADER, id);
		}
		String previous = MDC.get(RequestIds.MDC_KEY);
		MDC.put(RequestIds.MDC_KEY, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (previous != null) {
				MDC.put(RequestIds.MDC_KEY, previous);
			}
			else {
				MDC.remove(RequestIds.MDC_KEY);
			}
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected void doFilterNestedErrorDispatch(HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws ServletException, IOException {
		doFilterInternal(request, response, chain);
	}

}
