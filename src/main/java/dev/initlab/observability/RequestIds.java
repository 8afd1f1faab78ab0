package dev.initlab.observability;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.MDC;

/**
 * The request id: what {@link RequestIdFilter} gives every request, answers in the
 * {@value #HEADER} header, puts in the logging context (MDC key {@value #MDC_KEY}) and
 * {@code ProblemRequestIds} adds to every problem details body.
 * <p>
 * Work handed to another thread loses the MDC; {@link #propagate(Runnable)} carries it
 * over, so a job logs with the id of the request that created it.
 */
public final class RequestIds {

	/** The request and response header. */
	public static final String HEADER = "X-Request-Id";

	/** The MDC key, and the problem details property. */
	public static final String MDC_KEY = "request_id";

	/** The request attribute holding the id, for async and error dispatches. */
	static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

	/**
	 * A client's id is kept when it is 1 to 64 characters of letters, digits and
	 * {@code . _ : -}: enough for UUIDs, W3C trace ids and most gateways' ids, and
	 * nothing that could forge a log line or a header.
	 */
	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	private RequestIds() {
	}

	/** The client's id if it is safe to keep, else a new random UUID. */
	static String accept(String supplied) {
		return (supplied != null && SAFE.matcher(supplied).matches()) ? supplied : UUID.randomUUID().toString();
	}

	/** The id of a request, or null when the filter has not seen it. */
	public static String of(HttpServletRequest request) {
		Object id = request.getAttribute(ATTRIBUTE);
		return (id instanceof String s) ? s : null;
	}

	/** The id of the request this thread works for, or null. */
	public static String current() {
		return MDC.get(MDC_KEY);
	}

	/**
	 * {@code task} with this thread's logging context, to run on another thread; that
	 * thread's own context is restored afterwards.
	 */
	public static Runnable propagate(Runnable task) {
		Map<String, String> context = MDC.getCopyOfContextMap();
		return () -> {
			Map<String, String> previous = MDC.getCopyOfContextMap();
			set(context);
			try {
				task.run();
			}
			finally {
				set(previous);
			}
		};
	}

	/** As {@link #propagate(Runnable)}, for a task with a result. */
	public static <T> Callable<T> propagate(Callable<T> task) {
		Map<String, String> context = MDC.getCopyOfContextMap();
		return () -> {
			Map<String, String> previous = MDC.getCopyOfContextMap();
			set(context);
			try {
				return task.call();
			}
			finally {
				set(previous);
			}
		};
	}

	private static void set(Map<String, String> context) {
		if (context == null) {
			MDC.clear();
		}
		else {
			MDC.setContextMap(context);
		}
	}

}
