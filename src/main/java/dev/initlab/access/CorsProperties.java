package dev.initlab.access;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access to {@code /api/**} for browser clients (a notebook or page served
 * from another origin); configuration properties under {@code initlab.cors}. Off while
 * {@code allowed-origins} is empty, the default.
 *
 * @param allowedOrigins origins allowed to call the API, e.g.
 * {@code https://notebooks.example.org}; patterns such as {@code https://*.example.org}
 * and {@code *} work too
 * @param allowedMethods methods a cross-origin request may use
 * @param allowedHeaders request headers it may send
 * @param exposedHeaders response headers its script may read
 * @param allowCredentials whether the browser may send cookies or HTTP authentication
 * (the API key headers are not credentials in this sense and need no such permission)
 * @param maxAge how long a browser may cache a preflight answer
 */
@ConfigurationProperties("initlab.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue( {
		"GET", "POST", "DELETE" }) List<String> allowedMethods,
		@DefaultValue({ "Content-Type", "Accept", "Prefer", "X-API-Key", "Authorization" }) List<String> allowedHeaders,
		@DefaultValue({ "Location", "Retry-After", "Preference-Applied", "Content-Disposition",
				"WWW-Authenticate" }) List<String> exposedHeaders,
		@DefaultValue("false") boolean allowCredentials, @DefaultValue("1h") Duration maxAge){

	boolean enabled() {
		return !this.allowedOrigins.isEmpty();
	}

}
