package dev.initlab.problems;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An integer field of a request (or, on a list, each of its elements) that a
 * configuration property bounds. The bound itself is checked where the request is run;
 * this tells the web layer which property it is, so that an amount too large for the
 * field's type ({@code 10000000000000}, {@code 1e30}) gets the same limit problem as one
 * just above the limit, instead of a type error about Java's int.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD })
public @interface Limit {

	/** The configuration property that holds the limit. */
	String property();

	/** What is counted, as the limit problem says it: "iterations", "samples". */
	String what();

}
