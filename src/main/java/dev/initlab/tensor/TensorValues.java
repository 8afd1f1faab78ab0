package dev.initlab.tensor;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.NumberOutput;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A tensor's stored values, row-major, written to JSON as arrays nested to the shape (so
 * {@code np.array(data)} has the right shape). float32 values are written as the shortest
 * decimal that reads back to the same float32; other dtypes as the exact float64 value.
 *
 * @param values the rounded values, row-major
 * @param shape the shape
 * @param dtype the element type
 */
@JsonSerialize(using = TensorValues.NestedArraySerializer.class)
public record TensorValues(double[] values, int[] shape, DType dtype) {

	static final class NestedArraySerializer extends ValueSerializer<TensorValues> {

		@Override
		public void serialize(TensorValues t, JsonGenerator gen, SerializationContext context) {
			double[] v = t.values();
			int[] shape = t.shape();
			boolean single = t.dtype() == DType.FLOAT32;
			boolean integer = t.dtype() == DType.INT64;
			if (shape.length == 0) {
				write(gen, v[0], single, integer);
				return;
			}
			int rank = shape.length;
			int last = shape[rank - 1];
			int[] index = new int[rank];
			for (int d = 0; d < rank; d++) {
				gen.writeStartArray();
			}
			if (v.length == 0) {
				for (int d = 0; d < rank; d++) {
					gen.writeEndArray();
				}
				return;
			}
			int pos = 0;
			while (true) {
				for (int j = 0; j < last; j++) {
					write(gen, v[pos++], single, integer);
				}
				gen.writeEndArray();
				int d = rank - 2;
				while (d >= 0 && ++index[d] == shape[d]) {
					index[d] = 0;
					gen.writeEndArray();
					d--;
				}
				if (d < 0) {
					return;
				}
				for (int k = d + 1; k < rank; k++) {
					gen.writeStartArray();
				}
			}
		}

		/**
		 * Shortest round-trip decimals by Jackson's Schubfach writer (Giulietti's
		 * algorithm), whatever the mapper's settings: several times faster than the JDK
		 * 17 formatting. JSON has no infinities or NaN; those are written as strings.
		 */
		private static void write(JsonGenerator gen, double value, boolean single, boolean integer) {
			if (integer) {
				gen.writeNumber((long) value);
			}
			else if (!Double.isFinite(value)) {
				gen.writeString(Double.isNaN(value) ? "NaN" : (value > 0) ? "Infinity" : "-Infinity");
			}
			else if (single) {
				gen.writeNumber(NumberOutput.toString((float) value, true));
			}
			else {
				gen.writeNumber(NumberOutput.toString(value, true));
			}
		}

	}

}
