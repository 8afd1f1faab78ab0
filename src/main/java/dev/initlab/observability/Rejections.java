package dev.initlab.observability;

import java.net.URI;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Requests the service turned away for capacity or policy rather than for a mistake in
 * them, counted by reason: {@code initlab_rejections_total{reason="queue_full"}}.
 * <p>
 * Problem details written by Spring MVC are counted on their way out, by their
 * {@code type}: a type ending in {@code /queue-full}, {@code /limit-exceeded},
 * {@code /rate-limited} or {@code /overloaded} is that reason (the reason is the type's
 * last segment with {@code _} for {@code -}), and any 413 is {@code limit_exceeded}. So
 * an {@code ErrorResponseException} with such a type needs nothing more; code that
 * answers outside MVC (a servlet filter) calls {@link #count(Reason)}.
 */
@ControllerAdvice
public class Rejections implements ResponseBodyAdvice<Object>, MeterBinder {

	/** Why a request was turned away. */
	public enum Reason {

		/** The experiment queue is full (429). */
		QUEUE_FULL,

		/** A configured limit was exceeded (400, or 413 for a body). */
		LIMIT_EXCEEDED,

		/** The client sent more requests than its rate allows (429). */
		RATE_LIMITED,

		/** The server has no capacity left for the request (503). */
		OVERLOADED;

		/** The tag value, e.g. {@code queue_full}. */
		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

		/**
		 * The last segment of the problem types of this reason, e.g. {@code queue-full}.
		 */
		String slug() {
			return tag().replace('_', '-');
		}

		/** The reason a problem stands for, if it is a rejection. */
		public static Optional<Reason> of(ProblemDetail problem) {
			URI type = problem.getType();
			if (type != null) {
				String text = type.toString();
				for (Reason reason : values()) {
					if (text.endsWith("/" + reason.slug())) {
						return Optional.of(reason);
					}
				}
			}
			if (problem.getStatus() == HttpStatus.CONTENT_TOO_LARGE.value()) {
				return Optional.of(LIMIT_EXCEEDED);
			}
			return Optional.empty();
		}

	}

	private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

	public Rejections() {
		for (Reason reason : Reason.values()) {
			this.counts.put(reason, new LongAdder());
		}
	}

	/** Counts one rejection. */
	public void count(Reason reason) {
		this.counts.get(reason).increment();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (Reason reason : Reason.values()) {
			FunctionCounter.builder("initlab.rejections", this.counts.get(reason), LongAdder::doubleValue)
				.description("Requests turned away for capacity or policy, by reason")
				.tag("reason", reason.tag())
				.register(registry);
		}
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
			Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem) {
			Reason.of(problem).ifPresent(this::count);
		}
		return body;
	}

}
