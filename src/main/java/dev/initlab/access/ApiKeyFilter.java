package dev.initlab.access;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads the API key from {@code X-API-Key} or, when that header is absent,
 * {@code Authorization: Bearer <key>}. A known key authenticates the request as the key's
 * name; a request without a key goes on anonymous, and one with an unknown key is marked
 * so and goes on anonymous too: the authorization rules then decide (public paths stay
 * open, the rest answers 401 through {@link ApiKeyEntryPoint}), and the rate limit, which
 * comes after this filter, counts failed guesses against the caller's address.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

	/** Request attribute set when a key was sent but is not configured. */
	static final String INVALID_KEY = ApiKeyFilter.class.getName() + ".INVALID_KEY";

	private static final String BEARER = "Bearer ";

	private static final List<SimpleGrantedAuthority> CLIENT = List.of(new SimpleGrantedAuthority("ROLE_CLIENT"));

	private final ApiKeys keys;

	private final SecurityContextRepository repository;

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	ApiKeyFilter(ApiKeys keys, SecurityContextRepository repository) {
		this.keys = keys;
		this.repository = repository;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = presented(request);
		if (presented != null) {
			Optional<String> owner = this.keys.owner(presented);
			if (owner.isPresent()) {
				SecurityContext context = this.holder.createEmptyContext();
				context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(owner.get(), null, CLIENT));
				this.holder.setContext(context);
				this.repository.saveContext(context, request, response);
			}
			else {
				request.setAttribute(INVALID_KEY, Boolean.TRUE);
			}
		}
		chain.doFilter(request, response);
	}

	/** The key sent, or {@code null} when none was. */
	static String presented(HttpServletRequest request) {
		String header = request.getHeader(ApiKeyProperties.HEADER);
		if (header != null) {
			return header.strip();
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return authorization.substring(BEARER.length()).strip();
		}
		return null;
	}

}
