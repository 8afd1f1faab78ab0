package dev.initlab.api;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;

import dev.initlab.problems.LimitExceededException;

/**
 * Jackson's read constraints, set from {@link RequestLimits}: nesting depth, string (and
 * property name) length and number length are checked by the parser as it reads, so a
 * hostile body costs at most one limit's worth of work. A violation says which
 * configuration property to raise, in place of Jackson's
 * {@code StreamReadConstraints.getMaxNestingDepth()}. Document length is left to
 * {@link BodySizeFilter}, which also counts bytes Jackson never sees.
 * <p>
 * Nesting, names and numbers are checked exactly; a string value each time Jackson's text
 * buffer fills (500 characters, then 50 % more each time), so one up to about 1.5 times
 * the limit can pass: the memory bound holds, the exact count does not.
 */
final class JsonReadLimits extends StreamReadConstraints {

	private static final long UNLIMITED = -1;

	JsonReadLimits(RequestLimits limits) {
		super(limits.maxNestingDepth(), UNLIMITED, UNLIMITED, limits.maxNumberLength(), limits.maxStringLength(),
				limits.maxStringLength());
	}

	@Override
	public void validateNestingDepth(int depth) throws StreamConstraintsException {
		if (depth > this._maxNestingDepth) {
			throw new Exceeded("levels of JSON nesting", depth, this._maxNestingDepth, RequestLimits.MAX_NESTING_DEPTH);
		}
	}

	@Override
	public void validateStringLength(int length) throws StreamConstraintsException {
		validateStringLengthLong(length);
	}

	@Override
	public void validateStringLengthLong(long length) throws StreamConstraintsException {
		if (length > this._maxStringLen) {
			throw new Exceeded("characters in one JSON string", length, this._maxStringLen,
					RequestLimits.MAX_STRING_LENGTH);
		}
	}

	@Override
	public void validateNameLength(int length) throws StreamConstraintsException {
		if (length > this._maxNameLen) {
			throw new Exceeded("characters in one JSON property name", length, this._maxNameLen,
					RequestLimits.MAX_STRING_LENGTH);
		}
	}

	/** Jackson counts digits: integer part, fraction and exponent, without signs. */
	@Override
	public void validateFPLength(int length) throws StreamConstraintsException {
		validateIntegerLength(length);
	}

	@Override
	public void validateIntegerLength(int length) throws StreamConstraintsException {
		if (length > this._maxNumLen) {
			throw new Exceeded("digits in one JSON number", length, this._maxNumLen, RequestLimits.MAX_NUMBER_LENGTH);
		}
	}

	/** A read constraint was exceeded: 400 naming the property. */
	static final class Exceeded extends StreamConstraintsException implements RequestLimitExceeded {

		private final transient LimitExceededException response;

		Exceeded(String what, long requested, long limit, String property) {
			super("the request has " + requested + " " + what + "; the limit is " + limit);
			this.response = new LimitExceededException(what, requested, limit, property, null);
		}

		@Override
		public LimitExceededException response() {
			return this.response;
		}

	}

}
