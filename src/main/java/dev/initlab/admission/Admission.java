package dev.initlab.admission;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Admission control: synchronous work declares the elements it will hold at its peak and
 * runs only while the total in flight stays within the budget
 * ({@code initlab.admission.max-elements-in-flight}). Beyond it a request waits up to
 * {@code initlab.admission.max-wait} for room, then gets 503 with {@code Retry-After}:
 * concurrency is bounded by memory, not by luck, so a burst of large requests queues or
 * is turned away instead of ending in an OutOfMemoryError. A request larger than the
 * whole budget waits until it can run alone.
 *
 * <p>
 * The budget is counted in units of {@link #UNIT} elements on a fair semaphore (first
 * come, first served).
 */
@Component
public class Admission {

	/** Elements per permit. */
	static final long UNIT = 1024;

	private final AdmissionProperties properties;

	private final long budget;

	private final int permits;

	private final Semaphore semaphore;

	@Autowired
	public Admission(AdmissionProperties properties) {
		this(properties, Runtime.getRuntime().maxMemory());
	}

	Admission(AdmissionProperties properties, long maxHeapBytes) {
		this.properties = properties;
		this.budget = properties.budget(maxHeapBytes);
		this.permits = (int) Math.min(Integer.MAX_VALUE, Math.max(1, this.budget / UNIT));
		this.semaphore = new Semaphore(this.permits, true);
	}

	/** Held room; closing it gives the room back (once, however often it is closed). */
	public static final class Permit implements AutoCloseable {

		private final Semaphore semaphore;

		private final int permits;

		private final AtomicBoolean open = new AtomicBoolean(true);

		private Permit(Semaphore semaphore, int permits) {
			this.semaphore = semaphore;
			this.permits = permits;
		}

		@Override
		public void close() {
			if (this.open.compareAndSet(true, false)) {
				this.semaphore.release(this.permits);
			}
		}

	}

	/**
	 * Waits for room for {@code elements}.
	 * @param elements the peak elements (8 bytes each) the work will hold
	 * @param what the work, for the 503's detail
	 * @return the permit to close when the work (and its response) is done
	 * @throws OverloadedException when no room freed up within the wait
	 */
	public Permit acquire(long elements, String what) {
		int needed = (int) Math.min(this.permits, Math.max(1, (elements + UNIT - 1) / UNIT));
		boolean acquired;
		try {
			acquired = this.semaphore.tryAcquire(needed, this.properties.maxWait().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			acquired = false;
		}
		if (!acquired) {
			throw new OverloadedException(what, elements, this.budget, inFlight(), this.properties);
		}
		return new Permit(this.semaphore, needed);
	}

	/** The budget in elements. */
	public long budget() {
		return this.budget;
	}

	/** Elements currently admitted (in units of {@link #UNIT}). */
	public long inFlight() {
		return (this.permits - (long) this.semaphore.availablePermits()) * UNIT;
	}

}
