package dev.initlab.api;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The error page of the last resort: what Tomcat answers when it rejects a request before
 * any servlet sees it (an encoded {@code /}, {@code \} or NUL in the path, a malformed
 * request line), written as an RFC 9457 problem instead of Tomcat's HTML page. Errors
 * inside the application never get here: Spring MVC has written their body already.
 */
final class ProblemReportValve extends ErrorReportValve {

	/** ASCII only, so that the reporter's default charset cannot garble it. */
	private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean();
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		HttpStatus known = HttpStatus.resolve(status);
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", (known != null) ? known.getReasonPhrase() : "Error");
		problem.put("status", status);
		problem.put("detail",
				(status == 400)
						? "The server rejected the request before it reached initlab: the "
								+ "request line, the path (an encoded '/', '\\' or NUL, say) or a header is malformed."
						: "The server rejected the request before it reached initlab.");
		String uri = request.getRequestURI();
		if (uri != null) {
			problem.put("instance", uri);
		}
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(JSON.writeValueAsString(problem));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone or the response is closed: nothing more to say
		}
	}

	/**
	 * Puts the valve where Boot puts Tomcat's own: on the host, in place of it (Boot's
	 * customizer runs first, this one last).
	 */
	@Component
	static final class Installer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

		@Override
		public void customize(ConfigurableTomcatWebServerFactory factory) {
			factory.addContextCustomizers((context) -> {
				if (context.getParent() instanceof StandardHost host) {
					for (var valve : host.getPipeline().getValves()) {
						if (valve instanceof ErrorReportValve) {
							host.getPipeline().removeValve(valve);
						}
					}
					// else the host adds a Tomcat ErrorReportValve of its own when it
					// starts
					host.setErrorReportValveClass(ProblemReportValve.class.getName());
					host.getPipeline().addValve(new ProblemReportValve());
				}
			});
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

}
