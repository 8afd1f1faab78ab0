package dev.initlab.api;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Component;

import dev.initlab.checkpoints.Checkpoints;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Planner;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.InvalidRequestException.FieldError;

/**
 * Reads a checkpoint's request (the JSON of {@code /initializations}, from a body or an
 * id) as an {@link InitializationRequest}, with the same strict Jackson settings and Bean
 * Validation as {@code POST /api/v1/initializations}, and plans it for safetensors.
 */
@Component
class CheckpointRequestPlanner implements Checkpoints.RequestPlanner {

	private final JsonMapper json;

	private final Validator validator;

	private final Planner planner;

	CheckpointRequestPlanner(JsonMapper json, Validator validator, Planner planner) {
		this.json = json;
		this.validator = validator;
		this.planner = planner;
	}

	@Override
	public Plan plan(JsonNode node) {
		InitializationRequest request;
		try {
			request = this.json.treeToValue(node, InitializationRequest.class);
		}
		catch (JacksonException ex) {
			// reported as the body of /initializations would be (ProblemDetailsAdvice)
			throw new HttpMessageNotReadableException(ex.getOriginalMessage(), ex, EMPTY);
		}
		List<FieldError> errors = new ArrayList<>();
		for (ConstraintViolation<InitializationRequest> v : this.validator.validate(request)) {
			errors.add(new FieldError(ProblemDetailsAdvice.snakeCase(v.getPropertyPath().toString()), v.getMessage()));
		}
		if (!errors.isEmpty()) {
			errors.sort(Comparator.comparing(FieldError::field));
			throw new InvalidRequestException(errors);
		}
		return request.plan(this.planner, OutputFormat.SAFETENSORS, null);
	}

	private static final HttpInputMessage EMPTY = new HttpInputMessage() {

		@Override
		public InputStream getBody() {
			return new ByteArrayInputStream(new byte[0]);
		}

		@Override
		public HttpHeaders getHeaders() {
			return new HttpHeaders();
		}

	};

}
