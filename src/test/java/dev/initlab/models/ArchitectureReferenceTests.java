package dev.initlab.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.initlab.init.NameGlob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each architecture's state_dict against the one its library built for the same config
 * ({@code src/test/resources/reference/architectures/gpt.json}, written by
 * {@code make_gpt.py} beside it from transformers and a nanoGPT checkout): names, order,
 * shapes, dtypes, tie groups and {@code num_parameters()} exactly. Nothing here is
 * statistical; the values are checked in {@code ModelInitReferenceTests}.
 */
class ArchitectureReferenceTests {

	static Stream<GptFixtures.Case> cases() {
		return GptFixtures.cases("gpt.json").stream();
	}

	@Test
	void fixtureCoversTheArchitecturesAtTwoConfigsEach() {
		Map<String, Long> counts = new LinkedHashMap<>();
		cases().forEach(c -> counts.merge(c.architecture(), 1L, Long::sum));
		assertThat(counts).containsEntry("transformers/GPT2LMHeadModel", 2L).containsEntry("nanogpt/GPT", 2L);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void stateDictIsTheLibrarys(GptFixtures.Case c) {
		List<ModelTensor> ours = build(c);

		assertThat(ours).extracting(ModelTensor::name)
			.containsExactlyElementsOf(c.stateDict().stream().map(GptFixtures.Entry::name).toList());
		for (int i = 0; i < ours.size(); i++) {
			ModelTensor t = ours.get(i);
			GptFixtures.Entry e = c.stateDict().get(i);
			assertThat(t.spec().shape()).as("%s shape", e.name()).containsExactly(e.shape());
			String dtype = (t.kind() == ModelTensor.Kind.INT64_BUFFER) ? "int64" : "float32";
			assertThat(dtype).as("%s dtype", e.name()).isEqualTo(e.dtype());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void tieGroupsAndParameterCountAreTheLibrarys(GptFixtures.Case c) {
		List<ModelTensor> ours = build(c);
		Map<String, List<String>> groups = new LinkedHashMap<>();
		for (ModelTensor t : ours) {
			if (t.tiedTo() != null) {
				groups.computeIfAbsent(t.tiedTo(), k -> new ArrayList<>(List.of(k))).add(t.name());
				assertThat(t.spec().shape()).isEqualTo(ours.stream()
					.filter(o -> o.name().equals(t.tiedTo()))
					.findFirst()
					.orElseThrow()
					.spec()
					.shape());
			}
		}
		assertThat(new ArrayList<>(groups.values())).containsExactlyInAnyOrderElementsOf(c.tieGroups());
		long parameters = ours.stream()
			.filter(t -> !t.kind().isBuffer() && t.tiedTo() == null)
			.mapToLong(t -> t.spec().numel())
			.sum();
		assertThat(parameters).isEqualTo(c.numParameters());
	}

	/**
	 * The catalog's rules are the ones the tensors carry: every tensor's library rule is
	 * listed under a glob that matches it, and every listed rule matches a tensor of some
	 * fixture config.
	 */
	@Test
	void rulesDescribeTheTensors() {
		for (Architectures a : new Architectures[] { Architectures.GPT2_LM_HEAD_MODEL, Architectures.NANOGPT_GPT }) {
			Architecture arch = a.architecture();
			List<ModelTensor> all = new ArrayList<>();
			cases().filter(c -> c.architecture().equals(arch.name())).forEach(c -> all.addAll(build(c)));
			List<String> texts = arch.rules().stream().map(Rule::rule).toList();
			for (ModelTensor t : all) {
				if (t.tiedTo() != null) {
					// a later key of a tie group carries its first key's rule (and says
					// so)
					continue;
				}
				assertThat(texts).as("rule of %s", t.name()).contains(t.libraryDefault().rule());
				assertThat(arch.rules()
					.stream()
					.anyMatch(r -> NameGlob.of(r.match()).matches(t.name())
							&& r.rule().equals(t.libraryDefault().rule())))
					.as("a catalog rule for %s says '%s'", t.name(), t.libraryDefault().rule())
					.isTrue();
			}
			for (Rule r : arch.rules()) {
				assertThat(all.stream().anyMatch(t -> NameGlob.of(r.match()).matches(t.name())))
					.as("rule %s matches a tensor", r.match())
					.isTrue();
			}
		}
	}

	@Test
	void depthScalingIsTheLibrarysStd() {
		List<ModelTensor> gpt2 = Model
			.of(Architectures.GPT2_LM_HEAD_MODEL.architecture(), Map.of("n_layer", 8, "n_embd", 32, "n_head", 4))
			.build();
		ModelTensor proj = gpt2.stream()
			.filter(t -> t.name().equals("transformer.h.3.mlp.c_proj.weight"))
			.findFirst()
			.orElseThrow();
		// initializer_range / sqrt(2 * n_layer) = 0.02 / 4
		assertThat(proj.libraryDefault().init().params()).containsEntry("std", 0.005);
		assertThat(proj.spec().shape()).containsExactly(128, 32);
		// Conv1D [in, out]: fans of the map in -> out, not PyTorch's rule on the raw
		// shape
		assertThat(proj.spec().fans()).isEqualTo(new dev.initlab.init.Fans(128, 32));
		assertThat(proj.pytorchDefault().init().params()).containsEntry("std", 0.02);
	}

	@Test
	void configsTheLibraryWouldRefuseNameTheField() {
		Architecture gpt2 = Architectures.GPT2_LM_HEAD_MODEL.architecture();
		assertThatThrownBy(() -> Model.of(gpt2, Map.of("n_embd", 100, "n_head", 3)).build()).isInstanceOfSatisfying(
				InvalidConfigException.class,
				ex -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
					.containsExactly("n_head"));
		assertThatThrownBy(() -> Model.of(gpt2, Map.of("n_embd", 0, "vocab_size", -1)).build()).isInstanceOfSatisfying(
				InvalidConfigException.class,
				ex -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
					.containsExactly("vocab_size", "n_embd"));
		assertThatThrownBy(() -> Model.of(gpt2, Map.of("hidden_sizes", 3)))
			.isInstanceOfSatisfying(InvalidConfigException.class, ex -> {
				assertThat(ex.problems().get(0).field()).isEqualTo("hidden_sizes");
				assertThat(ex.problems().get(0).message()).contains("allowed: vocab_size, n_positions, n_embd");
			});
		assertThatThrownBy(() -> Model.of(gpt2, Map.of("n_layer", 2.5, "tie_word_embeddings", "yes")))
			.isInstanceOfSatisfying(InvalidConfigException.class,
					ex -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
						.containsExactly("n_layer", "tie_word_embeddings"));
		assertThatThrownBy(() -> Model.of(gpt2, Map.of("n_embd", 5_000_000_000L)))
			.isInstanceOf(InvalidConfigException.class)
			.hasMessageContaining("n_embd");
		// fields that do not change the parameters are accepted and ignored
		Map<String, Object> ignored = new LinkedHashMap<>();
		ignored.put("resid_pdrop", 0.0);
		ignored.put("layer_norm_epsilon", 1e-6);
		ignored.put("activation_function", "relu");
		ignored.put("pad_token_id", null);
		assertThat(Model.of(gpt2, ignored).build()).hasSameSizeAs(Model.of(gpt2, Map.of()).build());
		Architecture nano = Architectures.NANOGPT_GPT.architecture();
		assertThatThrownBy(() -> Model.of(nano, Map.of("n_embd", 64, "n_head", 5)).build())
			.isInstanceOf(InvalidConfigException.class)
			.hasMessageContaining("n_head");
	}

	@Test
	void registryNamesAreUniqueLibraryNames() {
		assertThat(Architectures.names()).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z_]+/[A-Za-z0-9_]+"));
		for (Architecture a : Architectures.all()) {
			assertThat(a.name()).startsWith(a.library() + "/");
			assertThat(Architectures.byName(a.name())).containsSame(a);
		}
		assertThat(Architectures.byName("transformers/gpt2lmheadmodel")).isEmpty();
	}

	static List<ModelTensor> build(GptFixtures.Case c) {
		Architecture arch = Architectures.byName(c.architecture()).orElseThrow();
		return Model.of(arch, c.config()).build();
	}

}
