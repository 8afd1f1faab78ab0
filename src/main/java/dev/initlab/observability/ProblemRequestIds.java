package dev.initlab.observability;

import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Every problem details body Spring MVC writes gets the request's id as
 * {@code request_id} (the value of the {@code X-Request-Id} response header), and one log
 * line, which carries the id through the MDC: rejections (see {@link Rejections}) at
 * INFO, other 5xx at WARN, other 4xx at DEBUG. Unexpected errors (type
 * {@code internal-error}) are left to the handler that logs them with their stack trace.
 */
@ControllerAdvice
class ProblemRequestIds implements ResponseBodyAdvice<Object> {

	private static final Logger log = LoggerFactory.getLogger(ProblemRequestIds.class);

	/** Line breaks in a detail (which may quote the request) would forge log lines. */
	private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\u2028\\u2029]+");

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
			Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem) {
			String id = (request instanceof ServletServerHttpRequest servlet)
					? RequestIds.of(servlet.getServletRequest()) : null;
			if (id == null) {
				id = RequestIds.current();
			}
			if (id != null) {
				problem.setProperty(RequestIds.MDC_KEY, id);
			}
			log(problem, request);
		}
		return body;
	}

	private static void log(ProblemDetail problem, ServerHttpRequest request) {
		int status = problem.getStatus();
		String type = (problem.getType() != null) ? problem.getType().toString() : "about:blank";
		var reason = Rejections.Reason.of(problem);
		if (reason.isPresent()) {
			log.info("Rejected {} ({}, {}): {}", describe(request), status, reason.get().tag(), detail(problem));
		}
		else if (status >= 500 && !type.endsWith("/internal-error")) {
			log.warn("Failed {} ({}, {}): {}", describe(request), status, type, detail(problem));
		}
		else if (status < 500 && log.isDebugEnabled()) {
			log.debug("Refused {} ({}, {}): {}", describe(request), status, type, detail(problem));
		}
	}

	private static String describe(ServerHttpRequest request) {
		return request.getMethod() + " " + request.getURI().getRawPath();
	}

	private static String detail(ProblemDetail problem) {
		return (problem.getDetail() != null) ? LINE_BREAKS.matcher(problem.getDetail()).replaceAll(" ") : "";
	}

}
