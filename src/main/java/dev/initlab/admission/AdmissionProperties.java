package dev.initlab.admission;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The memory budget of synchronous work (generation and propagation), in elements of 8
 * bytes held at once.
 *
 * @param maxElementsInFlight the budget; 0 = a quarter of the JVM's maximum heap
 * @param maxWait how long a request waits for room before it gets 503
 * @param retryAfter the {@code Retry-After} of that 503, in seconds
 */
@ConfigurationProperties(prefix = "initlab.admission")
public record AdmissionProperties(@DefaultValue("0") long maxElementsInFlight, @DefaultValue("2s") Duration maxWait,
		@DefaultValue("1") int retryAfter) {

	public static final String PREFIX = "initlab.admission.";

	public AdmissionProperties {
		if (maxElementsInFlight < 0) {
			throw new IllegalArgumentException(
					PREFIX + "max-elements-in-flight must be >= 0 (0 = a quarter of the heap)");
		}
		if (maxWait.isNegative()) {
			throw new IllegalArgumentException(PREFIX + "max-wait must not be negative");
		}
		if (retryAfter < 1) {
			throw new IllegalArgumentException(PREFIX + "retry-after must be >= 1");
		}
	}

	/** The budget in elements, resolving 0 against {@code maxHeapBytes}. */
	long budget(long maxHeapBytes) {
		return (this.maxElementsInFlight > 0) ? this.maxElementsInFlight : Math.max(1, maxHeapBytes / 8 / 4);
	}

}
