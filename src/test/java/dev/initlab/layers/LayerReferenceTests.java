package dev.initlab.layers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.init.Fans;
import dev.initlab.init.ParameterSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our layers' parameters against what the frameworks themselves declare for the same
 * layer: names, order, shapes and fans of {@code state_dict()} in PyTorch layout, short
 * names and shapes of the built Keras layer in Keras layout.
 * <p>
 * The fixture {@code src/test/resources/reference/layers_reference.json} is written by
 * {@code make_layers.py} beside it ({@code cd src/test/resources/reference &&
 * KERAS_BACKEND=jax python3 make_layers.py}), which records the torch and Keras versions.
 * Each case's {@code layer} is a request's layer object, read here exactly as the app
 * reads it (snake_case, unknown fields rejected); the script builds the torch module from
 * the same fields, so the wire vocabulary is checked to be torch's keyword arguments.
 * Nothing here is statistical.
 */
class LayerReferenceTests {

	/** The app's reading of request JSON (see application.properties). */
	static final JsonMapper MAPPER = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.build();

	@Test
	void fixtureCoversEveryLayerType() {
		Fixture f = Reference.FIXTURE;
		assertThat(f.torchVersion()).isNotBlank();
		assertThat(f.kerasVersion()).as("Keras was not importable when the fixture was written").isNotBlank();
		List<String> types = f.layers().stream().map(LayerCase::type).distinct().toList();
		assertThat(types).containsAll(LayerSpec.TYPES.stream().filter((t) -> !t.equals("tensor")).toList());
		List<String> withKeras = f.layers().stream().filter((c) -> c.keras() != null).map(LayerCase::type).toList();
		assertThat(withKeras).contains("linear", "conv2d", "conv_transpose2d", "embedding", "lstm", "gru", "layer_norm",
				"batch_norm1d", "batch_norm2d");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void pytorchLayoutIsStateDict(LayerCase c) {
		List<ParameterSpec> ours = c.spec().parameters(Layout.PYTORCH);

		assertThat(ours).extracting(ParameterSpec::name)
			.containsExactlyElementsOf(c.pytorch().stream().map(TorchTensor::name).toList());
		for (int i = 0; i < ours.size(); i++) {
			ParameterSpec p = ours.get(i);
			TorchTensor t = c.pytorch().get(i);
			assertThat(p.shape()).as("%s shape", t.name()).containsExactly(t.shape());
			assertThat(p.pytorchShape()).as("%s PyTorch shape", t.name()).containsExactly(t.shape());
			if (t.fanIn() != null) {
				// torch's _calculate_fan_in_and_fan_out (of one gate block for recurrent
				// weights)
				assertThat(p.fans()).as("%s fans", t.name()).isEqualTo(new Fans(t.fanIn(), t.fanOut()));
			}
			if (t.gateBlocks() != null) {
				assertThat(p.gates()).as("%s gate blocks", t.name()).isEqualTo(t.gateBlocks());
			}
			if (c.type().equals("embedding")) {
				int zeroRow = (t.zeroRow() != null) ? t.zeroRow() : -1;
				assertThat(p.zeroRow()).as("%s row torch leaves at zero", t.name()).isEqualTo(zeroRow);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void onlyNumBatchesTrackedIsLeftOut(LayerCase c) {
		// torch keeps its own counter when the key is absent (the script asserts that a
		// strict load_state_dict succeeds without it), so omitting it loses nothing.
		List<ParameterSpec> ours = c.spec().parameters(Layout.PYTORCH);
		boolean tracks = ours.stream().anyMatch((p) -> p.name().endsWith(".running_mean"));
		assertThat(ours).extracting(ParameterSpec::name).noneMatch((n) -> n.endsWith("num_batches_tracked"));
		assertThat(c.dropped()).isEqualTo(tracks ? List.of(c.name() + ".num_batches_tracked") : List.of());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("kerasCases")
	void kerasLayoutIsKerasWeights(LayerCase c) {
		List<ParameterSpec> ours = c.spec().parameters(Layout.KERAS);
		List<KerasWeight> keras = c.keras().weights();

		assertThat(ours).hasSameSizeAs(keras);
		for (int i = 0; i < ours.size(); i++) {
			ParameterSpec p = ours.get(i);
			KerasWeight w = keras.get(i);
			assertThat(p.name()).as("Keras %s", w.path()).startsWith(c.name() + "/").endsWith("/" + w.name());
			assertThat(p.shape()).as("%s shape (Keras %s)", p.name(), w.path()).containsExactly(w.shape());
		}
	}

	/**
	 * Our fans are PyTorch's rule on the PyTorch-layout tensor in both layouts (API,
	 * "Precise semantics"); Keras's {@code compute_fans} on its own kernel agrees
	 * everywhere but in two places we state: a recurrent kernel, where Keras takes the
	 * whole {@code [in, G·H]} kernel (our {@code per_gate: false}, which
	 * {@code keras_default} uses) and we take one gate block; and an embedding table
	 * {@code [num, dim]}, where Keras's 2-D rule reads fan_in = num, fan_out = dim and
	 * PyTorch's reads them the other way round.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("kerasCases")
	void kerasFansAgreeWhereDocumented(LayerCase c) {
		List<ParameterSpec> ours = c.spec().parameters(Layout.KERAS);
		List<KerasWeight> keras = c.keras().weights();
		for (int i = 0; i < ours.size(); i++) {
			ParameterSpec p = ours.get(i);
			KerasWeight w = keras.get(i);
			if (w.kerasFanIn() == null) {
				continue;
			}
			Fans kerasFans = new Fans(w.kerasFanIn(), w.kerasFanOut());
			switch (c.type()) {
				case "embedding" -> assertThat(p.fans()).as("%s: Keras's fans, swapped", p.name())
					.isEqualTo(new Fans(kerasFans.fanOut(), kerasFans.fanIn()));
				case "rnn", "lstm", "gru" -> {
					assertThat(p.wholeTensor().fans()).as("%s whole-kernel fans", p.name()).isEqualTo(kerasFans);
					assertThat(p.fans()).as("%s gate-block fans", p.name())
						.isEqualTo(new Fans(kerasFans.fanIn(), kerasFans.fanOut() / p.gates()));
				}
				default -> assertThat(p.fans()).as("%s fans", p.name()).isEqualTo(kerasFans);
			}
		}
	}

	static Stream<Named<LayerCase>> cases() {
		return Reference.FIXTURE.layers().stream().map((c) -> Named.of(c.torch(), c));
	}

	static Stream<Named<LayerCase>> kerasCases() {
		return Reference.FIXTURE.layers()
			.stream()
			.filter((c) -> c.keras() != null)
			.map((c) -> Named.of(c.torch() + " ~ " + c.keras().layer(), c));
	}

	/** The fixture, read once. */
	private static final class Reference {

		static final Fixture FIXTURE = load();

		private static Fixture load() {
			try (InputStream in = LayerReferenceTests.class.getResourceAsStream("/reference/layers_reference.json")) {
				assertThat(in).as("reference/layers_reference.json on the test class path").isNotNull();
				return MAPPER.readValue(in, Fixture.class);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	record Fixture(String generatedBy, String torchVersion, String kerasVersion, String kerasBackend,
			List<LayerCase> layers) {
	}

	/**
	 * One layer: the request's layer object, the torch module built from it and, where
	 * Keras has the same layer, the Keras one.
	 */
	record LayerCase(String torch, JsonNode layer, List<TorchTensor> pytorch, List<String> dropped, KerasCase keras) {

		/** The layer object read as the app reads a request. */
		LayerSpec spec() {
			return MAPPER.treeToValue(this.layer, LayerSpec.class);
		}

		String type() {
			return this.layer.get("type").asString();
		}

		String name() {
			return this.layer.get("name").asString();
		}

	}

	/**
	 * One {@code state_dict()} entry; fans only for tensors of two or more dimensions.
	 */
	record TorchTensor(String name, int[] shape, Long fanIn, Long fanOut, Integer gateBlocks, Integer zeroRow) {
	}

	record KerasCase(String layer, int[] inputShape, List<KerasWeight> weights) {
	}

	/** One Keras weight: short name, full path, shape and Keras's own fans. */
	record KerasWeight(String name, String path, int[] shape, Long kerasFanIn, Long kerasFanOut) {
	}

}
