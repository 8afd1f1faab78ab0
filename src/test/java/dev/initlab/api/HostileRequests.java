package dev.initlab.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A seeded generator of hostile HTTP requests for every endpoint: the valid examples of
 * {@link Examples}, shrunk to the tight limits of the test server and then mutated
 * (fields dropped, duplicated, retyped; huge, negative, zero and non-finite numbers;
 * giant strings; deep nesting; invalid UTF-8; truncation; wrong content types; oversized
 * and chunked bodies), plus catalog and experiment reads with random query parameters and
 * ids. The same (seed, index) always gives the same request, so a failing case is
 * replayed from the two numbers in its message.
 */
final class HostileRequests {

	/** Stands for the id of an experiment the server really has. */
	static final String KNOWN_ID = "{known-id}";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	/**
	 * The examples a client would start from, shrunk to the test server's limits.
	 * {@link Examples#RESNET18} is left out: a resnet18 has 122 tensors whatever its
	 * config, above the test server's {@code max-tensors}.
	 */
	private static final List<JsonNode> INITIALIZATIONS = List.of(read(Examples.INITIALIZATION),
			read(Examples.CONV_STATS_ONLY), read(Examples.TRANSFORMER_BLOCK), read(Examples.LSTM),
			shrunkSymmetryCheck(), read(Examples.GPT2), read(Examples.NANOGPT), read(Examples.LAYER_OVERRIDES),
			read(Examples.LLAMA), read(Examples.BERT_MLM), read(Examples.T5), read(Examples.VIT));

	private static final JsonNode EXPERIMENT = shrunkExperiment();

	private static final JsonNode PROPAGATION = shrunkPropagation();

	/**
	 * The same stack of residual blocks, so that {@code block}'s fields get mutated too.
	 */
	private static final JsonNode PROPAGATION_RESIDUAL = ((ObjectNode) shrunkPropagation().deepCopy()).set("block",
			read("{\"type\": \"residual\", \"branch_layers\": 2, \"norm\": \"pre_ln\", \"alpha\": 1.0}"));

	private static final List<String> WORDS = List.of("kaiming_normal", "xavier_uniform", "orthogonal", "zeros",
			"pytorch_default", "keras_default", "small_random", "linear", "conv2d", "lstm", "gru", "embedding",
			"multihead_attention", "tensor", "relu", "tanh", "leaky_relu", "gelu", "selu", "fan_in", "fan_out",
			"fan_avg", "truncated_normal", "uniform", "numpy_legacy", "numpy_pcg64", "mt19937", "float16", "bfloat16",
			"keras", "sequential", "per_tensor", "planar_flower", "xor", "circles", "moons", "spirals", "blobs",
			"inline", "adam", "momentum", "gd", "softmax", "sigmoid", "weight", "bias", "stats", "data", "lsuv",
			"dirac", "sparse", "identity", "delta_orthogonal", "variance_scaling", "conv_transpose3d", "layer_norm",
			"batch_norm2d", "rnn", "library_default", "transformers/GPT2LMHeadModel", "nanogpt/GPT",
			"transformers/LlamaForCausalLM", "transformers/T5ForConditionalGeneration", "torchvision/resnet18",
			"timm/VisionTransformer", "jax", "**", "*.weight", "**.bias");

	private static final List<String> SCHEMES = List.of("zeros", "ones", "constant", "uniform", "normal",
			"truncated_normal", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "he_normal",
			"glorot_uniform", "lecun_uniform", "lecun_normal", "variance_scaling", "orthogonal", "identity", "eye",
			"dirac", "sparse", "delta_orthogonal", "hadamard", "lsuv");

	private static final List<String> SCHEME_PARAMETERS = List.of("gain", "mode", "nonlinearity", "a", "b", "std",
			"mean", "low", "high", "value", "sparsity", "scale", "distribution", "groups", "param", "per_gate",
			"tolerance", "max_iterations", "variant");

	private static final List<String> FIELDS = List.of("seed", "rng", "dtype", "layout", "seeding", "init", "layers",
			"include", "symmetry_check", "name", "type", "in_features", "out_features", "kernel_size", "groups", "bias",
			"shape", "role", "fan_in", "fan_out", "num_layers", "hidden_size", "input_size", "bidirectional",
			"padding_idx", "num_heads", "embed_dim", "normalized_shape", "num_features", "scheme", "gain", "mode",
			"nonlinearity", "param", "a", "b", "std", "mean", "low", "high", "value", "sparsity", "scale",
			"distribution", "preset", "per_gate", "dataset", "model", "training", "policies", "n_samples", "noise",
			"factor", "centers", "test_fraction", "test", "x", "y", "hidden_layers", "activation", "output",
			"optimizer", "learning_rate", "iterations", "record_every", "batch_size", "beta", "beta2", "epsilon",
			"label", "depth", "width", "tolerance", "max_iterations", "overrides", "match", "architecture", "config",
			"n_layer", "n_embd", "n_head", "vocab_size", "n_positions", "n_inner", "block_size", "tie_word_embeddings",
			"add_cross_attention", "initializer_range", "num_key_value_heads", "num_attention_heads", "d_model", "d_kv",
			"d_ff", "num_classes", "zero_init_residual", "weight_init", "fix_init", "img_size", "patch_size");

	private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
			"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=UTF-16",
			"application/json; charset=nonexistent", "application/json;;;=", "application/*", "*/*", "foo",
			"application/x-npy", "application/problem+json", "application/merge-patch+json", "application/vnd.api+json",
			"image/svg+xml");

	private static final List<String> ACCEPTS = List.of("application/json", "application/x-npy", "application/x-npz",
			"application/x-safetensors", "application/x-tar", "image/svg+xml", "text/html", "text/event-stream", "*/*",
			"application/xml", "application/x-npy;q=0.1, application/x-safetensors;q=0.9", "garbage;;q=x",
			"application/problem+json");

	private static final List<String> QUERY_KEYS = List.of("format", "tensor", "nonlinearity", "param", "page", "x", "",
			"format[]", "%00", "sort");

	private static final List<String> QUERY_VALUES = List.of("json", "npy", "npz", "safetensors", "hf", "svg",
			"fc1.weight", "out.bias", "relu", "leaky_relu", "NaN", "Infinity", "-Infinity", "1e999", "-0", "0.2", "abc",
			"", "%FF", "%00", "../../etc/passwd", "\u00e9\u2603", "1".repeat(400));

	private static final double[] NUMBERS = { 0, -0.0, 1, -1, 0.5, -0.5, 2, 3, 7, 1e-300, 4.9e-324, 1e300, -1e300,
			Double.MAX_VALUE, -Double.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
			(double) Integer.MAX_VALUE + 1, 65536, 65537, 1 << 20, 1e9, 1e12, 0.999999999, 1.000000001, 1e-8 };

	private final SplittableRandom random;

	private final RequestLimits limits;

	private final List<String> steps = new ArrayList<>();

	private HostileRequests(long seed, long index, RequestLimits limits) {
		this.random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
		this.limits = limits;
	}

	/**
	 * The unmutated examples, one POST per endpoint and example, each valid under the
	 * test server's limits: path to body.
	 */
	static java.util.Map<String, byte[]> validBodies() {
		java.util.Map<String, byte[]> out = new java.util.LinkedHashMap<>();
		for (int i = 0; i < INITIALIZATIONS.size(); i++) {
			out.put("/api/v1/initializations?example=" + i, JSON.writeValueAsBytes(INITIALIZATIONS.get(i)));
		}
		out.put("/api/v1/experiments", JSON.writeValueAsBytes(EXPERIMENT));
		out.put("/api/v1/propagation", JSON.writeValueAsBytes(PROPAGATION));
		return out;
	}

	/** Request number {@code index} of the sequence {@code seed}. */
	static Probe probe(long seed, long index, RequestLimits limits) {
		return new HostileRequests(seed, index, limits).next();
	}

	/**
	 * One request.
	 *
	 * @param method HTTP method
	 * @param path path and query, percent-encoded; may hold {@link #KNOWN_ID}
	 * @param contentType the Content-Type, or null for none
	 * @param accept the Accept header, or null for none
	 * @param body the body, or null for none
	 * @param chunked send the body without Content-Length
	 * @param description what was done to it, for the failure message
	 */
	record Probe(String method, String path, String contentType, String accept, byte[] body, boolean chunked,
			String description) {

		@Override
		public String toString() {
			String shown = (this.body == null) ? ""
					: new String(this.body, 0, Math.min(this.body.length, 600), StandardCharsets.UTF_8);
			return this.method + " " + this.path + " [" + this.description + "] Content-Type: " + this.contentType
					+ ", Accept: " + this.accept + ", " + ((this.body == null) ? "no body"
							: this.body.length + " bytes" + (this.chunked ? " chunked" : "") + ": " + shown);
		}

	}

	private Probe next() {
		int pick = this.random.nextInt(100);
		if (pick < 40) {
			return post(initializationPath(), INITIALIZATIONS.get(this.random.nextInt(INITIALIZATIONS.size())));
		}
		if (pick < 55) {
			return post("/api/v1/experiments", EXPERIMENT);
		}
		if (pick < 70) {
			return post("/api/v1/propagation" + (chance(0.3) ? "?format=" + oneOf(QUERY_VALUES) : ""),
					chance(0.5) ? PROPAGATION : PROPAGATION_RESIDUAL);
		}
		if (pick < 82) {
			return catalogRead();
		}
		if (pick < 95) {
			return experimentRead();
		}
		return wrongMethod();
	}

	// ---------------------------------------------------------------- requests

	private String initializationPath() {
		if (chance(0.5)) {
			return "/api/v1/initializations";
		}
		String format = chance(0.8) ? oneOf(List.of("json", "npy", "npz", "safetensors")) : oneOf(QUERY_VALUES);
		String path = "/api/v1/initializations?format=" + encode(format);
		if (chance(0.3)) {
			path += "&tensor=" + encode(oneOf(QUERY_VALUES));
		}
		return path;
	}

	private Probe post(String path, JsonNode base) {
		JsonNode tree = base.deepCopy();
		int mutations = this.random.nextInt(5);
		for (int i = 0; i < mutations; i++) {
			tree = mutateTree(tree);
		}
		byte[] body = JSON.writeValueAsBytes(tree);
		String contentType = "application/json";
		boolean chunked = chance(0.1);
		String accept = chance(0.15) ? oneOf(ACCEPTS) : null;
		int bytes = this.random.nextInt(10);
		if (bytes == 0) {
			body = mutateBytes(body);
		}
		else if (bytes == 1) {
			body = oversized(body);
		}
		if (chance(0.06)) {
			contentType = chance(0.15) ? null : oneOf(CONTENT_TYPES);
			note("content type " + contentType);
		}
		if (chance(0.02)) {
			body = null;
			note("no body");
		}
		String description = this.steps.isEmpty() ? "valid example" : String.join("; ", this.steps);
		return new Probe("POST", path, contentType, accept, body, chunked, description);
	}

	private Probe catalogRead() {
		String path = switch (this.random.nextInt(6)) {
			case 0 -> "/api/v1/schemes";
			case 1 -> "/api/v1/presets";
			case 2 -> "/api/v1/rngs";
			case 3 -> "/api/v1/schemes/" + randomId();
			case 4 -> "/api/v1/gains?nonlinearity=" + encode(chance(0.6) ? oneOf(WORDS) : oneOf(QUERY_VALUES))
					+ (chance(0.6) ? "&param=" + encode(randomNumberText()) : "");
			default -> "/api/v1/gains";
		};
		path = withRandomQuery(path);
		note("catalog read");
		return new Probe("GET", path, null, chance(0.2) ? oneOf(ACCEPTS) : null, null, false,
				String.join("; ", this.steps));
	}

	private Probe experimentRead() {
		String id = chance(0.4) ? KNOWN_ID : randomId();
		String method = "GET";
		String path = switch (this.random.nextInt(6)) {
			case 0 -> "/api/v1/experiments/" + id;
			case 1 -> {
				method = "DELETE";
				yield "/api/v1/experiments/" + id;
			}
			case 2 -> "/api/v1/experiments/" + id + "/plots/"
					+ encode(chance(0.7) ? oneOf(List.of("loss", "accuracy", "symmetry")) : oneOf(QUERY_VALUES))
					+ ".svg";
			case 3 -> "/api/v1/experiments/" + id + "/events";
			case 4 -> "/api/v1/experiments/" + id + (chance(0.5) ? "/boundary" : "/plots/boundary.svg") + "?policy="
					+ encode(chance(0.5) ? oneOf(List.of("zeros", "he")) : oneOf(QUERY_VALUES)) + "&resolution="
					+ encode(chance(0.5) ? Integer.toString(this.random.nextInt(-2, 800)) : oneOf(QUERY_VALUES));
			default -> "/api/v1/experiments/" + id + "/" + encode(oneOf(QUERY_VALUES));
		};
		note("experiment " + method.toLowerCase(java.util.Locale.ROOT));
		return new Probe(method, withRandomQuery(path), null, chance(0.2) ? oneOf(ACCEPTS) : null, null, false,
				String.join("; ", this.steps));
	}

	private Probe wrongMethod() {
		String path = oneOf(List.of("/api/v1/initializations", "/api/v1/experiments", "/api/v1/propagation",
				"/api/v1/schemes", "/api/v1/gains?nonlinearity=relu", "/api/v1/experiments/" + KNOWN_ID,
				"/api/v1/nowhere", "/api/v2/initializations", "/"));
		String method = oneOf(List.of("PUT", "PATCH", "DELETE", "POST", "GET", "OPTIONS"));
		byte[] body = chance(0.5) ? Examples.INITIALIZATION.getBytes(StandardCharsets.UTF_8) : null;
		note("method " + method);
		return new Probe(method, path, (body != null) ? "application/json" : null, null, body, false,
				String.join("; ", this.steps));
	}

	private String withRandomQuery(String path) {
		if (!chance(0.3)) {
			return path;
		}
		StringBuilder out = new StringBuilder(path);
		int n = 1 + this.random.nextInt(3);
		for (int i = 0; i < n; i++) {
			out.append(out.indexOf("?") < 0 ? '?' : '&')
				.append(encode(oneOf(QUERY_KEYS)))
				.append('=')
				.append(encode(oneOf(QUERY_VALUES)));
		}
		note("random query");
		return out.toString();
	}

	private String randomId() {
		return switch (this.random.nextInt(7)) {
			case 0 -> new java.util.UUID(this.random.nextLong(), this.random.nextLong()).toString();
			case 1 -> encode(oneOf(WORDS));
			case 2 -> encode(oneOf(QUERY_VALUES));
			case 3 -> "%2e%2e";
			case 4 -> encode("x".repeat(1 + this.random.nextInt(3000)));
			case 5 -> encode(new String(randomChars(1 + this.random.nextInt(40))));
			default -> Long.toString(this.random.nextLong());
		};
	}

	// ---------------------------------------------------------------- tree mutations

	private JsonNode mutateTree(JsonNode root) {
		List<Slot> slots = new ArrayList<>();
		collect(root, "", slots);
		if (slots.isEmpty()) {
			note("root replaced");
			return randomValue(0);
		}
		Slot slot = slots.get(this.random.nextInt(slots.size()));
		switch (this.random.nextInt(16)) {
			case 0 -> {
				slot.remove();
				note("drop " + slot.path);
			}
			case 1 -> {
				slot.set(randomValue(0));
				note("retype " + slot.path);
			}
			case 2 -> {
				slot.set(NODES.numberNode(interestingNumber()));
				note("number " + slot.path);
			}
			case 3 -> {
				slot.set(NODES.numberNode(oneOf(List.of(0, -1, -2, Integer.MIN_VALUE, Integer.MAX_VALUE))));
				note("int " + slot.path);
			}
			case 4 -> {
				slot.set(NODES.stringNode(oneOf(List.of("NaN", "Infinity", "-Infinity", "1e999", "-0", "", " ", "null",
						"true", "0x10", "1_000"))));
				note("non-finite string " + slot.path);
			}
			case 5 -> {
				slot.set(NODES.stringNode(giantString()));
				note("giant string " + slot.path);
			}
			case 6 -> {
				slot.set(nested(1 + this.random.nextInt(this.limits.maxNestingDepth() + 4)));
				note("deep nesting " + slot.path);
			}
			case 7 -> {
				slot.set(NODES.stringNode(chance(0.5) ? oneOf(WORDS) : nearMiss(oneOf(WORDS))));
				note("word " + slot.path);
			}
			case 8 -> {
				addUnknownField(root);
			}
			case 12, 13 -> {
				// a plausible value for the field: the kind a client means to send
				String name = (slot.key != null) ? slot.key : "";
				slot.set(plausible(name));
				note("plausible " + slot.path);
			}
			case 14, 15 -> {
				addPlausibleField(root);
			}
			case 9 -> {
				duplicateInArray(root);
			}
			case 10 -> {
				slot.set(NODES.numberNode(-Math.abs(interestingNumber())));
				note("negative " + slot.path);
			}
			default -> {
				slot.set(slots.get(this.random.nextInt(slots.size())).value().deepCopy());
				note("swap into " + slot.path);
			}
		}
		if (chance(0.03)) {
			note("root replaced");
			return chance(0.5) ? NODES.arrayNode().add(root) : randomValue(0);
		}
		return root;
	}

	/** A place in the tree: an object property or an array element. */
	private record Slot(JsonNode parent, String key, int index, String path) {

		JsonNode value() {
			return (this.key != null) ? this.parent.get(this.key) : this.parent.get(this.index);
		}

		void set(JsonNode value) {
			if (this.parent instanceof ObjectNode object) {
				object.set(this.key, value);
			}
			else {
				((ArrayNode) this.parent).set(this.index, value);
			}
		}

		void remove() {
			if (this.parent instanceof ObjectNode object) {
				object.remove(this.key);
			}
			else {
				((ArrayNode) this.parent).remove(this.index);
			}
		}

	}

	private static void collect(JsonNode node, String path, List<Slot> out) {
		if (node instanceof ObjectNode object) {
			for (String key : object.propertyNames()) {
				String child = path.isEmpty() ? key : path + "." + key;
				out.add(new Slot(object, key, -1, child));
				collect(object.get(key), child, out);
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				String child = path + "[" + i + "]";
				out.add(new Slot(array, null, i, child));
				collect(array.get(i), child, out);
			}
		}
	}

	private void addUnknownField(JsonNode root) {
		List<ObjectNode> objects = new ArrayList<>();
		collectObjects(root, objects);
		if (objects.isEmpty()) {
			return;
		}
		ObjectNode target = objects.get(this.random.nextInt(objects.size()));
		String name = chance(0.7) ? oneOf(FIELDS) : nearMiss(oneOf(FIELDS));
		target.set(name, randomValue(0));
		note("add field " + name);
	}

	private void addPlausibleField(JsonNode root) {
		List<ObjectNode> objects = new ArrayList<>();
		collectObjects(root, objects);
		if (objects.isEmpty()) {
			return;
		}
		ObjectNode target = objects.get(this.random.nextInt(objects.size()));
		// an initializer takes the scheme's parameters: try those there
		String name = oneOf(target.has("scheme") ? SCHEME_PARAMETERS : FIELDS);
		target.set(name, plausible(name));
		note("set " + name);
	}

	/** A value of the kind the field takes, often valid, often at an edge. */
	private JsonNode plausible(String field) {
		List<String> words = switch (field) {
			case "scheme" -> SCHEMES;
			case "preset" -> List.of("pytorch_default", "keras_default", "flax_default", "small_random", "zeros");
			case "type" -> List.of("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
					"conv_transpose3d", "embedding", "rnn", "lstm", "gru", "layer_norm", "batch_norm1d", "batch_norm2d",
					"batch_norm3d", "multihead_attention", "tensor");
			case "activation", "nonlinearity" -> List.of("relu", "tanh", "sigmoid", "leaky_relu", "gelu", "silu",
					"selu", "elu", "celu", "softplus", "mish", "hardtanh", "linear", "identity", "conv2d", "swish");
			case "mode" -> List.of("fan_in", "fan_out", "fan_avg");
			case "distribution" -> List.of("truncated_normal", "normal", "untruncated_normal", "uniform");
			case "rng" -> List.of("xoshiro256pp", "l64x128mix", "splitmix64", "mt19937", "well19937c", "well44497b",
					"well512a", "isaac", "numpy_legacy", "numpy_pcg64");
			case "dtype" -> List.of("float32", "float64", "float16", "bfloat16");
			case "layout" -> List.of("pytorch", "keras");
			case "seeding" -> List.of("per_tensor", "sequential");
			case "optimizer" -> List.of("gd", "momentum", "adam");
			case "output" -> List.of("sigmoid", "softmax");
			case "role" -> List.of("weight", "bias", "recurrent_weight", "embedding", "norm_weight", "norm_bias",
					"running_mean", "running_var");
			case "name" ->
				List.of("planar_flower", "xor", "circles", "moons", "spirals", "blobs", "inline", "fc1", "out");
			default -> null;
		};
		if (words != null && chance(0.9)) {
			return NODES.stringNode(oneOf(words));
		}
		return switch (field) {
			case "kernel_size", "shape", "normalized_shape", "hidden_layers" -> smallInts(4);
			case "include" ->
				NODES.arrayNode().add(oneOf(List.of("stats", "data"))).add(oneOf(List.of("stats", "data")));
			case "y" -> smallInts(12);
			case "x" -> {
				ArrayNode rows = NODES.arrayNode();
				int width = this.random.nextInt(4);
				for (int i = this.random.nextInt(12); i > 0; i--) {
					ArrayNode row = NODES.arrayNode();
					for (int j = chance(0.9) ? width : this.random.nextInt(4); j > 0; j--) {
						row.add(plausibleNumber());
					}
					rows.add(row);
				}
				yield rows;
			}
			case "test" -> NODES.objectNode().put("n_samples", this.random.nextInt(-1, 6));
			case "bias", "bidirectional", "per_gate", "affine", "elementwise_affine" -> NODES.booleanNode(chance(0.5));
			case "init", "weight" -> {
				ObjectNode init = NODES.objectNode().put("scheme", oneOf(SCHEMES));
				for (int i = this.random.nextInt(3); i > 0; i--) {
					String param = oneOf(SCHEME_PARAMETERS);
					init.set(param, plausible(param));
				}
				yield field.equals("init") ? NODES.objectNode().set("weight", init) : init;
			}
			default -> plausibleNumber();
		};
	}

	private JsonNode plausibleNumber() {
		return switch (this.random.nextInt(4)) {
			case 0 -> NODES.numberNode(this.random.nextInt(-1, 6));
			case 1 -> NODES.numberNode(1 + this.random.nextInt(512));
			case 2 -> NODES.numberNode(oneOf(List.of(0.0, 0.1, 0.5, 0.9, 0.99, 1.0, 1.5, 2.0, 10.0, -0.5, 1e-9)));
			default -> NODES.numberNode(this.random.nextDouble(-3, 3));
		};
	}

	private ArrayNode smallInts(int max) {
		ArrayNode out = NODES.arrayNode();
		for (int i = this.random.nextInt(max + 1); i > 0; i--) {
			out.add(this.random.nextInt(-1, 9));
		}
		return out;
	}

	private void duplicateInArray(JsonNode root) {
		List<ArrayNode> arrays = new ArrayList<>();
		collectArrays(root, arrays);
		if (arrays.isEmpty()) {
			return;
		}
		ArrayNode target = arrays.get(this.random.nextInt(arrays.size()));
		if (!target.isEmpty()) {
			int times = chance(0.8) ? 1 : this.random.nextInt(70);
			JsonNode element = target.get(this.random.nextInt(target.size()));
			for (int i = 0; i < times; i++) {
				target.add(element.deepCopy());
			}
			note("duplicate array element x" + times);
		}
	}

	private static void collectObjects(JsonNode node, List<ObjectNode> out) {
		if (node instanceof ObjectNode object) {
			out.add(object);
		}
		for (JsonNode child : node) {
			collectObjects(child, out);
		}
	}

	private static void collectArrays(JsonNode node, List<ArrayNode> out) {
		if (node instanceof ArrayNode array) {
			out.add(array);
		}
		for (JsonNode child : node) {
			collectArrays(child, out);
		}
	}

	private JsonNode randomValue(int depth) {
		return switch (this.random.nextInt((depth < 3) ? 9 : 7)) {
			case 0 -> NODES.nullNode();
			case 1 -> NODES.booleanNode(chance(0.5));
			case 2 -> NODES.numberNode(this.random.nextInt(-3, 300));
			case 3 -> NODES.numberNode(interestingNumber());
			case 4 -> NODES.stringNode(oneOf(WORDS));
			case 5 -> NODES.stringNode(new String(randomChars(this.random.nextInt(30))));
			case 6 -> NODES.numberNode(new java.math.BigInteger(1 + this.random.nextInt(30),
					new java.util.Random(this.random.nextLong())));
			case 7 -> {
				ArrayNode array = NODES.arrayNode();
				for (int i = this.random.nextInt(4); i > 0; i--) {
					array.add(randomValue(depth + 1));
				}
				yield array;
			}
			default -> {
				ObjectNode object = NODES.objectNode();
				for (int i = this.random.nextInt(4); i > 0; i--) {
					object.set(oneOf(FIELDS), randomValue(depth + 1));
				}
				yield object;
			}
		};
	}

	private JsonNode nested(int depth) {
		JsonNode inner = chance(0.5) ? NODES.numberNode(1) : NODES.stringNode("relu");
		for (int i = 0; i < depth; i++) {
			inner = chance(0.5) ? NODES.arrayNode().add(inner) : NODES.objectNode().set(oneOf(FIELDS), inner);
		}
		return inner;
	}

	private double interestingNumber() {
		return chance(0.7) ? NUMBERS[this.random.nextInt(NUMBERS.length)]
				: this.random.nextDouble(-1e6, 1e6) * Math.pow(10, this.random.nextInt(-20, 20));
	}

	private String randomNumberText() {
		return switch (this.random.nextInt(4)) {
			case 0 -> Double.toString(interestingNumber());
			case 1 -> oneOf(List.of("NaN", "Infinity", "-Infinity", "1e999", "-1e999", "0x1p3", "1,5", ""));
			case 2 -> "9".repeat(1 + this.random.nextInt(500));
			default -> Integer.toString(this.random.nextInt());
		};
	}

	private String giantString() {
		int max = this.limits.maxStringLength();
		int length = chance(0.5) ? max + 1 + this.random.nextInt(max) : this.random.nextInt(max + 1);
		return chance(0.5) ? "a".repeat(length) : new String(randomChars(length));
	}

	/** Random UTF-16, including lone surrogates, controls and non-BMP pairs. */
	private char[] randomChars(int length) {
		char[] out = new char[length];
		for (int i = 0; i < length; i++) {
			out[i] = switch (this.random.nextInt(5)) {
				case 0 -> (char) this.random.nextInt(0x20);
				case 1 -> (char) this.random.nextInt(0xD800, 0xE000);
				case 2 -> (char) this.random.nextInt(0x10000);
				default -> (char) this.random.nextInt(0x20, 0x7F);
			};
		}
		return out;
	}

	/** A word with one character changed, dropped, doubled or upper-cased. */
	private String nearMiss(String word) {
		int i = this.random.nextInt(word.length());
		return switch (this.random.nextInt(4)) {
			case 0 -> word.substring(0, i) + (char) ('a' + this.random.nextInt(26)) + word.substring(i + 1);
			case 1 -> word.substring(0, i) + word.substring(i + 1);
			case 2 -> word.substring(0, i + 1) + word.substring(i);
			default -> word.toUpperCase(java.util.Locale.ROOT);
		};
	}

	// ---------------------------------------------------------------- byte mutations

	private byte[] mutateBytes(byte[] body) {
		return switch (this.random.nextInt(7)) {
			case 0 -> {
				int cut = this.random.nextInt(body.length);
				note("truncated at " + cut);
				yield Arrays.copyOf(body, cut);
			}
			case 1 -> {
				note("invalid UTF-8");
				yield invalidUtf8(body);
			}
			case 2 -> {
				note("random bytes");
				byte[] noise = new byte[this.random.nextInt(2000)];
				this.random.nextBytes(noise);
				yield noise;
			}
			case 3 -> {
				int depth = this.limits.maxNestingDepth() + 1 + this.random.nextInt(5000);
				note("nested " + depth + " deep, raw");
				String open = chance(0.5) ? "[" : "{\"a\":";
				String close = open.equals("[") ? "]" : "}";
				yield ("{\"layers\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}")
					.getBytes(StandardCharsets.US_ASCII);
			}
			case 4 -> {
				String number = oneOf(List.of("NaN", "Infinity", "-Infinity", "1e99999", "-1e99999", "0.0e-99999", "01",
						"1.", ".5", "+1", "1".repeat(this.limits.maxNumberLength() + 1),
						"0." + "3".repeat(this.limits.maxNumberLength()),
						"1".repeat(this.limits.maxNumberLength() - 5)));
				note("raw number " + abbreviate(number));
				yield replaceFirstNumber(body, number);
			}
			case 5 -> {
				note("text mangled");
				yield mangle(body);
			}
			default -> {
				String token = oneOf(List.of("", "{}", "[]", "null", "\"\"", "0", "true", "{\"seed\":1}{\"seed\":2}",
						"\uFEFF{}", " ".repeat(1000)));
				note("body " + abbreviate(token));
				yield token.getBytes(StandardCharsets.UTF_8);
			}
		};
	}

	private byte[] invalidUtf8(byte[] body) {
		byte[][] bad = { { (byte) 0xC3, 0x28 }, { (byte) 0xFF }, { (byte) 0xC0, (byte) 0xAF },
				{ (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 },
				{ (byte) 0xE2, (byte) 0x82 }, { 0 } };
		byte[] insert = bad[this.random.nextInt(bad.length)];
		// inside a string, so the parser must decode it
		int quote = indexOf(body, (byte) '"', this.random.nextInt(Math.max(1, body.length)));
		int at = (quote >= 0) ? quote + 1 : this.random.nextInt(body.length + 1);
		byte[] out = new byte[body.length + insert.length];
		System.arraycopy(body, 0, out, 0, at);
		System.arraycopy(insert, 0, out, at, insert.length);
		System.arraycopy(body, at, out, at + insert.length, body.length - at);
		return out;
	}

	private static byte[] replaceFirstNumber(byte[] body, String number) {
		String text = new String(body, StandardCharsets.UTF_8);
		return text.replaceFirst(":\\s*-?[0-9][0-9.eE+-]*", ":" + java.util.regex.Matcher.quoteReplacement(number))
			.getBytes(StandardCharsets.UTF_8);
	}

	private byte[] mangle(byte[] body) {
		byte[] out = body.clone();
		byte[] specials = "{}[]\",:\\ 0-eE.nt".getBytes(StandardCharsets.US_ASCII);
		for (int i = 1 + this.random.nextInt(4); i > 0 && out.length > 0; i--) {
			out[this.random.nextInt(out.length)] = specials[this.random.nextInt(specials.length)];
		}
		return out;
	}

	private byte[] oversized(byte[] body) {
		long limit = this.limits.maxBodySize().toBytes();
		int size = (int) (chance(0.3) ? limit - 16 + this.random.nextInt(32)
				: limit + 1 + this.random.nextInt((int) Math.min(Integer.MAX_VALUE - limit - 1, 8 * limit)));
		note("padded to " + size + " bytes");
		Supplier<byte[]> padded = () -> {
			// whitespace after the document: valid JSON, just long
			byte[] out = Arrays.copyOf(body, Math.max(size, body.length));
			Arrays.fill(out, body.length, out.length, (byte) ' ');
			return out;
		};
		if (chance(0.5)) {
			return padded.get();
		}
		// a long array of numbers where the layers are: heavy to parse, not just to read
		StringBuilder out = new StringBuilder("{\"seed\": 1, \"layers\": [");
		while (out.length() < size) {
			out.append("123456789,");
		}
		out.append("0]}");
		return out.toString().getBytes(StandardCharsets.US_ASCII);
	}

	// ---------------------------------------------------------------- helpers

	private static JsonNode read(String json) {
		return JSON.readTree(json);
	}

	private static JsonNode shrunkSymmetryCheck() {
		ObjectNode tree = (ObjectNode) read(Examples.SYMMETRY_CHECK);
		((ObjectNode) tree.get("symmetry_check").get("training")).put("iterations", 200).put("record_every", 50);
		return tree;
	}

	private static JsonNode shrunkExperiment() {
		ObjectNode tree = (ObjectNode) read(Examples.EXPERIMENT);
		((ObjectNode) tree.get("dataset")).put("n_samples", 100);
		((ObjectNode) tree.get("training")).put("iterations", 200).put("record_every", 50);
		return tree;
	}

	private static JsonNode shrunkPropagation() {
		return ((ObjectNode) read(Examples.PROPAGATION)).put("depth", 10).put("width", 32).put("batch_size", 32);
	}

	private static int indexOf(byte[] bytes, byte b, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == b) {
				return i;
			}
		}
		return -1;
	}

	private static String encode(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8);
	}

	private static String abbreviate(String s) {
		return (s.length() > 40) ? s.substring(0, 40) + "...(" + s.length() + " chars)" : s;
	}

	private boolean chance(double p) {
		return this.random.nextDouble() < p;
	}

	private <T> T oneOf(List<T> options) {
		return options.get(this.random.nextInt(options.size()));
	}

	private void note(String step) {
		this.steps.add(step);
	}

}
