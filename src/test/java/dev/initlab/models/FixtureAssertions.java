package dev.initlab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.init.Initializer;

import dev.initlab.models.ArchitectureFixtures.FixtureModel;
import dev.initlab.models.ArchitectureFixtures.FixtureTensor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every family's tests check the same way against {@link ArchitectureFixtures}: the
 * architecture built for a fixture model's config, and its state_dict (names in order,
 * shapes, dtypes, which keys are buffers, tie groups, parameter count, total numel)
 * against the library's.
 */
final class FixtureAssertions {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private FixtureAssertions() {
	}

	/** The fixture's config as a request's {@code config} map. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> config(JsonNode config) {
		return (Map<String, Object>) JSON.treeToValue(config, Map.class);
	}

	/** The registered architecture of a fixture model. */
	static Architecture architecture(FixtureModel m) {
		return Architectures.byName(m.architecture()).orElseThrow();
	}

	/** The architecture built for the fixture model's config. */
	static List<ModelTensor> build(FixtureModel m) {
		Architecture a = architecture(m);
		return a.build(ModelConfig.parse(a.config(), config(m.config())));
	}

	/** The tensors by name, in order. */
	static Map<String, ModelTensor> byName(List<ModelTensor> tensors) {
		Map<String, ModelTensor> map = new LinkedHashMap<>();
		tensors.forEach((t) -> map.put(t.name(), t));
		return map;
	}

	/**
	 * {@link #assertStateDictIsTheLibrarys(FixtureModel, List, Predicate)} without
	 * buffers.
	 */
	static void assertStateDictIsTheLibrarys(FixtureModel m, List<ModelTensor> built) {
		assertStateDictIsTheLibrarys(m, built, (name) -> false);
	}

	/**
	 * The state_dict is the library's: names in order; per key its shape, its dtype
	 * ({@code int64} exactly for int64 buffers), whether it is a buffer (as
	 * {@code buffer} says of the library's keys) and its {@code tied_to}; the tie groups
	 * (first key first, in the library's order, a tied key shaped as its first key); the
	 * parameter count with ties once; and the elements summed over all keys.
	 */
	static void assertStateDictIsTheLibrarys(FixtureModel m, List<ModelTensor> built, Predicate<String> buffer) {
		assertThat(built.stream().map(ModelTensor::name)).as("names in state_dict order")
			.containsExactlyElementsOf(m.names());
		Map<String, ModelTensor> named = byName(built);
		Map<String, List<String>> groups = new LinkedHashMap<>();
		for (int i = 0; i < built.size(); i++) {
			ModelTensor t = built.get(i);
			FixtureTensor f = m.tensors().get(i);
			assertThat(Arrays.stream(t.spec().shape()).mapToObj(Long::valueOf)).as(t.name() + " shape")
				.containsExactlyElementsOf(f.shape());
			assertThat((t.kind() == ModelTensor.Kind.INT64_BUFFER) ? "int64" : "float32").as(t.name() + " dtype")
				.isEqualTo(f.dtype());
			assertThat(t.kind().isBuffer()).as(t.name() + " is a buffer").isEqualTo(buffer.test(f.name()));
			assertThat(t.tiedTo()).as(t.name() + " tied_to").isEqualTo(f.tiedTo());
			if (t.tiedTo() != null) {
				groups.computeIfAbsent(t.tiedTo(), (k) -> new ArrayList<>(List.of(k))).add(t.name());
				assertThat(t.spec().shape()).as(t.name() + " shape of its first key")
					.isEqualTo(named.get(t.tiedTo()).spec().shape());
			}
		}
		assertThat(new ArrayList<>(groups.values())).as("tie groups").isEqualTo(m.tieGroups());
		long parameters = built.stream()
			.filter((t) -> t.tiedTo() == null && !t.kind().isBuffer())
			.mapToLong((t) -> t.spec().numel())
			.sum();
		assertThat(parameters).as("parameter count, ties once").isEqualTo(m.parameterCount());
		assertThat(built.stream().mapToLong((t) -> t.spec().numel()).sum()).as("state_dict numel")
			.isEqualTo(m.stateDictNumel());
	}

	/**
	 * Our draws and the library's samples of some tensors, each divided by the std the
	 * correct rule ({@code library_default}) gives its tensor: {@code [ours, library]}.
	 * @param rule the rule our draws follow (the correct one, or a deliberately wrong one
	 * for a negative control)
	 */
	static double[][] standardized(List<FixtureTensor> tensors, Map<String, ModelTensor> built,
			Function<ModelTensor, Initializer> rule, long seed, int draws) {
		List<Double> ours = new ArrayList<>();
		for (FixtureTensor t : tensors) {
			ModelTensor tensor = built.get(t.name());
			double std = ModelSamples.libraryDefault(tensor).expectedStd();
			for (double v : ModelSamples.draw(tensor, rule.apply(tensor), seed, draws)) {
				ours.add(v / std);
			}
		}
		double[] library = ArchitectureFixtures.pooledSample(tensors,
				(t) -> ModelSamples.libraryDefault(built.get(t.name())).expectedStd());
		return new double[][] { ours.stream().mapToDouble(Double::doubleValue).toArray(), library };
	}

	/**
	 * Every sampled group of the fixture model: our {@code library_default} draws and the
	 * library's samples, standardized, agree by KS
	 * ({@link ArchitectureFixtures#assertSameDistribution}).
	 * @return how many groups were compared
	 */
	static int assertRandomGroupsMatchTheLibrary(FixtureModel m, long seed, int draws) {
		Map<String, ModelTensor> built = byName(build(m));
		int compared = 0;
		for (Map.Entry<String, List<FixtureTensor>> group : m.groups().entrySet()) {
			List<FixtureTensor> sampled = group.getValue().stream().filter((t) -> t.sample() != null).toList();
			if (sampled.isEmpty()) {
				continue;
			}
			double[][] pair = standardized(sampled, built, ModelSamples::libraryDefault, seed, draws);
			ArchitectureFixtures.assertSameDistribution(m.id() + " " + group.getKey(), pair[0], pair[1]);
			compared++;
		}
		return compared;
	}

}
