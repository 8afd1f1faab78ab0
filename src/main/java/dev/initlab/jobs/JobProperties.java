package dev.initlab.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The experiment job queue; configuration properties under {@code initlab.jobs}.
 *
 * @param workers jobs trained at once (0: the CPU count)
 * @param queueCapacity jobs waiting beyond the workers; a full queue answers 429
 * @param retention how long a finished job stays readable
 * @param maxWait the longest {@code Prefer: wait=N} honoured
 * @param retryAfter the {@code Retry-After} of a 429, in seconds
 * @param warmUpIterations training updates run once at start-up, on a background thread,
 * so that the first experiments run JIT-compiled code (0: none)
 */
@ConfigurationProperties("initlab.jobs")
public record JobProperties(@DefaultValue("0") int workers, @DefaultValue("32") int queueCapacity,
		@DefaultValue("1h") Duration retention, @DefaultValue("60s") Duration maxWait,
		@DefaultValue("5") int retryAfter, @DefaultValue("30000") int warmUpIterations) {
}
