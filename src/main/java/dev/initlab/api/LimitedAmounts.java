package dev.initlab.api;

import java.math.BigDecimal;
import java.util.Collection;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.NopAnnotationIntrospector;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.stereotype.Component;

import dev.initlab.problems.Limit;

/**
 * Reads the integer fields marked {@link Limit} (or each element of such a list) so that
 * every amount, however large, can be compared with its limit: an integer within int is
 * read as usual; a positive one beyond int ({@code 10000000000000}, 10^30) or any
 * floating-point number ({@code 1e30}) stops reading with an {@link Amount} that holds
 * the value, and {@link ProblemDetailsAdvice} answers it with the limit problem when the
 * value is above the limit (else, for a float, with the usual "cannot read … as an
 * integer"). Anything else (a negative number beyond int, a string) is left to Jackson.
 * Spring Boot registers this module with the application's JSON mapper.
 */
@Component
class LimitedAmounts extends SimpleModule {

	LimitedAmounts() {
		super("initlab-limited-amounts");
	}

	@Override
	public void setupModule(SetupContext context) {
		super.setupModule(context);
		context.insertAnnotationIntrospector(new NopAnnotationIntrospector() {

			@Override
			public Object findDeserializer(MapperConfig<?> config, Annotated annotated) {
				Limit limit = annotated.getAnnotation(Limit.class);
				return (limit != null && isInteger(annotated.getRawType())) ? new Reader(limit) : null;
			}

			@Override
			public Object findContentDeserializer(MapperConfig<?> config, Annotated annotated) {
				Limit limit = annotated.getAnnotation(Limit.class);
				return (limit != null && Collection.class.isAssignableFrom(annotated.getRawType())) ? new Reader(limit)
						: null;
			}

		});
	}

	private static boolean isInteger(Class<?> type) {
		return type == Integer.class || type == int.class;
	}

	/** A number a limited field cannot hold as an int: the advice compares it. */
	static final class Amount extends DatabindException {

		private final transient Limit limit;

		private final BigDecimal value;

		private final String written;

		Amount(JsonParser parser, Limit limit, BigDecimal value, String written) {
			super(parser, "not an int: " + written, parser.currentTokenLocation());
			this.limit = limit;
			this.value = value;
			this.written = written;
		}

		Limit limit() {
			return this.limit;
		}

		/** The number's value. */
		BigDecimal value() {
			return this.value;
		}

		/** The number as the request wrote it. */
		String written() {
			return this.written;
		}

	}

	private static final class Reader extends ValueDeserializer<Integer> {

		private final Limit limit;

		Reader(Limit limit) {
			this.limit = limit;
		}

		@Override
		public Integer deserialize(JsonParser p, DeserializationContext ctxt) {
			JsonToken token = p.currentToken();
			if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.INT
					&& p.getBigIntegerValue().signum() > 0) {
				throw new Amount(p, this.limit, new BigDecimal(p.getBigIntegerValue()), p.getString());
			}
			if (token == JsonToken.VALUE_NUMBER_FLOAT) {
				throw new Amount(p, this.limit, p.getDecimalValue(), p.getString());
			}
			return ctxt.readValue(p, Integer.class);
		}

	}

}
