package dev.initlab.checkpoints;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.problems.InvalidRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The id: the canonical request, deflated, base64url, with an integrity check.
 */
class CheckpointIdTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String REQUEST = """
			{"seed": 3, "dtype": "bfloat16", "max_shard_size": 100000,
			 "init": {"weight": {"scheme": "normal", "std": 0.02}},
			 "layers": [{"name": "fc", "type": "linear", "in_features": 4, "out_features": 2, "bias": false}]}""";

	@Test
	void anIdHoldsTheCanonicalRequest() {
		JsonNode canonical = CheckpointId.canonical(JSON.readTree(REQUEST));
		String id = CheckpointId.encode(canonical);
		assertThat(id).matches("[A-Za-z0-9_-]+");
		assertThat(CheckpointId.decode(id, 1 << 20)).isEqualTo(canonical);
		assertThat(JSON.writeValueAsString(canonical)).isEqualTo("{\"dtype\":\"bfloat16\",\"init\":{\"weight\":"
				+ "{\"scheme\":\"normal\",\"std\":0.02}},\"layers\":[{\"bias\":false,\"in_features\":4,\"name\":\"fc\","
				+ "\"out_features\":2,\"type\":\"linear\"}],\"max_shard_size\":100000,\"seed\":3}");
	}

	@Test
	void theSameRequestWrittenAnotherWayHasTheSameId() {
		String other = """
				{"layers":[{"bias":false,"out_features":2,"type":"linear","name":"fc","in_features":4}],
				 "init": {"weight": {"std": 2.0e-2, "scheme": "normal"}},
				 "max_shard_size": 100000, "dtype": "bfloat16",      "seed": 3}""";
		assertThat(CheckpointId.encode(CheckpointId.canonical(JSON.readTree(other))))
			.isEqualTo(CheckpointId.encode(CheckpointId.canonical(JSON.readTree(REQUEST))));
		// and another request has another id
		assertThat(CheckpointId
			.encode(CheckpointId.canonical(JSON.readTree(REQUEST.replace("\"seed\": 3", "\"seed\": 4")))))
			.isNotEqualTo(CheckpointId.encode(CheckpointId.canonical(JSON.readTree(REQUEST))));
	}

	@Test
	void changingAnyCharacterOfAnIdIsAnInvalidId() {
		String id = CheckpointId.encode(CheckpointId.canonical(JSON.readTree(REQUEST)));
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		int tried = 0;
		for (int i = 0; i < id.length(); i++) {
			for (int step : new int[] { 1, 17, 32 }) {
				char replacement = alphabet.charAt((alphabet.indexOf(id.charAt(i)) + step) % 64);
				String tampered = id.substring(0, i) + replacement + id.substring(i + 1);
				assertThatExceptionOfType(InvalidRequestException.class).as("char %d", i)
					.isThrownBy(() -> CheckpointId.decode(tampered, 1 << 20))
					.satisfies(ex -> assertThat(ex.getBody().getDetail()).startsWith("id: invalid checkpoint id"));
				tried++;
			}
		}
		assertThat(tried).isEqualTo(3 * id.length());
		// cut short, lengthened, padded, not base64
		for (String bad : new String[] { id.substring(0, id.length() - 1), id + "A", id + "==", id.replace('A', '+'),
				"", "AQ" }) {
			assertThatExceptionOfType(InvalidRequestException.class).as(bad)
				.isThrownBy(() -> CheckpointId.decode(bad, 1 << 20));
		}
	}

	@Test
	void anotherVersionOrAnInflatedSizeOverTheCapIsInvalid() {
		String id = CheckpointId.encode(CheckpointId.canonical(JSON.readTree(REQUEST)));
		byte[] token = Base64.getUrlDecoder().decode(id);
		token[0] = 2;
		String other = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> CheckpointId.decode(other, 1 << 20))
			.satisfies(ex -> assertThat(ex.getBody().getDetail()).contains("version 2"));
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> CheckpointId.decode(id, 50))
			.satisfies(ex -> assertThat(ex.getBody().getDetail()).contains("larger than 50 bytes"));
	}

	@Test
	void maxShardSizeReadsAsHuggingFaceDoes() {
		assertThat(ShardSize.parse("5GB")).isEqualTo(5_000_000_000L);
		assertThat(ShardSize.parse("500MB")).isEqualTo(500_000_000L);
		assertThat(ShardSize.parse("100KB")).isEqualTo(100_000L);
		assertThat(ShardSize.parse(" 1.5gb ")).isEqualTo(1_500_000_000L);
		assertThat(ShardSize.parse("2TB")).isEqualTo(2_000_000_000_000L);
		assertThat(ShardSize.parse("12345")).isEqualTo(12345L);
		assertThat(ShardSize.parse(JSON.readTree("12345"))).isEqualTo(12345L);
		assertThat(ShardSize.parse((JsonNode) null)).isEqualTo(5_000_000_000L);
		for (String bad : new String[] { "5GiB", "5 G", "GB", "-1MB", "0", "0KB", "abc", "", "1e400GB" }) {
			assertThatExceptionOfType(InvalidRequestException.class).as(bad)
				.isThrownBy(() -> ShardSize.parse(bad))
				.satisfies(ex -> assertThat(ex.getBody().getDetail()).startsWith("max_shard_size"));
		}
		for (String bad : new String[] { "1.5", "true", "-3", "[1]" }) {
			assertThatExceptionOfType(InvalidRequestException.class).as(bad)
				.isThrownBy(() -> ShardSize.parse(JSON.readTree(bad)));
		}
	}

}
