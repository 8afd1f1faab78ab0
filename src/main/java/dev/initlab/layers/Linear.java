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
 * {@code torch.nn.Linear(in_features, out_features, bias)}: {@code weight [out, in]},
 * {@code bias [out]}; Keras {@code Dense}: {@code kernel [in, out]}, {@code bias [out]}.
 *
 * @param name state_dict prefix
 * @param type {@code linear}
 * @param inFeatures size of each input sample
 * @param outFeatures size of each output sample
 * @param bias whether there is a bias (default true)
 * @param activation the nonlinearity that follows
 * @param init this layer's own policy
 */
@Schema(description = "torch.nn.Linear: weight [out_features, in_features], bias [out_features]")
public record Linear(@NotBlank String name, String type, @NotNull @Positive Integer inFeatures,
		@NotNull @Positive Integer outFeatures, Boolean bias, String activation,
		@Valid Policy init) implements LayerSpec {

	@Override
	public List<ParameterSpec> parameters(Layout layout) {
		Shapes.checkActivation(this.activation);
		int[] weight = { this.outFeatures, this.inFeatures };
		Shapes.numel(weight, "in_features");
		Fans fans = Fans.of(weight);
		List<ParameterSpec> params = new ArrayList<>();
		int[] shape = (layout == Layout.KERAS) ? Shapes.kerasKernel(weight) : weight;
		params.add(new ParameterSpec(LayerSpec.tensorName(layout, this.name, "weight", "kernel"), shape, Role.WEIGHT,
				fans, this.activation, 1, weight, "linear"));
		if (this.bias == null || this.bias) {
			int[] b = { this.outFeatures };
			params.add(new ParameterSpec(LayerSpec.tensorName(layout, this.name, "bias", "bias"), b, Role.BIAS, fans,
					this.activation, 1, b, "linear"));
		}
		return params;
	}

}
