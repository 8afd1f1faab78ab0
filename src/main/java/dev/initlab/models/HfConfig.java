package dev.initlab.models;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import tools.jackson.core.io.schubfach.DoubleToDecimal;

/**
 * The {@code config.json} that transformers' {@code save_pretrained} writes for a
 * {@code transformers/*} model, byte for byte: {@code PreTrainedConfig.to_json_string()}
 * of the resolved config, i.e. {@code json.dumps(config.to_dict(), indent=2,
 * sort_keys=True) + "\n"}. transformers 5.x writes the whole resolved config (not a diff
 * against the defaults): every field the config class declares, with what its
 * {@code __post_init__} derived ({@code head_dim}, {@code num_key_value_heads},
 * {@code rope_parameters} for Llama; {@code dense_act_fn}, {@code is_gated_act},
 * {@code num_decoder_layers}, {@code scale_decoder_outputs} and the forced
 * {@code tie_word_embeddings} for T5), plus {@code architectures} (the model class),
 * {@code dtype} (the weights' dtype), {@code model_type} and
 * {@code transformers_version}. Fixtures from the real library:
 * {@code src/test/resources/reference/checkpoints/hf/}.
 */
public final class HfConfig {

	/** The model_type of each transformers architecture's config class. */
	private static final Map<String, String> MODEL_TYPES = Map.of("transformers/GPT2LMHeadModel", "gpt2",
			"transformers/LlamaForCausalLM", "llama", "transformers/BertModel", "bert", "transformers/BertForMaskedLM",
			"bert", "transformers/T5ForConditionalGeneration", "t5");

	private HfConfig() {
	}

	/** Whether {@code architecture} has a config.json ({@code transformers/*}). */
	public static boolean supports(Architecture architecture) {
		return MODEL_TYPES.containsKey(architecture.name());
	}

	/** The wire names of the architectures that have a config.json, in registry order. */
	public static List<String> architectures() {
		return Architectures.all().stream().filter(HfConfig::supports).map(Architecture::name).toList();
	}

	/**
	 * The config.json of {@code model} with weights of {@code dtype}, as UTF-8 bytes.
	 * @param model a model whose architecture {@link #supports}
	 * @param dtype torch's name of the weights' dtype ({@code float32}, {@code bfloat16},
	 * ...)
	 * @throws IllegalArgumentException for an architecture without a config.json
	 */
	public static byte[] json(Model model, String dtype) {
		Architecture architecture = model.architecture();
		String modelType = MODEL_TYPES.get(architecture.name());
		if (modelType == null) {
			throw new IllegalArgumentException(
					architecture.name() + " has no config.json; these have: " + String.join(", ", architectures()));
		}
		Map<String, Object> values = new TreeMap<>(model.config().resolved());
		switch (modelType) {
			case "llama" -> llama(values, model.config().isGiven("rope_parameters"));
			case "t5" -> t5(values);
			default -> {
			}
		}
		// BertModel's constructor argument, not a BertConfig field
		values.remove("add_pooling_layer");
		String library = architecture.name();
		values.put("architectures", List.of(library.substring(library.indexOf('/') + 1)));
		values.put("dtype", dtype);
		values.put("model_type", modelType);
		values.put("transformers_version", architecture.libraryVersion());
		StringBuilder out = new StringBuilder();
		write(values, 0, out);
		out.append('\n');
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * {@code LlamaConfig.__post_init__}: {@code head_dim} and {@code num_key_value_heads}
	 * from the heads; the legacy {@code rope_theta} and {@code rope_scaling} folded into
	 * {@code rope_parameters} (a {@code type} key also given as {@code rope_type}), which
	 * then has a {@code rope_theta} (10000.0 by default) and a {@code rope_type}
	 * ({@code default}).
	 */
	private static void llama(Map<String, Object> values, boolean ropeGiven) {
		int heads = (Integer) values.get("num_attention_heads");
		if (values.get("head_dim") == null) {
			values.put("head_dim", (heads > 0) ? (Integer) values.get("hidden_size") / heads : 0);
		}
		if (values.get("num_key_value_heads") == null) {
			values.put("num_key_value_heads", heads);
		}
		Object theta = values.remove("rope_theta");
		Object scaling = values.remove("rope_scaling");
		Object given = values.get("rope_parameters");
		Map<String, Object> rope = new LinkedHashMap<>();
		if (ropeGiven && given instanceof Map<?, ?> map) {
			map.forEach((k, v) -> rope.put(String.valueOf(k), v));
		}
		else if (scaling instanceof Map<?, ?> map) {
			map.forEach((k, v) -> rope.put(String.valueOf(k), v));
		}
		if (rope.containsKey("type") && !rope.containsKey("rope_type")) {
			rope.put("rope_type", rope.get("type"));
		}
		if (theta != null) {
			rope.put("rope_theta", theta);
		}
		rope.putIfAbsent("rope_theta", 10000.0);
		rope.putIfAbsent("rope_type", "default");
		values.put("rope_parameters", rope);
	}

	/**
	 * {@code T5Config.__post_init__}: the activation and gating from
	 * {@code feed_forward_proj} unless given, the decoder depth from the encoder's, and
	 * {@code tie_word_embeddings} forced true after {@code scale_decoder_outputs} took
	 * the given value.
	 */
	private static void t5(Map<String, Object> values) {
		String proj = (String) values.get("feed_forward_proj");
		values.putIfAbsent("dense_act_fn", null);
		if (values.get("dense_act_fn") == null) {
			values.put("dense_act_fn", T5ForConditionalGeneration.activationOf(proj));
		}
		if (values.get("is_gated_act") == null) {
			values.put("is_gated_act", proj.startsWith("gated-"));
		}
		if (values.get("num_decoder_layers") == null) {
			values.put("num_decoder_layers", values.get("num_layers"));
		}
		if (values.get("scale_decoder_outputs") == null) {
			values.put("scale_decoder_outputs", !Boolean.FALSE.equals(values.get("tie_word_embeddings")));
		}
		values.put("tie_word_embeddings", true);
	}

	/**
	 * Python's {@code json.dumps(value, indent=2, sort_keys=True)} at nesting
	 * {@code depth}: separators {@code ", "} / {@code ": "} with newlines, non-ASCII
	 * escaped, floats as {@code repr}.
	 */
	private static void write(Object value, int depth, StringBuilder out) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof Boolean b) {
			out.append(b ? "true" : "false");
		}
		else if (value instanceof String s) {
			string(s, out);
		}
		else if (value instanceof Double || value instanceof Float) {
			out.append(pythonFloat(((Number) value).doubleValue()));
		}
		else if (value instanceof BigDecimal d) {
			// a JSON number with a fraction or exponent: Python reads it as a float
			out.append(pythonFloat(d.doubleValue()));
		}
		else if (value instanceof Integer || value instanceof Long || value instanceof Short
				|| value instanceof BigInteger) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			Map<String, Object> sorted = new TreeMap<>();
			map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
			if (sorted.isEmpty()) {
				out.append("{}");
				return;
			}
			out.append("{\n");
			int i = 0;
			for (Map.Entry<String, Object> e : sorted.entrySet()) {
				indent(depth + 1, out);
				string(e.getKey(), out);
				out.append(": ");
				write(e.getValue(), depth + 1, out);
				out.append((++i < sorted.size()) ? ",\n" : "\n");
			}
			indent(depth, out);
			out.append('}');
		}
		else if (value instanceof List<?> list) {
			if (list.isEmpty()) {
				out.append("[]");
				return;
			}
			out.append("[\n");
			for (int i = 0; i < list.size(); i++) {
				indent(depth + 1, out);
				write(list.get(i), depth + 1, out);
				out.append((i + 1 < list.size()) ? ",\n" : "\n");
			}
			indent(depth, out);
			out.append(']');
		}
		else {
			throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
		}
	}

	private static void indent(int depth, StringBuilder out) {
		out.append("  ".repeat(depth));
	}

	private static final Set<Character> SHORT_ESCAPES = Set.of('"', '\\', '\n', '\r', '\t', '\b', '\f');

	/** A JSON string as Python's {@code json} writes it ({@code ensure_ascii=True}). */
	private static void string(String s, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (SHORT_ESCAPES.contains(c)) {
				out.append('\\').append(switch (c) {
					case '\n' -> 'n';
					case '\r' -> 'r';
					case '\t' -> 't';
					case '\b' -> 'b';
					case '\f' -> 'f';
					default -> c;
				});
			}
			else if (c < 0x20 || c > 0x7e) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		out.append('"');
	}

	/**
	 * Python's {@code repr(float)}: the shortest digits that round-trip, positional when
	 * the decimal exponent is in [-4, 16), else {@code d.ddde-XX} (at least two exponent
	 * digits, with a sign); a positional value always has a fraction ({@code 10000.0});
	 * {@code NaN}, {@code Infinity} and {@code -Infinity} as {@code json.dumps} writes
	 * them.
	 */
	static String pythonFloat(double value) {
		if (!Double.isFinite(value)) {
			// json.dumps writes these (allow_nan=True), and json.loads reads them back
			return Double.isNaN(value) ? "NaN" : (value > 0) ? "Infinity" : "-Infinity";
		}
		if (value == 0) {
			return (1 / value < 0) ? "-0.0" : "0.0";
		}
		BigDecimal shortest = new BigDecimal(DoubleToDecimal.toString(value)).stripTrailingZeros();
		// Java writes at least two digits (4.9E-324); Python the fewest that round-trip
		while (shortest.precision() > 1) {
			BigDecimal fewer = shortest.round(new java.math.MathContext(shortest.precision() - 1));
			if (fewer.doubleValue() != value) {
				break;
			}
			shortest = fewer.stripTrailingZeros();
		}
		String sign = (shortest.signum() < 0) ? "-" : "";
		String digits = shortest.unscaledValue().abs().toString();
		int exponent = digits.length() - 1 - shortest.scale();
		StringBuilder out = new StringBuilder(sign);
		if (exponent >= -4 && exponent < 16) {
			if (exponent < 0) {
				out.append("0.").append("0".repeat(-exponent - 1)).append(digits);
			}
			else if (digits.length() <= exponent + 1) {
				out.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
			}
			else {
				out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
			}
		}
		else {
			out.append(digits.charAt(0));
			if (digits.length() > 1) {
				out.append('.').append(digits, 1, digits.length());
			}
			out.append('e').append((exponent < 0) ? '-' : '+');
			int abs = Math.abs(exponent);
			out.append((abs < 10) ? "0" + abs : Integer.toString(abs));
		}
		return out.toString();
	}

}
