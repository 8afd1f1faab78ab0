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
import dev.initlab.models.ArchitectureFixtures.FixtureModel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * GPT-2 and nanoGPT against the state_dicts their libraries built for the same configs
 * ({@link ArchitectureFixtures} families {@code gpt2} and {@code nanogpt}, written by
 * {@code make_architectures.py} from transformers and a nanoGPT checkout): names, order,
 * shapes, dtypes, tie groups and {@code num_parameters()} exactly. Nothing here is
 * statistical; the values are checked in {@code ModelInitReferenceTests}.
 */
class ArchitectureReferenceTests {

	static Stream<FixtureModel> models() {
		return Stream.of("gpt2", "nanogpt").flatMap((f) -> ArchitectureFixtures.family(f).stream());
	}

	@Test
	void fixturesCoverTheArchitecturesAtTwoConfigsOrMore() {
		Map<String, Long> counts = new LinkedHashMap<>();
		models().forEach((m) -> counts.merge(m.architecture(), 1L, Long::sum));
		assertThat(counts).containsOnlyKeys("transformers/GPT2LMHeadModel", "nanogpt/GPT");
		assertThat(counts.values()).allMatch((n) -> n >= 2);
		// GPT-2 untied and with cross-attention, and nanoGPT without biases
		assertThat(models()).anyMatch((m) -> m.config().path("add_cross_attention").asBoolean(false)
				&& !m.config().path("tie_word_embeddings").asBoolean(true));
		assertThat(models())
			.anyMatch((m) -> m.architecture().equals("nanogpt/GPT") && !m.config().path("bias").asBoolean(true));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void stateDictTiesAndParameterCountAreTheLibrarys(FixtureModel m) {
		FixtureAssertions.assertStateDictIsTheLibrarys(m, build(m));
	}

	/** nanoGPT's dropout changes no parameter: the library's state_dict all the same. */
	@Test
	void nanoGptDropoutIsAcceptedAndChangesNoParameter() {
		for (FixtureModel m : ArchitectureFixtures.family("nanogpt")) {
			Map<String, Object> config = new LinkedHashMap<>(FixtureAssertions.config(m.config()));
			config.put("dropout", 0.1);
			FixtureAssertions.assertStateDictIsTheLibrarys(m,
					Model.of(Architectures.NANOGPT_GPT.architecture(), config).build());
		}
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
			models().filter((m) -> m.architecture().equals(arch.name())).forEach((m) -> all.addAll(build(m)));
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

	/** Built through {@link Model#of}, the path a request takes. */
	static List<ModelTensor> build(FixtureModel m) {
		return Model.of(FixtureAssertions.architecture(m), FixtureAssertions.config(m.config())).build();
	}

}
