package dev.initlab.access;

import java.io.IOException;

import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes a token from the client's bucket for each request to {@code /api/**} and answers
 * 429 when there is none. Runs after authentication, so a client is its API key's name
 * when one was accepted and its remote address otherwise (requests without a valid key
 * included: guessing keys costs tokens too).
 */
final class RateLimitFilter extends OncePerRequestFilter {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final RateLimits limits;

	private final RequestMatcher paths;

	private final ProblemResponses problems;

	RateLimitFilter(RateLimits limits, RequestMatcher paths, ProblemResponses problems) {
		this.limits = limits;
		this.paths = paths;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.paths.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String client = client(request);
		ConsumptionProbe probe = this.limits.tryConsume(client);
		if (probe.isConsumed()) {
			chain.doFilter(request, response);
			return;
		}
		long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
		this.problems.send(request, response,
				new RateLimitedException(describe(client), this.limits.properties(), retryAfter));
	}

	private static String client(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken)) {
			return "key:" + authentication.getName();
		}
		return "address:" + request.getRemoteAddr();
	}

	/** {@code API key 'alice'} or {@code address 10.0.0.1}. */
	private static String describe(String client) {
		return client.startsWith("key:") ? "API key '" + client.substring(4) + "'" : "address " + client.substring(8);
	}

}
