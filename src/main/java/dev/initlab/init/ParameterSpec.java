package dev.initlab.init;

import java.util.Arrays;
import java.util.Objects;

/**
 * One parameter tensor to initialize: what a layer declares and an initializer consumes.
 *
 * @param name the tensor's name ({@code state_dict} key, or Keras name)
 * @param shape the tensor's shape in the requested layout
 * @param role what the tensor is for
 * @param fans fans from PyTorch's rule on the PyTorch-layout weight, or {@code null}
 * where undefined (a 1-D tensor without explicit fans)
 * @param activation the nonlinearity that follows the layer, or {@code null}
 * @param groups the layer's groups (convolutions), else 1
 * @param pytorchShape the shape in PyTorch layout (the one fans and structured schemes
 * use)
 * @param layerType the wire type of the layer that declares it ({@code linear},
 * {@code conv2d}, ...), which presets consult
 */
public record ParameterSpec(String name, int[] shape, Role role, Fans fans, String activation, int groups,
		int[] pytorchShape, String layerType) {

	public ParameterSpec {
		shape = shape.clone();
		pytorchShape = pytorchShape.clone();
	}

	/** A parameter whose layout is PyTorch's. */
	public static ParameterSpec of(String name, int[] shape, Role role, Fans fans, String activation, int groups,
			String layerType) {
		return new ParameterSpec(name, shape, role, fans, activation, groups, shape, layerType);
	}

	/** Number of elements. */
	public long numel() {
		long n = 1;
		for (int d : this.shape) {
			n *= d;
		}
		return n;
	}

	@Override
	public int[] shape() {
		return this.shape.clone();
	}

	@Override
	public int[] pytorchShape() {
		return this.pytorchShape.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof ParameterSpec p && this.name.equals(p.name) && Arrays.equals(this.shape, p.shape)
				&& this.role == p.role && Objects.equals(this.fans, p.fans)
				&& Objects.equals(this.activation, p.activation) && this.groups == p.groups
				&& Arrays.equals(this.pytorchShape, p.pytorchShape) && Objects.equals(this.layerType, p.layerType);
	}

	@Override
	public int hashCode() {
		return this.name.hashCode() * 31 + Arrays.hashCode(this.shape);
	}

	@Override
	public String toString() {
		return this.name + Arrays.toString(this.shape);
	}

}
