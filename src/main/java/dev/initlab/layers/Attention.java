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
 * {@code torch.nn.MultiheadAttention(embed_dim, num_heads, bias)} with equal query, key
 * and value sizes: {@code in_proj_weight [3E, E]} (q, k, v packed),
 * {@code in_proj_bias [3E]}, {@code out_proj.weight [E, E]}, {@code out_proj.bias [E]}.
 * Fans of the packed projection are PyTorch's on {@code [3E, E]}, as its
 * {@code xavier_uniform_} sees them. Keras layout: {@code <name>/in_proj/kernel [E, 3E]},
 * {@code /in_proj/bias}, {@code /out_proj/kernel [E, E]}, {@code /out_proj/bias}.
 * {@code dropout} and {@code batch_first} are accepted and do not change the parameters.
 *
 * @param name state_dict prefix
 * @param type {@code multihead_attention}
 * @param embedDim model dimension E
 * @param numHeads heads (divides E)
 * @param bias whether there are biases (default true)
 * @param activation the nonlinearity that follows
 * @param init this layer's own policy
 * @param dropout accepted, no effect on parameters
 * @param batchFirst accepted, no effect on parameters
 */
@Schema(description = "torch.nn.MultiheadAttention: in_proj_weight [3E, E], in_proj_bias, out_proj.weight, out_proj.bias")
public record Attention(@NotBlank String name, String type, @NotNull @Positive Integer embedDim,
		@NotNull @Positive Integer numHeads, Boolean bias, String activation, @Valid Policy init, Double dropout,
		Boolean batchFirst) implements LayerSpec {

	@Override
	public List<ParameterSpec> parameters(Layout layout) {
		Shapes.checkActivation(this.activation);
		int e = this.embedDim;
		if (e % this.numHeads != 0) {
			throw new InvalidLayerException("num_heads",
					"embed_dim (" + e + ") must be divisible by num_heads (" + this.numHeads + ")");
		}
		Shapes.dimension(4L * e, "embed_dim");
		Shapes.numel(new int[] { 4 * e, e }, "embed_dim");
		boolean keras = layout == Layout.KERAS;
		boolean withBias = this.bias == null || this.bias;
		int[] in = { 3 * e, e };
		int[] out = { e, e };
		List<ParameterSpec> params = new ArrayList<>();
		params.add(spec(keras ? "/in_proj/kernel" : ".in_proj_weight", keras ? new int[] { e, 3 * e } : in, in,
				Role.WEIGHT, Fans.of(in), "in_proj_weight"));
		if (withBias) {
			params.add(spec(keras ? "/in_proj/bias" : ".in_proj_bias", new int[] { 3 * e }, new int[] { 3 * e },
					Role.BIAS, Fans.of(in), "in_proj_bias"));
		}
		params.add(spec(keras ? "/out_proj/kernel" : ".out_proj.weight", out, out, Role.WEIGHT, Fans.of(out),
				"out_proj.weight"));
		if (withBias) {
			params.add(spec(keras ? "/out_proj/bias" : ".out_proj.bias", new int[] { e }, new int[] { e }, Role.BIAS,
					Fans.of(out), "out_proj.bias"));
		}
		return params;
	}

	private ParameterSpec spec(String suffix, int[] shape, int[] pytorchShape, Role role, Fans fans, String param) {
		return new ParameterSpec(this.name + suffix, shape, role, fans, this.activation, 1, pytorchShape,
				"multihead_attention", param, 1, -1);
	}

}
