package dev.initlab.init;

import java.util.Arrays;
import java.util.Objects;

/**
 * One parameter tensor to initialize: what a layer declares and an initializer consumes.
 *
 * @param name the tensor's name ({@code state_dict} key, or Keras name)
 * @param shape the tensor's shape in the requested layout
 * @param role what the tensor is for
 * @param fans fans from PyTorch's rule on the PyTorch-layout weight (of one gate block
 * for recurrent weights), or {@code null} where undefined (a 1-D tensor without explicit
 * fans)
 * @param activation the nonlinearity that follows the layer, or {@code null}
 * @param groups the layer's groups (convolutions), else 1
 * @param pytorchShape the shape in PyTorch layout (the one fans and structured schemes
 * use)
 * @param layerType the wire type of the layer that declares it ({@code linear},
 * {@code lstm}, ...), which presets consult
 * @param param the parameter's PyTorch name within its module ({@code weight},
 * {@code weight_hh_l0}, {@code in_proj_weight}, {@code out_proj.weight}, ...)
 * @param gates how many gate blocks are stacked along dim 0 of the PyTorch layout (LSTM
 * 4, GRU 3, else 1); shape-dependent schemes apply to each block
 * @param zeroRow a row (dim 0) set to zero after initialization (an embedding's
 * {@code padding_idx}), or -1
 */
public record ParameterSpec(String name, int[] shape, Role role, Fans fans, String activation, int groups,
		int[] pytorchShape, String layerType, String param, int gates, int zeroRow) {

	public ParameterSpec {
		shape = shape.clone();
		pytorchShape = pytorchShape.clone();
	}

	/** A parameter without gate blocks or zeroed rows. */
	public ParameterSpec(String name, int[] shape, Role role, Fans fans, String activation, int groups,
			int[] pytorchShape, String layerType) {
		this(name, shape, role, fans, activation, groups, pytorchShape, layerType, null, 1, -1);
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

	/**
	 * One gate block of a stacked tensor, in PyTorch layout: what a shape-dependent
	 * scheme initializes {@link #gates} times.
	 */
	public ParameterSpec gateBlock() {
		if (this.gates == 1) {
			return this;
		}
		int[] block = this.pytorchShape.clone();
		block[0] /= this.gates;
		return new ParameterSpec(this.name, block, this.role, this.fans, this.activation, this.groups, block,
				this.layerType, this.param, 1, -1);
	}

	/**
	 * This tensor with the fans of the whole stacked tensor rather than of one gate
	 * block.
	 */
	public ParameterSpec wholeTensor() {
		Fans whole = (this.pytorchShape.length >= 2) ? Fans.of(this.pytorchShape) : this.fans;
		return new ParameterSpec(this.name, this.shape, this.role, whole, this.activation, this.groups,
				this.pytorchShape, this.layerType, this.param, this.gates, this.zeroRow);
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
				&& Arrays.equals(this.pytorchShape, p.pytorchShape) && Objects.equals(this.layerType, p.layerType)
				&& Objects.equals(this.param, p.param) && this.gates == p.gates && this.zeroRow == p.zeroRow;
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
