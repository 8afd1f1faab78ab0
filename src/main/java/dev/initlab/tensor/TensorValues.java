package dev.initlab.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.NumberOutput;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonGeneratorBase;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A tensor's stored values, row-major, written to JSON as arrays nested to the shape (so
 * {@code np.array(data)} has the right shape). float32 values are written as the shortest
 * decimal that reads back to the same float32; other dtypes as the shortest decimal that
 * reads back to the same float64 (the stored value exactly), in the layout of Java's
 * {@code Float.toString} / {@code Double.toString}.
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
			if (t.shape().length > 0 && t.values().length > 0 && t.dtype() != DType.INT64 && writesPlainJson(gen)) {
				writeText(t, gen);
				return;
			}
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
		 * Whether the generator writes compact JSON text, where a number's text goes out
		 * as it is: then the arrays can be written as raw text, with the same bytes.
		 */
		private static boolean writesPlainJson(JsonGenerator gen) {
			return gen instanceof JsonGeneratorBase json && json.getPrettyPrinter() == null
					&& !json.isEnabled(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS);
		}

		/**
		 * The nested arrays as text, each number formatted straight into a reusable ASCII
		 * buffer ({@link ShortestDecimal}) that is handed to the generator whole: no
		 * String per value and no generator call per value. The bytes are those of the
		 * token-by-token path below.
		 */
		private static void writeText(TensorValues t, JsonGenerator gen) {
			double[] v = t.values();
			int[] shape = t.shape();
			boolean single = t.dtype() == DType.FLOAT32;
			int rank = shape.length;
			int last = shape[rank - 1];
			int[] index = new int[rank];
			RawText text = new RawText(gen);
			byte[] buf = text.bytes;
			int n = 0;
			for (int d = 0; d < rank; d++) {
				n = text.put(n, '[');
			}
			int pos = 0;
			while (true) {
				for (int j = 0; j < last; j++) {
					if (n > RawText.CHUNK) {
						n = text.emit(n);
					}
					if (j > 0) {
						buf[n++] = ',';
					}
					double x = v[pos++];
					if (!Double.isFinite(x)) {
						n = nonFinite(x, buf, n);
					}
					else if (single) {
						n = ShortestDecimal.appendFloat((float) x, buf, n);
					}
					else {
						n = ShortestDecimal.appendDouble(x, buf, n);
					}
				}
				n = text.put(n, ']');
				int d = rank - 2;
				while (d >= 0 && ++index[d] == shape[d]) {
					index[d] = 0;
					n = text.put(n, ']');
					d--;
				}
				if (d < 0) {
					text.emit(n);
					return;
				}
				n = text.put(n, ',');
				for (int k = d + 1; k < rank; k++) {
					n = text.put(n, '[');
				}
			}
		}

		/** What {@code writeString} writes for the values JSON has no number for. */
		private static int nonFinite(double x, byte[] buf, int n) {
			byte[] s = Double.isNaN(x) ? NAN : (x > 0) ? INFINITY : MINUS_INFINITY;
			System.arraycopy(s, 0, buf, n, s.length);
			return n + s.length;
		}

		private static final byte[] NAN = "\"NaN\"".getBytes(StandardCharsets.US_ASCII);

		private static final byte[] INFINITY = "\"Infinity\"".getBytes(StandardCharsets.US_ASCII);

		private static final byte[] MINUS_INFINITY = "\"-Infinity\"".getBytes(StandardCharsets.US_ASCII);

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

	/**
	 * A chunk of ASCII text handed to the generator as raw text: copied into its buffer
	 * when it fits, else written through. The first chunk is the value (the generator
	 * writes the separator before it), the others continue it.
	 */
	private static final class RawText implements SerializableString {

		/** Text length after which the chunk is handed over. */
		static final int CHUNK = 2048;

		/** Room for a separator and one number (or bracket) past a chunk's length. */
		final byte[] bytes = new byte[CHUNK + 1 + ShortestDecimal.ROOM];

		private final JsonGenerator gen;

		private int length;

		private boolean started;

		RawText(JsonGenerator gen) {
			this.gen = gen;
		}

		/** Appends one byte, handing the chunk over first when it is full. */
		int put(int n, char c) {
			if (n > CHUNK) {
				n = emit(n);
			}
			this.bytes[n] = (byte) c;
			return n + 1;
		}

		/** Hands the first {@code n} bytes to the generator; returns 0. */
		int emit(int n) {
			this.length = n;
			if (this.started) {
				this.gen.writeRaw(this);
			}
			else {
				this.started = true;
				this.gen.writeRawValue(this);
			}
			return 0;
		}

		@Override
		public String getValue() {
			return new String(this.bytes, 0, this.length, StandardCharsets.US_ASCII);
		}

		@Override
		public int charLength() {
			return this.length;
		}

		@Override
		public byte[] asUnquotedUTF8() {
			return Arrays.copyOf(this.bytes, this.length);
		}

		@Override
		public int appendUnquotedUTF8(byte[] buffer, int offset) {
			if (this.length > buffer.length - offset) {
				return -1;
			}
			System.arraycopy(this.bytes, 0, buffer, offset, this.length);
			return this.length;
		}

		@Override
		public int appendUnquoted(char[] buffer, int offset) {
			if (this.length > buffer.length - offset) {
				return -1;
			}
			for (int i = 0; i < this.length; i++) {
				buffer[offset + i] = (char) this.bytes[i];
			}
			return this.length;
		}

		@Override
		public int writeUnquotedUTF8(OutputStream out) throws IOException {
			out.write(this.bytes, 0, this.length);
			return this.length;
		}

		@Override
		public int putUnquotedUTF8(ByteBuffer buffer) {
			if (this.length > buffer.remaining()) {
				return -1;
			}
			buffer.put(this.bytes, 0, this.length);
			return this.length;
		}

		// escaped forms: not used for raw text, given for completeness

		@Override
		public char[] asQuotedChars() {
			return new SerializedString(getValue()).asQuotedChars();
		}

		@Override
		public byte[] asQuotedUTF8() {
			return new SerializedString(getValue()).asQuotedUTF8();
		}

		@Override
		public int appendQuotedUTF8(byte[] buffer, int offset) {
			return new SerializedString(getValue()).appendQuotedUTF8(buffer, offset);
		}

		@Override
		public int appendQuoted(char[] buffer, int offset) {
			return new SerializedString(getValue()).appendQuoted(buffer, offset);
		}

		@Override
		public int writeQuotedUTF8(OutputStream out) throws IOException {
			return new SerializedString(getValue()).writeQuotedUTF8(out);
		}

		@Override
		public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
			return new SerializedString(getValue()).putQuotedUTF8(buffer);
		}

	}

}
