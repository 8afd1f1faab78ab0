package dev.initlab.layers;

import java.util.ArrayList;
import java.util.List;

import dev.initlab.init.Fans;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Role;

/** The parameters of a convolution or transposed convolution. */
final class ConvParameters {

	private ConvParameters() {
	}

	static List<ParameterSpec> of(String name, String type, int in, int out, List<Integer> kernelSize, Integer groups,
			Boolean bias, String activation, Layout layout, boolean transposed) {
		Shapes.checkActivation(activation);
		int dims = type.charAt(type.length() - 2) - '0';
		int[] kernel = Shapes.kernel(kernelSize, dims);
		int g = (groups != null) ? groups : 1;
		if (in % g != 0) {
			throw new InvalidLayerException("groups",
					"in_channels (" + in + ") must be divisible by groups (" + g + ")");
		}
		if (out % g != 0) {
			throw new InvalidLayerException("groups",
					"out_channels (" + out + ") must be divisible by groups (" + g + ")");
		}
		int[] head = transposed ? new int[] { in, out / g } : new int[] { out, in / g };
		int[] weight = Shapes.concat(head, kernel);
		Shapes.numel(weight, "kernel_size");
		Fans fans = Fans.of(weight);
		List<ParameterSpec> params = new ArrayList<>();
		int[] shape = (layout == Layout.KERAS) ? Shapes.kerasKernel(weight) : weight;
		params.add(new ParameterSpec(LayerSpec.tensorName(layout, name, "weight", "kernel"), shape, Role.WEIGHT, fans,
				activation, g, weight, type));
		if (bias == null || bias) {
			int[] b = { out };
			params.add(new ParameterSpec(LayerSpec.tensorName(layout, name, "bias", "bias"), b, Role.BIAS, fans,
					activation, g, b, type));
		}
		return params;
	}

}
