package dev.initlab.api;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.initlab.layers.LayerSpec;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.InvalidRequestException.FieldError;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.problems.ProblemTypes;

/**
 * Maps what Spring and Jackson report about a bad request to RFC 9457 problem details
 * that name the field (in the request's snake_case) and the allowed values, or the
 * {@link RequestLimits} property a body exceeded; and anything unexpected to a 500
 * without a stack trace.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	/**
	 * RFC 9457's default type, written out: Spring 7 leaves {@code type} null on its own
	 * problems (404, 405, 415, ...), and our contract promises every error a
	 * {@code type}.
	 */
	private static final URI ABOUT_BLANK = URI.create("about:blank");

	/**
	 * Jackson's pointer to where a token started, e.g. {@code (for Array starting at
	 * [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ...])}:
	 * it names Jackson's classes and says nothing a client can use.
	 */
	private static final Pattern SOURCE_REFERENCE = Pattern
		.compile("\\s*\\((?:for \\w+ starting|start marker) at \\[Source:[^\\]]*\\]\\)|\\s*\\[Source:[^\\]]*\\]");

	/** The number in Jackson's "Numeric value (...) out of range" message. */
	private static final Pattern OUT_OF_RANGE_VALUE = Pattern.compile("^Numeric value \\(([-+0-9.eE]+)\\)");

	private final ApplicationContext context;

	ProblemDetailsAdvice(ApplicationContext context) {
		this.context = context;
	}

	/**
	 * The current value of a limit's configuration property, from the bound
	 * {@code @ConfigurationProperties} record that declares it (so its default applies
	 * when the property is not set).
	 */
	private long limitOf(String property) {
		for (ConfigurationPropertiesBean bean : ConfigurationPropertiesBean.getAll(this.context).values()) {
			String prefix = bean.getAnnotation().prefix() + ".";
			if (property.startsWith(prefix) && bean.getInstance() instanceof Record limits) {
				String name = camelCase(property.substring(prefix.length()));
				for (RecordComponent component : limits.getClass().getRecordComponents()) {
					if (component.getName().equals(name)) {
						try {
							return ((Number) component.getAccessor().invoke(limits)).longValue();
						}
						catch (ReflectiveOperationException ex) {
							throw new IllegalStateException("cannot read " + property, ex);
						}
					}
				}
			}
		}
		Long value = this.context.getEnvironment().getProperty(property, Long.class);
		if (value == null) {
			throw new IllegalStateException("no configuration property " + property + " for a @Limit field");
		}
		return value;
	}

	/** {@code max-iterations} to {@code maxIterations}. */
	private static String camelCase(String kebab) {
		StringBuilder out = new StringBuilder(kebab.length());
		boolean upper = false;
		for (char c : kebab.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				out.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return out.toString();
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = new ArrayList<>();
		ex.getBindingResult()
			.getFieldErrors()
			.forEach(e -> errors.add(error(snakeCase(e.getField()), e.getDefaultMessage())));
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach(e -> errors.add(error(e.getObjectName(), e.getDefaultMessage())));
		errors.sort(Comparator.comparing(FieldError::field));
		return invalid(errors, headers, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		RequestLimitExceeded exceeded = requestLimit(ex);
		if (exceeded != null) {
			LimitExceededException limit = exceeded.response();
			return handleExceptionInternal(limit, limit.getBody(), headers, limit.getStatusCode(), request);
		}
		Throwable cause = ex.getCause();
		if (cause instanceof UnrecognizedPropertyException unknown) {
			Collection<Object> known = unknown.getKnownPropertyIds();
			String allowed = (known != null)
					? known.stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) : "";
			return invalid(
					List.of(error(path(unknown),
							"unknown field '" + unknown.getPropertyName() + "'; allowed: " + allowed)),
					headers, request);
		}
		if (cause instanceof InvalidTypeIdException typeId) {
			String id = typeId.getTypeId();
			String message = (id == null) ? "a layer needs a \"type\"; allowed: " + String.join(", ", LayerSpec.TYPES)
					: "unknown type '" + id + "'; allowed: " + String.join(", ", LayerSpec.TYPES);
			String field = path(typeId);
			return invalid(List.of(error(field.isEmpty() ? "type" : field + ".type", message)), headers, request);
		}
		if (cause instanceof InvalidFormatException format) {
			return invalid(
					List.of(error(path(format),
							"cannot read " + describe(format.getValue()) + " as " + typeName(format.getTargetType()))),
					headers, request);
		}
		if (cause instanceof MismatchedInputException mismatch) {
			String field = path(mismatch);
			String expected = typeName(mismatch.getTargetType());
			String message = mismatch.getMessage();
			if (message != null && message.contains("missing type id")) {
				return invalid(
						List.of(error(field.isEmpty() ? "type" : field + ".type",
								"a layer needs a \"type\"; allowed: " + String.join(", ", LayerSpec.TYPES))),
						headers, request);
			}
			return invalid(List.of(error(field.isEmpty() ? "body" : field, "expected " + expected)), headers, request);
		}
		if (cause instanceof InputCoercionException range) {
			return invalid(List.of(error(path(range).isEmpty() ? "body" : path(range), outOfRange(range))), headers,
					request);
		}
		if (cause instanceof LimitedAmounts.Amount amount) {
			long limit = limitOf(amount.limit().property());
			if (amount.value().compareTo(BigDecimal.valueOf(limit)) > 0) {
				LimitExceededException over = new LimitExceededException(amount.limit().what(), amount.value(),
						amount.written(), limit, amount.limit().property());
				return handleExceptionInternal(over, over.getBody(), headers, over.getStatusCode(), request);
			}
			return invalid(List.of(error(path(amount), "cannot read " + amount.written() + " as an integer")), headers,
					request);
		}
		if (cause instanceof DatabindException databind) {
			return invalid(List.of(error(path(databind).isEmpty() ? "body" : path(databind), firstLine(databind))),
					headers, request);
		}
		if (cause instanceof StreamReadException malformed) {
			ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
			problem.setType(ProblemTypes.of("malformed-json"));
			problem.setTitle("Malformed JSON");
			problem.setDetail("The body is not valid JSON: " + firstLine(malformed)
					+ ((malformed.getLocation() != null) ? " (line " + malformed.getLocation().getLineNr() + ", column "
							+ malformed.getLocation().getColumnNr() + ")" : ""));
			return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
		}
		ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
		problem.setType(ProblemTypes.of("malformed-json"));
		problem.setTitle("Unreadable request body");
		problem.setDetail("The request body is missing or is not a JSON object of the expected shape.");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return invalid(List.of(error(ex.getParameterName(), "required query parameter is missing")), headers, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ResponseEntity<Object> response = super.handleHttpRequestMethodNotSupported(ex, headers, status, request);
		if (ex.getSupportedHttpMethods() != null && !ex.getSupportedHttpMethods().isEmpty()) {
			appendSupported(response, ex.getSupportedHttpMethods().stream().map(Object::toString).toList());
		}
		return response;
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ResponseEntity<Object> response = super.handleHttpMediaTypeNotSupported(ex, headers, status, request);
		if (!ex.getSupportedMediaTypes().isEmpty()) {
			appendSupported(response, ex.getSupportedMediaTypes().stream().map(MediaType::toString).toList());
		}
		return response;
	}

	/** "Method 'GET' is not supported." + " Supported: POST." */
	private static void appendSupported(ResponseEntity<Object> response, List<String> supported) {
		if (response != null && response.getBody() instanceof ProblemDetail problem && problem.getDetail() != null) {
			problem.setDetail(problem.getDetail() + " Supported: " + String.join(", ", supported) + ".");
		}
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException ex, WebRequest request) {
		String expected = (ex.getRequiredType() != null) ? typeName(ex.getRequiredType()) : "another type";
		return invalid(List.of(error(ex.getName(), "cannot read '" + ex.getValue() + "' as " + expected)),
				new HttpHeaders(), request);
	}

	/**
	 * Tomcat parses the query string when a handler first asks for a parameter, and
	 * rejects one it cannot split (such as {@code ?=x} or {@code &&=}).
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<Object> invalidQuery(InvalidParameterException ex, WebRequest request) {
		return invalid(List.of(error("query", "the query string is malformed: " + ex.getMessage())), new HttpHeaders(),
				request);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
		log.error("Unexpected error on {}", describe(request), ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"An unexpected error occurred; it has been logged.");
		problem.setType(ProblemTypes.of("internal-error"));
		problem.setTitle("Internal error");
		return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (body instanceof ProblemDetail problem && problem.getInstance() == null
				&& request instanceof ServletWebRequest servlet) {
			problem.setInstance(java.net.URI.create(servlet.getRequest().getRequestURI()));
		}
		return super.handleExceptionInternal(ex, body, headers, statusCode, request);
	}

	/**
	 * Every problem as {@code application/problem+json}, whatever the request's
	 * {@code Accept}: with the type set here Spring skips content negotiation, which
	 * otherwise answers {@code Accept: application/json} with plain JSON, and an
	 * unparseable or binary-only {@code Accept} with an empty body.
	 */
	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
			WebRequest request) {
		if (body instanceof ProblemDetail problem) {
			if (problem.getType() == null) {
				problem.setType(ABOUT_BLANK);
			}
			headers = HttpHeaders.copyOf(headers);
			headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	private ResponseEntity<Object> invalid(List<FieldError> errors, HttpHeaders headers, WebRequest request) {
		ProblemDetail problem = InvalidRequestException.problem(errors);
		return handleExceptionInternal(new IllegalArgumentException(problem.getDetail()), problem, headers,
				HttpStatus.BAD_REQUEST, request);
	}

	private static FieldError error(String field, String message) {
		return new FieldError(field, (message != null) ? message : "invalid");
	}

	/**
	 * The request limit that stopped reading the body, wherever Jackson or Spring wrapped
	 * it; null if none did.
	 */
	private static RequestLimitExceeded requestLimit(Throwable ex) {
		Throwable t = ex;
		for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
			if (t instanceof RequestLimitExceeded exceeded) {
				return exceeded;
			}
		}
		return null;
	}

	/** {@code layers[2].inFeatures} to {@code layers[2].in_features}. */
	static String snakeCase(String path) {
		StringBuilder out = new StringBuilder(path.length() + 8);
		for (char c : path.toCharArray()) {
			if (Character.isUpperCase(c)) {
				out.append('_').append(Character.toLowerCase(c));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	/** The JSON path of a Jackson error: {@code layers[2].kernel_size}. */
	private static String path(JacksonException ex) {
		StringBuilder out = new StringBuilder();
		for (JacksonException.Reference ref : ex.getPath()) {
			if (ref.getPropertyName() != null) {
				if (!out.isEmpty()) {
					out.append('.');
				}
				out.append(ref.getPropertyName());
			}
			else if (ref.getIndex() >= 0) {
				out.append('[').append(ref.getIndex()).append(']');
			}
		}
		return out.toString();
	}

	private static String typeName(Class<?> type) {
		if (type == null) {
			return "another type";
		}
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "an integer";
		}
		if (Number.class.isAssignableFrom(type) || type == double.class) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class) {
			return "a string";
		}
		if (Collection.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		return "an object";
	}

	private static String describe(Object value) {
		return (value instanceof String s) ? "'" + s + "'" : String.valueOf(value);
	}

	private static String describe(WebRequest request) {
		return (request instanceof ServletWebRequest s)
				? s.getRequest().getMethod() + " " + s.getRequest().getRequestURI() : request.getDescription(false);
	}

	private static String firstLine(JacksonException ex) {
		String message = ex.getOriginalMessage();
		if (message == null) {
			return "unreadable";
		}
		int nl = message.indexOf('\n');
		String line = (nl >= 0) ? message.substring(0, nl) : message;
		return SOURCE_REFERENCE.matcher(line).replaceAll("");
	}

	/** "cannot read 99999999999 as an integer in [-2147483648, 2147483647]". */
	private static String outOfRange(InputCoercionException ex) {
		Class<?> target = ex.getTargetType();
		String range;
		if (target == Integer.class || target == int.class) {
			range = "an integer in [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]";
		}
		else if (target == Long.class || target == long.class) {
			range = "an integer in [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]";
		}
		else {
			range = typeName(target) + " of that size";
		}
		Matcher value = OUT_OF_RANGE_VALUE.matcher((ex.getOriginalMessage() != null) ? ex.getOriginalMessage() : "");
		return value.find() ? "cannot read " + value.group(1) + " as " + range
				: "the number is out of range; expected " + range;
	}

}
