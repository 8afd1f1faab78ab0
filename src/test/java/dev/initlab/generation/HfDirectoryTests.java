package dev.initlab.generation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.layers.Layout;
import dev.initlab.layers.Linear;
import dev.initlab.models.Architectures;
import dev.initlab.models.HfConfig;
import dev.initlab.models.Model;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code ?format=hf}: a plan of a transformers model as one tar of its Hugging Face
 * directory. The tar is read back here with a minimal ustar reader; that the real library
 * loads it is {@code clients/python/tests/test_hf_directory.py}'s part.
 */
class HfDirectoryTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	final Planner planner = new Planner(new GenerationLimits(1 << 28, 1 << 22, 4096, 1 << 24));

	static final Map<String, Object> GPT2 = Map.of("n_layer", 2, "n_embd", 8, "n_head", 2, "vocab_size", 30,
			"n_positions", 4);

	static final Map<String, Object> BERT = Map.of("num_hidden_layers", 1, "hidden_size", 8, "num_attention_heads", 2,
			"intermediate_size", 12, "vocab_size", 20, "max_position_embeddings", 6);

	static final Map<String, Object> T5 = Map.of("num_layers", 1, "d_model", 8, "d_kv", 4, "d_ff", 12, "num_heads", 2,
			"vocab_size", 20);

	Plan plan(Architectures architecture, Map<String, Object> config, Seeding seeding, DType dtype,
			OutputFormat format) {
		Model model = Model.of(architecture.architecture(), config);
		return this.planner.plan(new Blueprint(7L, Generator.DEFAULT, dtype, Layout.PYTORCH, seeding, null, List.of(),
				model, List.of(), false, true), format, null);
	}

	static byte[] bytes(TensorFile file) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		file.writeTo(out);
		return out.toByteArray();
	}

	/** The regular files of a ustar archive, by name, in order. */
	static Map<String, byte[]> untar(byte[] tar) {
		Map<String, byte[]> files = new LinkedHashMap<>();
		int at = 0;
		while (at + 512 <= tar.length && tar[at] != 0) {
			String name = new String(tar, at, 100, StandardCharsets.UTF_8).replaceAll("\0.*", "");
			long size = Long.parseLong(new String(tar, at + 124, 11, StandardCharsets.US_ASCII), 8);
			assertThat(tar[at + 156]).as("type of %s", name).isEqualTo((byte) '0');
			assertThat(new String(tar, at + 257, 6, StandardCharsets.US_ASCII)).isEqualTo("ustar\0");
			files.put(name, Arrays.copyOfRange(tar, at + 512, at + 512 + (int) size));
			at += 512 + (int) ((size + 511) / 512 * 512);
		}
		assertThat(tar.length - at).as("two zero blocks end the archive").isEqualTo(1024);
		assertThat(Arrays.copyOfRange(tar, at, tar.length)).containsOnly((byte) 0);
		return files;
	}

	/** The tensors of a safetensors file: name to its bytes, and the metadata. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> header(byte[] file) {
		long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
		return JSON.readValue(new String(file, 8, (int) n, StandardCharsets.UTF_8), LinkedHashMap.class);
	}

	@SuppressWarnings("unchecked")
	static Map<String, byte[]> tensors(byte[] file) {
		long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
		Map<String, byte[]> out = new LinkedHashMap<>();
		header(file).forEach((name, entry) -> {
			if (!name.equals("__metadata__")) {
				List<Number> offsets = (List<Number>) ((Map<String, Object>) entry).get("data_offsets");
				out.put(name, Arrays.copyOfRange(file, (int) (8 + n + offsets.get(0).longValue()),
						(int) (8 + n + offsets.get(1).longValue())));
			}
		});
		return out;
	}

	@ParameterizedTest
	@CsvSource({ "GPT2_LM_HEAD_MODEL, PER_TENSOR, FLOAT32, lm_head.weight",
			"GPT2_LM_HEAD_MODEL, SEQUENTIAL, BFLOAT16, lm_head.weight",
			"BERT_FOR_MASKED_LM, PER_TENSOR, FLOAT32, cls.predictions.decoder.weight cls.predictions.decoder.bias",
			"T5_FOR_CONDITIONAL_GENERATION, SEQUENTIAL, FLOAT16, encoder.embed_tokens.weight decoder.embed_tokens.weight lm_head.weight" })
	void theTarHoldsConfigAndWeightsWithoutTiedDuplicates(Architectures architecture, Seeding seeding, DType dtype,
			String leftOut) throws IOException {
		Map<String, Object> config = switch (architecture) {
			case GPT2_LM_HEAD_MODEL -> GPT2;
			case BERT_FOR_MASKED_LM -> BERT;
			default -> T5;
		};
		Plan hf = plan(architecture, config, seeding, dtype, OutputFormat.HF);
		TensorFile file = new TensorFile(hf, OutputFormat.HF);
		byte[] tar = bytes(file);
		assertThat(file.contentLength()).isEqualTo(tar.length);
		assertThat(file.fileName()).isEqualTo("initlab-7.tar");
		Map<String, byte[]> files = untar(tar);
		assertThat(files.keySet()).containsExactly("config.json", "model.safetensors");
		assertThat(files.get("config.json")).isEqualTo(HfConfig.json(hf.model(), dtype.wireName()));
		assertThat(new String(files.get("config.json"), StandardCharsets.UTF_8))
			.contains("\"dtype\": \"" + dtype.wireName() + "\"");
		byte[] weights = files.get("model.safetensors");
		assertThat(header(weights).get("__metadata__")).isEqualTo(Map.of("format", "pt"));
		// the values are those of the plain safetensors response, which holds every key
		Plan all = plan(architecture, config, seeding, dtype, OutputFormat.SAFETENSORS);
		Map<String, byte[]> everything = tensors(bytes(new TensorFile(all, OutputFormat.SAFETENSORS)));
		Map<String, byte[]> saved = tensors(weights);
		List<String> expectedNames = everything.keySet()
			.stream()
			.filter((name) -> !List.of(leftOut.split(" ")).contains(name))
			.toList();
		assertThat(saved.keySet()).containsExactlyElementsOf(expectedNames);
		saved.forEach((name, value) -> assertThat(value).as(name).isEqualTo(everything.get(name)));
	}

	@Test
	void theDirectoryListsItsFilesWithTheirSizes() {
		Plan hf = plan(Architectures.GPT2_LM_HEAD_MODEL, GPT2, Seeding.PER_TENSOR, DType.FLOAT32, OutputFormat.HF);
		HfDirectory directory = new HfDirectory(hf, null);
		assertThat(directory.files()).extracting((f) -> f.name()).containsExactly("config.json", "model.safetensors");
		assertThat(directory.saved()).hasSize(hf.tensors().size() - 1).doesNotContain(hf.tensors().size() - 1);
		long data = directory.saved().stream().mapToLong((i) -> hf.tensors().get(i).spec().numel() * 4).sum();
		assertThat(directory.files().get(1).size()).isGreaterThan(data).isLessThan(data + 8 + 4096);
		// a shard: some of the saved tensors, in order
		assertThat(directory.weights("model-00001-of-00002.safetensors", directory.saved().subList(0, 3)).size())
			.isLessThan(directory.files().get(1).size());
		// without a transformers model: the weights alone (what a checkpoint of layers
		// serves)
		Blueprint layers = new Blueprint(7L, Generator.DEFAULT, DType.FLOAT32, Layout.PYTORCH, Seeding.PER_TENSOR, null,
				List.of(new Linear("fc", "linear", 2, 3, true, null, null)), false, true);
		HfDirectory weightsOnly = new HfDirectory(this.planner.plan(layers, OutputFormat.SAFETENSORS, null), null);
		assertThat(weightsOnly.hasConfig()).isFalse();
		assertThat(weightsOnly.files()).extracting((f) -> f.name()).containsExactly("model.safetensors");
		// length prefix, the 157-byte header JSON padded to 160, 9 float32 values
		assertThat(weightsOnly.files().get(0).size()).isEqualTo(8 + 160 + 9 * 4);
	}

	@Test
	void layersOtherArchitecturesAndOneTensorAreRefusedNamingWhatIsAllowed() {
		Blueprint layers = new Blueprint(7L, Generator.DEFAULT, DType.FLOAT32, Layout.PYTORCH, Seeding.PER_TENSOR, null,
				List.of(new Linear("fc", "linear", 2, 3, true, null, null)), false, true);
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> this.planner.plan(layers, OutputFormat.HF, null))
			.satisfies((ex) -> assertThat(ex.getBody().getDetail()).startsWith("format: format hf is a Hugging Face")
				.contains("transformers/GPT2LMHeadModel, transformers/LlamaForCausalLM")
				.contains("ask for format safetensors"));
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> plan(Architectures.NANOGPT_GPT,
					Map.of("n_layer", 1, "n_embd", 8, "n_head", 2, "vocab_size", 10, "block_size", 4),
					Seeding.PER_TENSOR, DType.FLOAT32, OutputFormat.HF))
			.satisfies((ex) -> assertThat(ex.getBody().getDetail()).startsWith("model.architecture: format hf")
				.contains("transformers/T5ForConditionalGeneration")
				.contains("format safetensors for nanogpt/GPT"));
		Model gpt2 = Model.of(Architectures.GPT2_LM_HEAD_MODEL.architecture(), GPT2);
		Blueprint one = new Blueprint(7L, Generator.DEFAULT, DType.FLOAT32, Layout.PYTORCH, Seeding.PER_TENSOR, null,
				List.of(), gpt2, List.of(), false, true);
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> this.planner.plan(one, OutputFormat.HF, "transformer.wte.weight"))
			.satisfies(
					(ex) -> assertThat(ex.getBody().getDetail()).startsWith("tensor: format hf holds the whole model"));
	}

}
