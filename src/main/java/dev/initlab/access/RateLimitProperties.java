package dev.initlab.access;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-client rate limits on {@code /api/**}; configuration properties under
 * {@code initlab.rate-limit}. A client is its API key when authentication is on, else its
 * remote address. Each client has a token bucket: it holds up to {@code burst} requests
 * and refills at {@code requests} per {@code period}; an empty bucket answers 429 with
 * {@code Retry-After}.
 *
 * @param enabled whether requests are limited (off by default)
 * @param requests requests a client may send per {@code period}, sustained
 * @param period the period of {@code requests}
 * @param burst requests a client may send at once after being idle (the bucket's size)
 * @param maxClients clients remembered at once; beyond it the least recently seen are
 * forgotten (and start again with a full bucket)
 */
@ConfigurationProperties("initlab.rate-limit")
public record RateLimitProperties(@DefaultValue("false") boolean enabled, @DefaultValue("600") long requests,
		@DefaultValue("1m") Duration period, @DefaultValue("100") long burst, @DefaultValue("100000") long maxClients) {

	static final String PREFIX = "initlab.rate-limit.";

	public RateLimitProperties {
		positive(requests, "requests");
		positive(burst, "burst");
		positive(maxClients, "max-clients");
		if (period == null || period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException(PREFIX + "period must be positive, was " + period);
		}
	}

	private static void positive(long value, String name) {
		if (value < 1) {
			throw new IllegalArgumentException(PREFIX + name + " must be at least 1, was " + value);
		}
	}

	/** How long an idle client's bucket takes to fill from empty. */
	Duration refillTime() {
		double nanos = Math.ceil((double) this.period.toNanos() * this.burst / this.requests);
		return Duration.ofNanos((long) Math.min(nanos, Long.MAX_VALUE));
	}

}
