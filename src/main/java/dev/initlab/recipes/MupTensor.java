package dev.initlab.recipes;

import java.util.Arrays;
import java.util.Objects;

/**
 * One parameter of the target model as {@link Mup} needs it: what {@code microsoft/mup}
 * reads from {@code named_parameters()} of the target and the base model, plus the module
 * type {@code set_base_shapes} looks at and the standard-parametrization std.
 * <p>
 * Shapes are in the layout mup sees, PyTorch's {@code [out, in, *kernel]}: mup's rules
 * are positional (dimension 1 is the fan-in, dimension 0 the fan-out), so a tensor stored
 * {@code [in, out]} (Hugging Face's {@code Conv1D}) must be given transposed, or mup's
 * answer for it is the one for the transposed matrix. A readout tied to the embedding is
 * one tensor: give it once, as {@link MupRole#SHARED_READOUT_WEIGHT} under the name mup
 * sees (the embedding's).
 *
 * @param name the parameter's name ({@code named_parameters()} key)
 * @param shape the target model's shape
 * @param baseShape the base model's shape of the same parameter (same rank)
 * @param role how {@code set_base_shapes} treats it (the module that holds it)
 * @param weight for {@link MupRole#LINEAR_BIAS} and {@link MupRole#READOUT_BIAS}, the
 * name of its module's weight; otherwise {@code null}
 * @param spStd the std the standard parametrization (the init without μP) gives the
 * target tensor
 * @param spInit how that std depends on width, which decides the μP correction
 */
public record MupTensor(String name, int[] shape, int[] baseShape, MupRole role, String weight, double spStd,
		MupInit spInit) {

	public MupTensor {
		if (name == null || role == null || spInit == null || shape == null || baseShape == null) {
			throw new MupException("a μP tensor needs a name, shapes, a role and an init kind");
		}
		if (shape.length != baseShape.length) {
			throw new MupException(name + ": the target shape " + Arrays.toString(shape) + " and the base shape "
					+ Arrays.toString(baseShape) + " differ in rank");
		}
		for (int i = 0; i < shape.length; i++) {
			if (shape[i] < 1 || baseShape[i] < 1) {
				throw new MupException(name + ": dimensions must be positive, got " + Arrays.toString(shape)
						+ " with base " + Arrays.toString(baseShape));
			}
		}
		if (role.isBias() != (weight != null)) {
			throw new MupException(name + ": " + (role.isBias() ? "a bias names its module's weight"
					: "only a bias names a weight (got " + weight + ")"));
		}
		if (!(spStd >= 0) || Double.isInfinite(spStd)) {
			throw new MupException(name + ": the standard-parametrization std must be finite and >= 0, got " + spStd);
		}
		shape = shape.clone();
		baseShape = baseShape.clone();
	}

	/** A parameter that is not a bias. */
	public static MupTensor of(String name, int[] shape, int[] baseShape, MupRole role, double spStd, MupInit spInit) {
		return new MupTensor(name, shape, baseShape, role, null, spStd, spInit);
	}

	@Override
	public int[] shape() {
		return this.shape.clone();
	}

	@Override
	public int[] baseShape() {
		return this.baseShape.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof MupTensor t && this.name.equals(t.name) && Arrays.equals(this.shape, t.shape)
				&& Arrays.equals(this.baseShape, t.baseShape) && this.role == t.role
				&& Objects.equals(this.weight, t.weight) && Double.compare(this.spStd, t.spStd) == 0
				&& this.spInit == t.spInit;
	}

	@Override
	public int hashCode() {
		return this.name.hashCode() * 31 + Arrays.hashCode(this.shape);
	}

	@Override
	public String toString() {
		return this.name + Arrays.toString(this.shape) + " (base " + Arrays.toString(this.baseShape) + ", " + this.role
				+ ")";
	}

}
