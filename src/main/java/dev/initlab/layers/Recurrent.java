package dev.initlab.layers;

import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import dev.initlab.init.Fans;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Policy;
import dev.initlab.init.Role;

/**
 * {@code torch.nn.RNN/LSTM/GRU}: per layer {@code k} and direction ({@code _reverse} for
 * the backward one) {@code weight_ih_l{k} [G·H, in_k]}, {@code weight_hh_l{k} [G·H, H]},
 * {@code bias_ih_l{k} [G·H]}, {@code bias_hh_l{k} [G·H]}, with G gate blocks stacked
 * along dim 0 (RNN 1; LSTM 4: i, f, g, o; GRU 3: r, z, n) and {@code in_k} the input
 * size, or {@code H · directions} above the first layer. Fans are those of one gate
 * block.
 * <p>
 * Keras layout (one Keras layer per PyTorch layer and direction, prefixed
 * {@code <name>/layer_{k}} when {@code num_layers > 1} and {@code /forward} or
 * {@code /backward} when bidirectional): {@code kernel [in_k, G·H]},
 * {@code recurrent_kernel [H, G·H]}, and one {@code bias}: {@code [G·H]} for RNN and
 * LSTM, {@code [2, 3H]} for GRU (Keras's {@code reset_after}).
 *
 * @param name state_dict prefix
 * @param type {@code rnn}, {@code lstm} or {@code gru}
 * @param inputSize features of the input
 * @param hiddenSize features of the hidden state
 * @param numLayers stacked layers (default 1)
 * @param bias whether there are biases (default true)
 * @param bidirectional whether there is a reverse direction (default false)
 * @param activation the cell nonlinearity ({@code rnn}: tanh or relu; default tanh)
 * @param init this layer's own policy
 * @param batchFirst accepted, no effect on parameters
 * @param dropout accepted, no effect on parameters
 * @param nonlinearity {@code rnn}'s own name for its activation (tanh or relu)
 */
@Schema(description = "torch.nn.RNN/LSTM/GRU: weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k} "
		+ "(+ _reverse), gates stacked (LSTM i,f,g,o; GRU r,z,n)")
public record Recurrent(@NotBlank String name, String type, @NotNull @Positive Integer inputSize,
		@NotNull @Positive Integer hiddenSize, @Positive Integer numLayers, Boolean bias, Boolean bidirectional,
		String activation, @Valid Policy init, Boolean batchFirst, Double dropout,
		String nonlinearity) implements LayerSpec {

	/** Gate blocks of the cell type. */
	int gates() {
		return switch (this.type) {
			case "lstm" -> 4;
			case "gru" -> 3;
			default -> 1;
		};
	}

	@Override
	public String activation() {
		if (this.activation != null) {
			return this.activation;
		}
		return (this.nonlinearity != null) ? this.nonlinearity : "tanh";
	}

	@Override
	public List<ParameterSpec> parameters(Layout layout) {
		String act = activation();
		Shapes.checkActivation(act);
		if (this.nonlinearity != null && !List.of("tanh", "relu").contains(this.nonlinearity)) {
			throw new InvalidLayerException("nonlinearity", "nonlinearity must be tanh or relu");
		}
		if (this.nonlinearity != null && !this.type.equals("rnn")) {
			throw new InvalidLayerException("nonlinearity", "only rnn takes a nonlinearity");
		}
		int g = gates();
		int h = this.hiddenSize;
		int layers = (this.numLayers != null) ? this.numLayers : 1;
		boolean both = Boolean.TRUE.equals(this.bidirectional);
		boolean withBias = this.bias == null || this.bias;
		// g·H rows and 2·H inputs above the first layer are tensor dimensions: ints
		Shapes.dimension((long) g * h, "hidden_size");
		Shapes.dimension((long) h * (both ? 2 : 1), "hidden_size");
		Shapes.numel(new int[] { g * h, Math.max(this.inputSize, h * (both ? 2 : 1)), layers, (both ? 2 : 1) },
				"hidden_size");
		List<ParameterSpec> params = new ArrayList<>();
		for (int k = 0; k < layers; k++) {
			int in = (k == 0) ? this.inputSize : h * (both ? 2 : 1);
			for (int d = 0; d < (both ? 2 : 1); d++) {
				String sfx = "_l" + k + ((d == 1) ? "_reverse" : "");
				int[] ih = { g * h, in };
				int[] hh = { g * h, h };
				Fans ihFans = Fans.of(new int[] { h, in });
				Fans hhFans = Fans.of(new int[] { h, h });
				if (layout == Layout.PYTORCH) {
					params.add(spec(this.name + ".weight_ih" + sfx, ih, Role.WEIGHT, ihFans, ih, "weight_ih" + sfx, g));
					params.add(spec(this.name + ".weight_hh" + sfx, hh, Role.RECURRENT_WEIGHT, hhFans, hh,
							"weight_hh" + sfx, g));
					if (withBias) {
						int[] b = { g * h };
						params.add(spec(this.name + ".bias_ih" + sfx, b, Role.BIAS, ihFans, b, "bias_ih" + sfx, g));
						params.add(spec(this.name + ".bias_hh" + sfx, b, Role.BIAS, hhFans, b, "bias_hh" + sfx, g));
					}
				}
				else {
					String prefix = this.name + ((layers > 1) ? "/layer_" + k : "")
							+ (both ? ((d == 0) ? "/forward" : "/backward") : "");
					params.add(spec(prefix + "/kernel", new int[] { in, g * h }, Role.WEIGHT, ihFans, ih,
							"weight_ih" + sfx, g));
					params.add(spec(prefix + "/recurrent_kernel", new int[] { h, g * h }, Role.RECURRENT_WEIGHT, hhFans,
							hh, "weight_hh" + sfx, g));
					if (withBias) {
						int[] b = this.type.equals("gru") ? new int[] { 2, g * h } : new int[] { g * h };
						// GRU's [2, 3H] stacks the input and recurrent biases, not gate
						// blocks
						params.add(spec(prefix + "/bias", b, Role.BIAS, ihFans, b, "bias" + sfx,
								this.type.equals("gru") ? 1 : g));
					}
				}
			}
		}
		return params;
	}

	/**
	 * Per layer and direction two weights and, with biases, two (PyTorch) or one (Keras).
	 */
	@Override
	public long tensorCount(Layout layout) {
		long perDirection = 2 + ((this.bias == null || this.bias) ? ((layout == Layout.PYTORCH) ? 2 : 1) : 0);
		long layers = (this.numLayers != null) ? this.numLayers : 1;
		return perDirection * layers * (Boolean.TRUE.equals(this.bidirectional) ? 2 : 1);
	}

	private ParameterSpec spec(String tensor, int[] shape, Role role, Fans fans, int[] pytorchShape, String param,
			int g) {
		return new ParameterSpec(tensor, shape, role, fans, activation(), 1, pytorchShape, this.type, param, g, -1);
	}

}
