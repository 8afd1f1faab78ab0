package dev.initlab.layers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.initlab.init.ParameterSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Sizes a client may send but no tensor can have (found by the hostile-input tests): a
 * derived dimension past 2^31 - 1 is a layer error naming the field, never an int that
 * wrapped around to a negative or zero size; and a layer's tensor count is known without
 * building its tensors.
 */
class OversizedLayerTests {

	@ParameterizedTest
	@EnumSource(Layout.class)
	void anLstmWhoseGateRowsOverflowAnIntNamesHiddenSize(Layout layout) {
		// 4 gates × (2^29 + 1) rows = 2^31 + 4: wrapped to a negative dimension before
		Recurrent lstm = recurrent("lstm", (1 << 29) + 1, 1, false);
		assertThatExceptionOfType(InvalidLayerException.class).isThrownBy(() -> lstm.parameters(layout))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("hidden_size"))
			.withMessageContaining("more than 2^31 - 1");
	}

	@Test
	void aBidirectionalRnnWhoseUpperInputOverflowsNamesHiddenSize() {
		// 2 directions × 2^30 inputs above the first layer = 2^31
		Recurrent rnn = recurrent("rnn", 1 << 30, 2, true);
		assertThatExceptionOfType(InvalidLayerException.class).isThrownBy(() -> rnn.parameters(Layout.PYTORCH))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("hidden_size"));
	}

	@Test
	void attentionWhoseProjectionsOverflowAnIntNamesEmbedDim() {
		// in_proj has 3·E rows: E = 2^30 wrapped 3·E to -2^30
		Attention attention = new Attention("attn", "multihead_attention", 1 << 30, 1, null, null, null, null, null);
		assertThatExceptionOfType(InvalidLayerException.class).isThrownBy(() -> attention.parameters(Layout.PYTORCH))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("embed_dim"));
	}

	@Test
	void theLargestLegalSizesStillGivePositiveShapes() {
		// 4 × (2^29 - 1) rows fit an int; the tensors are described, not allocated
		for (ParameterSpec spec : recurrent("lstm", (1 << 29) - 1, 1, false).parameters(Layout.PYTORCH)) {
			assertThat(java.util.Arrays.stream(spec.shape()).min().orElse(1)).as(spec.name()).isPositive();
			assertThat(spec.numel()).as(spec.name()).isPositive();
		}
	}

	@ParameterizedTest
	@EnumSource(Layout.class)
	void aRecurrentLayersTensorCountIsKnownWithoutBuildingThem(Layout layout) {
		for (boolean bidirectional : new boolean[] { false, true }) {
			for (Boolean bias : new Boolean[] { null, true, false }) {
				for (String type : new String[] { "rnn", "lstm", "gru" }) {
					Recurrent small = new Recurrent("r", type, 3, 4, 3, bias, bidirectional, null, null, null, null,
							null);
					assertThat(small.tensorCount(layout)).as("%s bias=%s bidirectional=%s", type, bias, bidirectional)
						.isEqualTo(small.parameters(layout).size());
				}
			}
		}
		// 2^31 - 1 stacked LSTMs: counted, where building them ran out of memory
		Recurrent huge = new Recurrent("r", "lstm", 16, 32, Integer.MAX_VALUE, null, true, null, null, null, null,
				null);
		assertThat(huge.tensorCount(layout)).isEqualTo(Integer.MAX_VALUE * 2L * ((layout == Layout.PYTORCH) ? 4 : 3));
	}

	private static Recurrent recurrent(String type, int hiddenSize, int numLayers, boolean bidirectional) {
		return new Recurrent("r", type, 16, hiddenSize, numLayers, null, bidirectional, null, null, null, null, null);
	}

}
