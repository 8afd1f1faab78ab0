package dev.initlab.api;

import dev.initlab.problems.LimitExceededException;

/**
 * Raised while a request body is read, deep inside Jackson or the servlet stream, and
 * found again by {@link ProblemDetailsAdvice} in the cause chain of Spring's
 * {@code HttpMessageNotReadableException}.
 */
interface RequestLimitExceeded {

	/** The problem to answer with. */
	LimitExceededException response();

}
