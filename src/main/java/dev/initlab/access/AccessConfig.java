package dev.initlab.access;

import io.github.bucket4j.TimeMeter;
import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Who may call initlab, how often, and from which web origins: one Spring Security filter
 * chain, the same whether authentication is on or off.
 * <p>
 * Always: stateless, no sessions, no login page, no HTTP Basic, no CSRF (nothing rides on
 * cookies), CORS on {@code /api/**} only when {@code initlab.cors.allowed-origins} is
 * set, and the rate limit on {@code /api/**} when {@code initlab.rate-limit.enabled}.
 * With {@code initlab.security.enabled}: every path needs an API key except
 * {@code /actuator/health/**}, {@code /actuator/info} and
 * {@code initlab.security.public-paths} (the OpenAPI document, Swagger UI and the lab
 * page with its assets by default); {@code /actuator/prometheus} needs one unless listed
 * there.
 */
@Configuration(proxyBeanMethods = false)
class AccessConfig {

	static final String API = "/api/**";

	@Bean
	RateLimits rateLimits(RateLimitProperties properties, ObjectProvider<TimeMeter> time) {
		return new RateLimits(properties, time.getIfAvailable(() -> TimeMeter.SYSTEM_MILLISECONDS));
	}

	@Bean
	SecurityFilterChain accessFilterChain(HttpSecurity http, ApiKeyProperties security, CorsProperties cors,
			RateLimits rateLimits, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver)
			throws Exception {
		ProblemResponses problems = new ProblemResponses(exceptionResolver);
		SecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
		http.csrf(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.securityContext((context) -> context.securityContextRepository(contexts));
		if (cors.enabled()) {
			http.cors((c) -> c.configurationSource(corsSource(cors)));
		}
		else {
			http.cors(AbstractHttpConfigurer::disable);
		}
		if (security.enabled()) {
			ApiKeys keys = ApiKeys.parse(security.apiKeys());
			if (keys.isEmpty()) {
				throw new IllegalStateException("initlab.security.enabled is true but initlab.security.api-keys is "
						+ "empty, so no request could get in: set INITLAB_SECURITY_API_KEYS=name:secret,...");
			}
			http.addFilterBefore(new ApiKeyFilter(keys, contexts), AnonymousAuthenticationFilter.class)
				.exceptionHandling((errors) -> errors.authenticationEntryPoint(new ApiKeyEntryPoint(problems)))
				.authorizeHttpRequests((requests) -> {
					// the original request was checked; its async (SSE) and error
					// dispatches follow it
					requests.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
					requests.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll();
					if (!security.publicPaths().isEmpty()) {
						requests.requestMatchers(security.publicPaths().toArray(String[]::new)).permitAll();
					}
					requests.anyRequest().authenticated();
				});
		}
		else {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		}
		if (rateLimits.properties().enabled()) {
			RequestMatcher api = PathPatternRequestMatcher.withDefaults().matcher(API);
			http.addFilterAfter(new RateLimitFilter(rateLimits, api, problems), AnonymousAuthenticationFilter.class);
		}
		return http.build();
	}

	private static UrlBasedCorsConfigurationSource corsSource(CorsProperties properties) {
		CorsConfiguration config = new CorsConfiguration();
		config.setAllowedOriginPatterns(properties.allowedOrigins());
		config.setAllowedMethods(properties.allowedMethods());
		config.setAllowedHeaders(properties.allowedHeaders());
		config.setExposedHeaders(properties.exposedHeaders());
		config.setAllowCredentials(properties.allowCredentials());
		config.setMaxAge(properties.maxAge());
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration(API, config);
		return source;
	}

}
