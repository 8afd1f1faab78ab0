package dev.initlab.access;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Optional API-key authentication; configuration properties under
 * {@code initlab.security}.
 *
 * @param enabled whether {@code /api/**} needs a key (off by default: everything is open)
 * @param apiKeys the keys, each {@code name:secret} (the name is who owns the jobs and
 * the rate-limit bucket, and what the logs may show) or a bare {@code secret} (named
 * {@code key-1}, {@code key-2}, ... by position); from the environment
 * {@code INITLAB_SECURITY_API_KEYS=alice:s3cret,bob:t0ken}
 * @param publicPaths paths open without a key besides {@code /actuator/health/**} and
 * {@code /actuator/info}, which are always open for probes: by default the OpenAPI
 * document, Swagger UI and the lab page ({@code /}, its script, style sheet and the
 * webjars it loads), which hold no data and send the key the user types to
 * {@code /api/**}
 */
@ConfigurationProperties("initlab.security")
public record ApiKeyProperties(@DefaultValue("false") boolean enabled, @DefaultValue List<String> apiKeys,
		@DefaultValue( {
				"/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/", "/index.html", "/lab.js", "/lab.css",
				"/webjars/**" }) List<String> publicPaths){

	/** The header that carries the key; {@code Authorization: Bearer <key>} works too. */
	public static final String HEADER = "X-API-Key";

}
