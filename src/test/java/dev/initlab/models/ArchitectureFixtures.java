package dev.initlab.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole-architecture fixtures of issue #13, read into plain records: what the real
 * libraries (transformers, torchvision, timm, nanoGPT, Fixup) build for small configs.
 * Made by {@code src/test/resources/reference/architectures/make_architectures.py}, which
 * documents every field; {@code architectures_summary.md} beside it lists the rules
 * observed per parameter group.
 * <p>
 * One JSON per family ({@link #FAMILIES}); each holds the library versions, the seeds and
 * a list of models (an architecture at one config). Per model: the {@code state_dict}
 * tensors in the library's order with shape and dtype; for each either the library's
 * deterministic values (distinct values, e.g. {@code [0.0]}, {@code [1.0]}, {@code [0]}
 * for {@code num_batches_tracked}), or a sample of at most {@code max_sample} values
 * drawn by the library itself (absent for the big names-and-shapes-only models, see
 * {@link FixtureModel#hasSamples()}), or {@code tiedTo}, the first key of its tie group.
 * <p>
 * Statistics: {@link #ksPValue} is Commons Math's two-sample Kolmogorov-Smirnov test.
 * {@link #assertSameDistribution} rejects at {@link #FALSE_FAILURE_LEVEL}: two samples of
 * one continuous distribution fail with probability at most 1e-5 per comparison (the test
 * is conservative there), so a test running N comparisons fails falsely with odds at most
 * N x 1e-5. Its power (a scale error of a normal moves the KS distance by about 0.10 for
 * x1.5 and 0.16 for x2): 200 library values against many of ours reject neither reliably;
 * pooled {@linkplain FixtureModel#groups() groups} of 400 values reject x2 (GPT-2's
 * {@code c_proj} without its depth scaling), x1.5 needs about 1 500 (pool a family, or
 * compare a tensor's std with {@link Stats#std()}, which is exact for the whole tensor).
 */
public final class ArchitectureFixtures {

	/** The families, one fixture file each. */
	public static final List<String> FAMILIES = List.of("gpt2", "llama", "bert", "t5", "nanogpt", "resnet", "vit",
			"fixup");

	/** Per-comparison false-failure probability of {@link #assertSameDistribution}. */
	public static final double FALSE_FAILURE_LEVEL = 1e-5;

	private static final String FOLDER = "/reference/architectures/";

	private static final KolmogorovSmirnovTest KS = new KolmogorovSmirnovTest();

	private static final Map<String, List<FixtureModel>> LOADED = new LinkedHashMap<>();

	private ArchitectureFixtures() {
	}

	/** Every model of every family, in file order. */
	public static List<FixtureModel> all() {
		List<FixtureModel> all = new ArrayList<>();
		for (String family : FAMILIES) {
			all.addAll(family(family));
		}
		return all;
	}

	/** The models of one family ({@code "gpt2"}, ..., {@code "vit"}). */
	public static synchronized List<FixtureModel> family(String family) {
		return LOADED.computeIfAbsent(family, ArchitectureFixtures::load);
	}

	/** A model by its fixture id ({@code "gpt2_0"}, {@code "resnet_5"}, ...). */
	public static FixtureModel model(String id) {
		String family = id.substring(0, id.lastIndexOf('_'));
		return family(family).stream()
			.filter((m) -> m.id().equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no fixture model " + id));
	}

	/** The models of one architecture ({@code "transformers/GPT2LMHeadModel"}, ...). */
	public static List<FixtureModel> architecture(String architecture) {
		return all().stream().filter((m) -> m.architecture().equals(architecture)).toList();
	}

	/**
	 * A tensor's group: its name with every purely numeric part replaced by {@code *}
	 * ({@code transformer.h.3.attn.c_proj.weight} ->
	 * {@code transformer.h.*.attn.c_proj.weight}).
	 */
	public static String groupOf(String name) {
		String[] parts = name.split("\\.", -1);
		for (int i = 0; i < parts.length; i++) {
			if (!parts[i].isEmpty() && parts[i].chars().allMatch(Character::isDigit)) {
				parts[i] = "*";
			}
		}
		return String.join(".", parts);
	}

	/** Two-sample Kolmogorov-Smirnov p-value (Commons Math). */
	public static double ksPValue(double[] ours, double[] library) {
		return KS.kolmogorovSmirnovTest(ours, library);
	}

	/**
	 * Fails when the two samples differ in distribution at {@link #FALSE_FAILURE_LEVEL}.
	 * @param what names the comparison in the failure message
	 */
	public static void assertSameDistribution(String what, double[] ours, double[] library) {
		double p = ksPValue(ours, library);
		if (!(p > FALSE_FAILURE_LEVEL)) {
			throw new AssertionError("%s: KS p-value %s <= %s (ours n=%d, library n=%d)".formatted(what, p,
					FALSE_FAILURE_LEVEL, ours.length, library.length));
		}
	}

	/**
	 * The library samples of some tensors, each value divided by {@code divisor} of its
	 * tensor (e.g. {@code t -> t.stats().std()}, or the std a rule expects),
	 * concatenated. Tensors without a sample (deterministic or tied) are skipped.
	 */
	public static double[] pooledSample(List<FixtureTensor> tensors, ToDoubleFunction<FixtureTensor> divisor) {
		List<double[]> parts = new ArrayList<>();
		for (FixtureTensor t : tensors) {
			if (t.sample() != null) {
				double d = divisor.applyAsDouble(t);
				parts.add(Arrays.stream(t.sample()).map((v) -> v / d).toArray());
			}
		}
		return parts.stream().flatMapToDouble(Arrays::stream).toArray();
	}

	private static List<FixtureModel> load(String family) {
		String resource = FOLDER + family + ".json";
		try (InputStream in = ArchitectureFixtures.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("missing test resource " + resource);
			}
			JsonNode root = JsonMapper.builder().build().readTree(in);
			Map<String, String> versions = new LinkedHashMap<>();
			root.get("versions").properties().forEach((e) -> versions.put(e.getKey(), e.getValue().asString()));
			JsonNode seeds = root.get("seeds");
			Seeds s = new Seeds(seeds.get("build").asLong(), seeds.get("check").asLong(), seeds.get("pick").asLong());
			List<FixtureModel> models = new ArrayList<>();
			for (JsonNode m : root.get("models")) {
				models.add(model(family, m, versions, s));
			}
			return List.copyOf(models);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static FixtureModel model(String family, JsonNode m, Map<String, String> versions, Seeds seeds) {
		List<FixtureTensor> tensors = new ArrayList<>();
		for (JsonNode t : m.get("tensors")) {
			tensors.add(tensor(t));
		}
		List<List<String>> ties = new ArrayList<>();
		for (JsonNode group : m.get("tie_groups")) {
			ties.add(strings(group));
		}
		JsonNode nonEmbedding = m.get("non_embedding_parameter_count");
		return new FixtureModel(family, m.get("id").asString(), m.get("architecture").asString(), m.get("config"),
				m.get("resolved_config"), List.copyOf(tensors), List.copyOf(ties), m.get("parameter_count").asLong(),
				m.get("state_dict_numel").asLong(), strings(m.get("non_persistent_buffers")),
				m.get("samples").asBoolean(), m.get("max_sample").asInt(), Map.copyOf(versions), seeds,
				(nonEmbedding == null) ? Optional.empty() : Optional.of(nonEmbedding.asLong()));
	}

	private static FixtureTensor tensor(JsonNode t) {
		List<Long> shape = new ArrayList<>();
		t.get("shape").forEach((d) -> shape.add(d.asLong()));
		String tiedTo = t.has("tied_to") ? t.get("tied_to").asString() : null;
		Boolean deterministic = t.has("deterministic") ? t.get("deterministic").asBoolean() : null;
		JsonNode stats = t.get("stats");
		Stats s = (stats == null) ? null : new Stats(stats.get("mean").asDouble(), stats.get("std").asDouble(),
				stats.get("min").asDouble(), stats.get("max").asDouble());
		String dtype = t.get("dtype").asString();
		List<Integer> zeroRows = new ArrayList<>();
		if (t.has("zero_rows")) {
			t.get("zero_rows").forEach((r) -> zeroRows.add(r.asInt()));
		}
		return new FixtureTensor(t.get("name").asString(), List.copyOf(shape), dtype, tiedTo, deterministic,
				doubles(t.get("values"), dtype), doubles(t.get("sample"), dtype),
				t.has("sample_std") ? t.get("sample_std").asDouble() : Double.NaN, s, List.copyOf(zeroRows));
	}

	/**
	 * The fixture writes float32 values as their shortest decimal; rounding the parsed
	 * double to float gives back the library's float32 exactly.
	 */
	private static double[] doubles(JsonNode array, String dtype) {
		if (array == null) {
			return null;
		}
		double[] values = new double[array.size()];
		for (int i = 0; i < values.length; i++) {
			double v = array.get(i).asDouble();
			values[i] = dtype.equals("float32") ? (float) v : v;
		}
		return values;
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((v) -> values.add(v.asString()));
		return List.copyOf(values);
	}

	/**
	 * The seeds the script used: build (samples), check (a second build), pick (sample
	 * choice).
	 */
	public record Seeds(long build, long check, long pick) {
	}

	/** Whole-tensor mean, unbiased std, min, max in float64 (random tensors only). */
	public record Stats(double mean, double std, double min, double max) {
	}

	/**
	 * One model: an architecture at one config as the library built it.
	 *
	 * @param family the fixture file ({@code gpt2}, ...)
	 * @param id unique within the fixtures ({@code gpt2_0})
	 * @param architecture the API's name ({@code transformers/GPT2LMHeadModel})
	 * @param config the config as passed to the library (the API's {@code config})
	 * @param resolvedConfig the library's resolved config, defaults included
	 * @param tensors the state_dict in the library's order
	 * @param tieGroups state_dict keys sharing one storage, first key first
	 * @param parameterCount parameters with ties counted once ({@code num_parameters()})
	 * @param stateDictNumel elements summed over all state_dict keys (ties and buffers
	 * included)
	 * @param nonPersistentBuffers buffers the model has but its state_dict leaves out
	 * @param hasSamples whether random tensors carry samples (false: names, shapes,
	 * stats)
	 * @param maxSample the cap on a sample's size
	 * @param versions library versions ({@code torch}, {@code transformers}, ...)
	 * @param seeds the seeds the script used
	 * @param nonEmbeddingParameterCount nanoGPT's {@code get_num_params()} (without
	 * {@code wpe}), for nanoGPT only
	 */
	public record FixtureModel(String family, String id, String architecture, JsonNode config, JsonNode resolvedConfig,
			List<FixtureTensor> tensors, List<List<String>> tieGroups, long parameterCount, long stateDictNumel,
			List<String> nonPersistentBuffers, boolean hasSamples, int maxSample, Map<String, String> versions,
			Seeds seeds, Optional<Long> nonEmbeddingParameterCount) {

		/** The state_dict keys in order. */
		public List<String> names() {
			return this.tensors.stream().map(FixtureTensor::name).toList();
		}

		/** A tensor by its state_dict key. */
		public FixtureTensor tensor(String name) {
			return this.tensors.stream()
				.filter((t) -> t.name().equals(name))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException(this.id + " has no tensor " + name));
		}

		/**
		 * The tensor a key's values live in: itself, or the first member of its tie
		 * group.
		 */
		public FixtureTensor owner(String name) {
			FixtureTensor t = tensor(name);
			return (t.tiedTo() != null) ? tensor(t.tiedTo()) : t;
		}

		/**
		 * Tensors by {@linkplain ArchitectureFixtures#groupOf group}, in state_dict
		 * order.
		 */
		public Map<String, List<FixtureTensor>> groups() {
			Map<String, List<FixtureTensor>> groups = new LinkedHashMap<>();
			for (FixtureTensor t : this.tensors) {
				groups.computeIfAbsent(groupOf(t.name()), (g) -> new ArrayList<>()).add(t);
			}
			return groups;
		}

		@Override
		public String toString() {
			return this.id + " " + this.architecture + " " + this.config;
		}

	}

	/**
	 * One state_dict entry.
	 *
	 * @param name the state_dict key
	 * @param shape its shape ({@code []} for a scalar)
	 * @param dtype torch's name: {@code float32} or {@code int64}
	 * @param tiedTo the first key of its tie group, or null (then no values of its own)
	 * @param deterministic equal in two builds under different seeds; null when tied
	 * @param values the distinct values of a deterministic tensor (sorted), else null
	 * @param sample the library's values of a random tensor (float32, exact, as doubles),
	 * else null
	 * @param sampleStd the sample's unbiased std, NaN without a sample
	 * @param stats whole-tensor statistics of a random tensor, else null
	 * @param zeroRows rows (first index) of a random tensor that are entirely zero, left
	 * out of the sample (an embedding's padding row)
	 */
	public record FixtureTensor(String name, List<Long> shape, String dtype, String tiedTo, Boolean deterministic,
			double[] values, double[] sample, double sampleStd, Stats stats, List<Integer> zeroRows) {

		/** The number of elements. */
		public long numel() {
			return this.shape.stream().mapToLong(Long::longValue).reduce(1L, Math::multiplyExact);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof FixtureTensor t && this.name.equals(t.name) && this.shape.equals(t.shape)
					&& this.dtype.equals(t.dtype) && Objects.equals(this.tiedTo, t.tiedTo)
					&& Arrays.equals(this.values, t.values) && Arrays.equals(this.sample, t.sample);
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.name, this.shape, this.dtype, this.tiedTo);
		}

		@Override
		public String toString() {
			return this.name + this.shape + " " + this.dtype;
		}

	}

}
