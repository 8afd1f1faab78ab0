package dev.initlab.training;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Hidden-layer activations of the training engine, with their derivatives. */
public enum Activation {

	TANH("tanh") {
		@Override
		void apply(double[] z, double[] a, double[] scratch1, double[] scratch2, int n) {
			Kernels.tanh(z, a, scratch1, scratch2, n);
		}

		@Override
		public void multiplyByDerivative(double[] d, double[] z, double[] a, int n) {
			for (int s = 0; s < n; s++) {
				d[s] *= 1 - a[s] * a[s];
			}
		}
	},

	/** max(0, z); derivative 0 at z ≤ 0, as the course's {@code relu_backward}. */
	RELU("relu") {
		@Override
		void apply(double[] z, double[] a, double[] scratch1, double[] scratch2, int n) {
			for (int s = 0; s < n; s++) {
				a[s] = (z[s] > 0) ? z[s] : 0.0;
			}
		}

		@Override
		public void multiplyByDerivative(double[] d, double[] z, double[] a, int n) {
			for (int s = 0; s < n; s++) {
				d[s] *= (z[s] > 0) ? 1.0 : 0.0;
			}
		}
	},

	/** z for z > 0, else 0.01 z (PyTorch's default slope). */
	LEAKY_RELU("leaky_relu") {
		@Override
		void apply(double[] z, double[] a, double[] scratch1, double[] scratch2, int n) {
			for (int s = 0; s < n; s++) {
				a[s] = (z[s] > 0) ? z[s] : 0.01 * z[s];
			}
		}

		@Override
		public void multiplyByDerivative(double[] d, double[] z, double[] a, int n) {
			for (int s = 0; s < n; s++) {
				d[s] *= (z[s] > 0) ? 1.0 : 0.01;
			}
		}
	},

	SIGMOID("sigmoid") {
		@Override
		void apply(double[] z, double[] a, double[] scratch1, double[] scratch2, int n) {
			Kernels.sigmoid(z, a, scratch1, scratch2, n);
		}

		@Override
		public void multiplyByDerivative(double[] d, double[] z, double[] a, int n) {
			for (int s = 0; s < n; s++) {
				d[s] *= a[s] * (1 - a[s]);
			}
		}
	},

	/** Exact GELU: z Φ(z). */
	GELU("gelu") {
		@Override
		void apply(double[] z, double[] a, double[] scratch1, double[] scratch2, int n) {
			for (int s = 0; s < n; s++) {
				a[s] = z[s] * phi(z[s]);
			}
		}

		@Override
		public void multiplyByDerivative(double[] d, double[] z, double[] a, int n) {
			for (int s = 0; s < n; s++) {
				double x = z[s];
				d[s] *= phi(x) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
			}
		}
	},

	IDENTITY("identity") {
		@Override
		void apply(double[] z, double[] a, double[] scratch1, double[] scratch2, int n) {
			System.arraycopy(z, 0, a, 0, n);
		}

		@Override
		public void multiplyByDerivative(double[] d, double[] z, double[] a, int n) {
		}
	};

	private final String wireName;

	Activation(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * {@code a[s] = f(z[s])} for s < n; the scratch arrays hold at least n elements and
	 * {@code a} is not {@code z}.
	 */
	abstract void apply(double[] z, double[] a, double[] scratch1, double[] scratch2, int n);

	/**
	 * {@code a[s] = f(z[s])} for s < n; {@code a} is not {@code z}. Allocates the scratch
	 * rows the {@link Kernels} need (tanh, sigmoid).
	 */
	public void apply(double[] z, double[] a, int n) {
		boolean kernel = this == TANH || this == SIGMOID;
		apply(z, a, kernel ? new double[n] : null, kernel ? new double[n] : null, n);
	}

	/** {@code d[s] *= f'(z[s])} for s < n, given z and a = f(z). */
	public abstract void multiplyByDerivative(double[] d, double[] z, double[] a, int n);

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

	static double phi(double z) {
		return 0.5 * org.apache.commons.math3.special.Erf.erfc(-z / Math.sqrt(2));
	}

}
