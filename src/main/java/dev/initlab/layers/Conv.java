package dev.initlab.layers;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Policy;

/**
 * {@code torch.nn.Conv1d/2d/3d}: {@code weight [out, in/groups, *kernel]},
 * {@code bias [out]}; Keras {@code Conv*D}: {@code kernel [*kernel, in/groups, out]}.
 * {@code stride}, {@code padding}, {@code dilation} and {@code padding_mode} are accepted
 * and do not change the parameters.
 *
 * @param name state_dict prefix
 * @param type {@code conv1d}, {@code conv2d} or {@code conv3d}
 * @param inChannels input channels
 * @param outChannels output channels
 * @param kernelSize an int or one int per spatial dimension
 * @param groups blocked connections (divides both channel counts), default 1
 * @param bias whether there is a bias (default true)
 * @param activation the nonlinearity that follows
 * @param init this layer's own policy
 * @param stride accepted, no effect on parameters
 * @param padding accepted, no effect on parameters
 * @param dilation accepted, no effect on parameters
 * @param paddingMode accepted, no effect on parameters
 */
@Schema(description = "torch.nn.Conv1d/2d/3d: weight [out_channels, in_channels/groups, *kernel_size]")
public record Conv(@NotBlank String name, String type, @NotNull @Positive Integer inChannels,
		@NotNull @Positive Integer outChannels,
		@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @NotNull List<Integer> kernelSize,
		@Positive Integer groups, Boolean bias, String activation, @Valid Policy init, Object stride, Object padding,
		Object dilation, String paddingMode) implements LayerSpec {

	@Override
	public List<ParameterSpec> parameters(Layout layout) {
		return ConvParameters.of(this.name, this.type, this.inChannels, this.outChannels, this.kernelSize, this.groups,
				this.bias, this.activation, layout, false);
	}

}
