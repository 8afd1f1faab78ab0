package dev.initlab.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link HfConfig} against what transformers 5.18.0's {@code save_pretrained} wrote for
 * the same configs ({@code src/test/resources/reference/checkpoints/hf/}, made by
 * {@code make_hf.py} there): the same bytes, and the tensors save_pretrained kept are the
 * state_dict's keys that are not later members of a tie group.
 */
class HfConfigTests {

	static final Path DIR = Path.of("src/test/resources/reference/checkpoints/hf");

	record Case(String name, String architecture, Map<String, Object> config, String dtype, List<String> savedKeys) {

		@Override
		public String toString() {
			return this.name;
		}

		Model model() {
			return Model.of(Architectures.byName(this.architecture).orElseThrow(), this.config);
		}

		String expected() throws IOException {
			return Files.readString(DIR.resolve(this.name).resolve("config.json"), StandardCharsets.UTF_8);
		}

	}

	@SuppressWarnings("unchecked")
	static List<Case> cases() throws IOException {
		Map<String, Object> file = JsonMapper.builder()
			.build()
			.readValue(DIR.resolve("cases.json").toFile(), Map.class);
		return ((List<Map<String, Object>>) file.get("cases")).stream()
			.map((c) -> new Case((String) c.get("name"), (String) c.get("architecture"),
					(Map<String, Object>) c.get("config"), (String) c.get("dtype"), (List<String>) c.get("saved_keys")))
			.toList();
	}

	@ParameterizedTest
	@MethodSource("cases")
	void configJsonIsWhatSavePretrainedWrites(Case c) throws IOException {
		String json = new String(HfConfig.json(c.model(), c.dtype()), StandardCharsets.UTF_8);
		assertThat(json).isEqualTo(c.expected());
	}

	@ParameterizedTest
	@MethodSource("cases")
	void savePretrainedKeepsTheFirstKeyOfEachTieGroup(Case c) {
		if (c.savedKeys() == null) {
			return; // a config-only case (library-default sizes): no model was saved
		}
		List<String> kept = c.model()
			.build()
			.stream()
			.filter((t) -> t.tiedTo() == null)
			.map(ModelTensor::name)
			.sorted()
			.toList();
		assertThat(kept).isEqualTo(c.savedKeys());
	}

	@Test
	void aChangedConfigOrDtypeIsNoLongerTheFixture() throws IOException {
		// negative control: the comparison above notices one changed field or the dtype
		Case small = cases().stream().filter((c) -> c.name().equals("gpt2_small")).findFirst().orElseThrow();
		Map<String, Object> deeper = new LinkedHashMap<>(small.config());
		deeper.put("n_layer", 3);
		Model changed = Model.of(Architectures.GPT2_LM_HEAD_MODEL.architecture(), deeper);
		String json = new String(HfConfig.json(changed, "float32"), StandardCharsets.UTF_8);
		assertThat(json).isNotEqualTo(small.expected());
		assertThat(json.replace("\"n_layer\": 3,", "\"n_layer\": 2,")).isEqualTo(small.expected());
		assertThat(new String(HfConfig.json(small.model(), "float16"), StandardCharsets.UTF_8))
			.isNotEqualTo(small.expected());
	}

	@Test
	void onlyTransformersArchitecturesHaveAConfig() {
		assertThat(HfConfig.architectures()).containsExactly("transformers/GPT2LMHeadModel",
				"transformers/LlamaForCausalLM", "transformers/BertModel", "transformers/BertForMaskedLM",
				"transformers/T5ForConditionalGeneration");
		Model nanoGpt = Model.of(Architectures.NANOGPT_GPT.architecture(), null);
		assertThatIllegalArgumentException().isThrownBy(() -> HfConfig.json(nanoGpt, "float32"))
			.withMessageContaining("nanogpt/GPT has no config.json")
			.withMessageContaining("transformers/LlamaForCausalLM");
	}

	@Test
	void floatsAreWrittenAsPythonsRepr() {
		// each expected string is Python 3.11's repr() of the same double
		assertThat(HfConfig.pythonFloat(1e-5)).isEqualTo("1e-05");
		assertThat(HfConfig.pythonFloat(1e-6)).isEqualTo("1e-06");
		assertThat(HfConfig.pythonFloat(0.1)).isEqualTo("0.1");
		assertThat(HfConfig.pythonFloat(10000.0)).isEqualTo("10000.0");
		assertThat(HfConfig.pythonFloat(1e16)).isEqualTo("1e+16");
		assertThat(HfConfig.pythonFloat(1e15)).isEqualTo("1000000000000000.0");
		assertThat(HfConfig.pythonFloat(0.0001)).isEqualTo("0.0001");
		assertThat(HfConfig.pythonFloat(0.00012345)).isEqualTo("0.00012345");
		assertThat(HfConfig.pythonFloat(2e-3)).isEqualTo("0.002");
		// Java 17's Double.toString gives 2.0000000000000002E23 here; Python the shortest
		assertThat(HfConfig.pythonFloat(2e23)).isEqualTo("2e+23");
		assertThat(HfConfig.pythonFloat(Double.MIN_VALUE)).isEqualTo("5e-324");
		assertThat(HfConfig.pythonFloat(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
		assertThat(HfConfig.pythonFloat(-2.5)).isEqualTo("-2.5");
		assertThat(HfConfig.pythonFloat(123456789012345.67)).isEqualTo("123456789012345.67");
		assertThat(HfConfig.pythonFloat(2.0 / 3)).isEqualTo("0.6666666666666666");
		assertThat(HfConfig.pythonFloat(0.0)).isEqualTo("0.0");
		assertThat(HfConfig.pythonFloat(-0.0)).isEqualTo("-0.0");
		// json.dumps(float("inf")) and friends: an "any" field may hold 1e999
		assertThat(HfConfig.pythonFloat(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
		assertThat(HfConfig.pythonFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
		assertThat(HfConfig.pythonFloat(Double.NaN)).isEqualTo("NaN");
	}

}
