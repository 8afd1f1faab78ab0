package dev.initlab.checkpoints;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.TensorFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files of a checkpoint against what transformers 5.18.0's {@code save_pretrained}
 * writes for the same GPT-2 config ({@code reference/checkpoints/gpt2_save_pretrained.py}
 * and its output): the file names, which tensors go in which shard, each safetensors
 * header byte for byte (so also the tensors' order and offsets, and every file's size),
 * and the index file byte for byte. The values are the service's own; they equal what
 * {@code /initializations?format=safetensors} gives for the same request.
 */
class CheckpointFilesTests {

	static final JsonNode FIXTURE = fixture();

	static final String GPT2 = """
			{"seed": 5, "model": {"architecture": "transformers/GPT2LMHeadModel",
			 "config": {"n_layer": 2, "n_embd": 64, "n_head": 4, "vocab_size": 1000, "n_positions": 128}}}""";

	@ParameterizedTest
	@ValueSource(strings = { "5GB", "300KB", "100KB" })
	void filesAreThoseOfSavePretrained(String maxShardSize) throws IOException {
		JsonNode expected = FIXTURE.get("cases").get(maxShardSize);
		CheckpointFiles files = CheckpointFiles.of(Requests.plan(GPT2), ShardSize.parse(maxShardSize), null);

		List<String> shards = new ArrayList<>();
		expected.get("files").properties().forEach(e -> shards.add(e.getKey()));
		boolean sharded = !expected.get("index").isNull();
		List<String> names = new ArrayList<>(shards);
		if (sharded) {
			names.add(CheckpointFiles.INDEX);
		}
		assertThat(files.names()).isEqualTo(names);
		for (String name : shards) {
			SafetensorsShard shard = (SafetensorsShard) files.find(name).orElseThrow();
			byte[] header = shard.header();
			assertThat(new String(header, 8, header.length - 8, StandardCharsets.UTF_8)).as(name)
				.isEqualTo(expected.get("files").get(name).get("header").asString());
			assertThat(shard.size()).as(name).isEqualTo(expected.get("files").get(name).get("size").asLong());
		}
		if (sharded) {
			assertThat(files.index()).isEqualTo(CheckpointFiles.INDEX);
			assertThat(new String(bytes(files.find(CheckpointFiles.INDEX).orElseThrow()), StandardCharsets.UTF_8))
				.isEqualTo(expected.get("index").asString());
		}
		else {
			assertThat(files.index()).isNull();
		}
	}

	@Test
	void aTensorLargerThanTheShardSizeGetsAShardOfItsOwnBeforeTheOneBeingFilled() {
		// the fixture's 100KB case has it too (wte, 256000 bytes, is shard 1); here the
		// large tensor comes after small ones, which stay together in the shard after it
		// (bytes: a 40, big 400, b 40, c 24)
		Plan plan = Requests
			.plan("""
					{"seed": 1, "init": {"bias": {"scheme": "zeros"}}, "layers": [{"name": "a", "type": "tensor", "shape": [10], "role": "bias"},
					  {"name": "big", "type": "tensor", "shape": [100], "role": "bias"},
					  {"name": "b", "type": "tensor", "shape": [10], "role": "bias"},
					  {"name": "c", "type": "tensor", "shape": [6], "role": "bias"}]}""");
		assertThat(CheckpointFiles.split(plan, 100)).containsExactly(List.of(1), List.of(0, 2), List.of(3));
		// exactly the limit fits
		assertThat(CheckpointFiles.split(plan, 400)).containsExactly(List.of(0), List.of(1), List.of(2, 3));
		assertThat(CheckpointFiles.split(plan, 500)).containsExactly(List.of(0, 1, 2), List.of(3));
	}

	@Test
	void theValuesAreThoseOfInitializationsAndTiedDuplicatesAreLeftOut() throws IOException {
		Plan plan = Requests.plan(GPT2);
		Map<String, byte[]> checkpoint = new LinkedHashMap<>();
		CheckpointFiles files = CheckpointFiles.of(plan, ShardSize.parse("100KB"), null);
		for (CheckpointFile f : files.files()) {
			if (f instanceof SafetensorsShard) {
				checkpoint.putAll(tensors(bytes(f)));
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		new TensorFile(plan, OutputFormat.SAFETENSORS).writeTo(out);
		Map<String, byte[]> plain = tensors(out.toByteArray());
		assertThat(plain).containsKey("lm_head.weight");
		plain.remove("lm_head.weight");
		assertThat(checkpoint.keySet()).containsExactlyInAnyOrderElementsOf(plain.keySet());
		plain.forEach((name, data) -> assertThat(checkpoint.get(name)).as(name).isEqualTo(data));
		// the index counts each parameter once and the bytes saved
		JsonNode index = JsonMapper.builder().build().readTree(bytes(files.find(CheckpointFiles.INDEX).orElseThrow()));
		long saved = checkpoint.values().stream().mapToLong(b -> b.length).sum();
		assertThat(index.get("metadata").get("total_size").asLong()).isEqualTo(saved);
		assertThat(index.get("metadata").get("total_parameters").asLong()).isEqualTo(plan.parameterCount())
			.isEqualTo(saved / 4);
	}

	@Test
	void theIndexEscapesAsPythonsJsonDoes() {
		byte[] index = CheckpointFiles.index(3, 12, Map.of("a\"b\\c\u00e9\u0001", "f"));
		assertThat(new String(index, StandardCharsets.US_ASCII)).contains("\"a\\\"b\\\\c\\u00e9\\u0001\": \"f\"");
	}

	/** Tensor name to its data bytes, from a safetensors file. */
	static Map<String, byte[]> tensors(byte[] file) {
		long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
		JsonNode header = JsonMapper.builder().build().readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
		Map<String, byte[]> out = new LinkedHashMap<>();
		header.properties().forEach(e -> {
			if (!e.getKey().equals("__metadata__")) {
				JsonNode offsets = e.getValue().get("data_offsets");
				out.put(e.getKey(), Arrays.copyOfRange(file, (int) (8 + n + offsets.get(0).asLong()),
						(int) (8 + n + offsets.get(1).asLong())));
			}
		});
		return out;
	}

	static byte[] bytes(CheckpointFile file) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		file.write(0, file.size(), out);
		assertThat(out.size()).isEqualTo(file.size());
		return out.toByteArray();
	}

	private static JsonNode fixture() {
		try (InputStream in = CheckpointFilesTests.class
			.getResourceAsStream("/reference/checkpoints/gpt2_save_pretrained.json")) {
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
