package dev.initlab.access;

import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * One Bucket4j token bucket per client, kept in a Caffeine cache bounded by
 * {@code max-clients}. A bucket idle for its whole refill time is full again, so it is
 * dropped then: a new one is the same bucket, and memory stays bounded by the clients
 * seen recently.
 */
final class RateLimits {

	private final RateLimitProperties properties;

	private final TimeMeter time;

	private final Cache<String, Bucket> buckets;

	RateLimits(RateLimitProperties properties, TimeMeter time) {
		this.properties = properties;
		this.time = time;
		this.buckets = Caffeine.newBuilder()
			.maximumSize(properties.maxClients())
			.expireAfterAccess(properties.refillTime().toNanos(), TimeUnit.NANOSECONDS)
			.ticker(time::currentTimeNanos)
			.build();
	}

	RateLimitProperties properties() {
		return this.properties;
	}

	/** Takes one request from the client's bucket, or says how long to wait for one. */
	ConsumptionProbe tryConsume(String client) {
		return this.buckets.get(client, (key) -> newBucket()).tryConsumeAndReturnRemaining(1);
	}

	private Bucket newBucket() {
		return Bucket.builder()
			.addLimit((limit) -> limit.capacity(this.properties.burst())
				.refillGreedy(this.properties.requests(), this.properties.period()))
			.withCustomTimePrecision(this.time)
			.build();
	}

}
