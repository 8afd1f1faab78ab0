package dev.initlab.init;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code dirac}: the weight of a convolution that passes its input through, as PyTorch's
 * {@code dirac_(tensor, groups)}. Checked by convolving: with 'same' padding, stride 1
 * and an odd kernel, output channel {@code g*per + d} equals input channel
 * {@code g*inPerGroup + d} for {@code d < min(per, inPerGroup)}, and every other output
 * channel is zero.
 */
class DiracTests {

	private static final int HEIGHT = 5;

	private static final int WIDTH = 7;

	/**
	 * @param shape the PyTorch weight {@code [out, in/groups, *k]}
	 * @param layerGroups the layer's groups (the scheme's default)
	 * @param params the initializer's parameters
	 * @param groups the groups the convolution and the expected channel map use
	 * @param gain the expected factor
	 */
	static Stream<Arguments> weights() {
		return Stream.of(Arguments.of(new int[] { 4, 4, 3 }, 1, new Object[0], 1, 1.0),
				Arguments.of(new int[] { 6, 4, 5 }, 1, new Object[0], 1, 1.0),
				Arguments.of(new int[] { 4, 2, 3 }, 2, new Object[0], 2, 1.0),
				Arguments.of(new int[] { 4, 4, 3, 3 }, 1, new Object[0], 1, 1.0),
				Arguments.of(new int[] { 2, 4, 3, 5 }, 1, new Object[0], 1, 1.0),
				Arguments.of(new int[] { 4, 2, 3, 3 }, 2, new Object[0], 2, 1.0),
				Arguments.of(new int[] { 6, 1, 3, 3 }, 2, new Object[0], 2, 1.0),
				Arguments.of(new int[] { 4, 2, 3, 3 }, 1, new Object[] { "groups", 2 }, 2, 1.0),
				Arguments.of(new int[] { 4, 2, 5, 3 }, 2, new Object[] { "gain", 2.0 }, 2, 2.0));
	}

	@ParameterizedTest(name = "{0} groups {3} {2}")
	@MethodSource("weights")
	void convolutionPreservesTheInputChannels(int[] shape, int layerGroups, Object[] params, int groups, double gain) {
		int[] shape2d = (shape.length == 3) ? new int[] { shape[0], shape[1], 1, shape[2] } : shape;
		ParameterSpec spec = Sampling.weight("dirac", null, layerGroups, "conv" + (shape.length - 2) + "d", shape);
		Initializer init = InitSpec.of("dirac", params).resolve(spec);
		assertThat(init.resolved()).containsEntry("groups", groups);
		double[] w = Sampling.fill(init, spec, 1L);

		int out = shape2d[0];
		int inPerGroup = shape2d[1];
		int in = inPerGroup * groups;
		int height = (shape.length == 3) ? 1 : HEIGHT;
		double[][][] x = randomInput(in, height, WIDTH);
		double[][][] y = convolve(w, shape2d, groups, x);

		int per = out / groups;
		for (int o = 0; o < out; o++) {
			int g = o / per;
			int d = o - g * per;
			for (int h = 0; h < height; h++) {
				for (int c = 0; c < WIDTH; c++) {
					if (d < Math.min(per, inPerGroup)) {
						// Exact: gain is a power of two and every other product is a
						// zero.
						assertThat(y[o][h][c]).as("out %d [%d, %d]", o, h, c)
							.isEqualTo(gain * x[g * inPerGroup + d][h][c]);
					}
					else {
						assertThat(y[o][h][c]).as("out %d [%d, %d]", o, h, c).isZero();
					}
				}
			}
		}
	}

	@Test
	void expectedMomentsAreThoseOfTheFixedTensor() {
		int[] shape = { 6, 4, 3, 3 };
		ParameterSpec spec = Sampling.weight("dirac", null, 2, "conv2d", shape);
		Initializer init = InitSpec.of("dirac", "gain", 1.5).resolve(spec);
		double[] w = Sampling.fill(init, spec, 1L);
		double sum = 0;
		double sumOfSquares = 0;
		for (double v : w) {
			sum += v;
			sumOfSquares += v * v;
		}
		double mean = sum / w.length;
		assertThat(init.expectedMean()).isCloseTo(mean, within(1e-12));
		assertThat(init.expectedStd()).isCloseTo(Math.sqrt(sumOfSquares / w.length - mean * mean), within(1e-12));
	}

	@Test
	void rejectsATwoDimensionalWeightNamingIt() {
		ParameterSpec spec = Sampling.weight("classifier.weight", 10, 10);
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("dirac").resolve(spec))
			.withMessageContaining("classifier.weight")
			.satisfies((e) -> assertThat(e.field()).isEqualTo("scheme"));
	}

	@Test
	void rejectsGroupsThatDoNotDivideTheOutputChannels() {
		ParameterSpec spec = Sampling.weight("block.conv.weight", null, 1, "conv2d", 6, 6, 3, 3);
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("dirac", "groups", 4).resolve(spec))
			.withMessageContaining("block.conv.weight")
			.satisfies((e) -> assertThat(e.field()).isEqualTo("groups"));
	}

	private static double[][][] randomInput(int channels, int height, int width) {
		Random random = new Random(42);
		double[][][] x = new double[channels][height][width];
		for (double[][] plane : x) {
			for (double[] row : plane) {
				for (int i = 0; i < width; i++) {
					row[i] = random.nextGaussian();
				}
			}
		}
		return x;
	}

	/**
	 * A grouped 2-D cross-correlation, as {@code torch.nn.functional.conv2d}: stride 1,
	 * zero 'same' padding of k/2 on each side (odd kernels), weight
	 * {@code [out, in/groups, kh, kw]} row-major.
	 */
	private static double[][][] convolve(double[] w, int[] shape, int groups, double[][][] x) {
		int out = shape[0];
		int inPerGroup = shape[1];
		int kh = shape[2];
		int kw = shape[3];
		int height = x[0].length;
		int width = x[0][0].length;
		int per = out / groups;
		double[][][] y = new double[out][height][width];
		for (int o = 0; o < out; o++) {
			int g = o / per;
			for (int i = 0; i < inPerGroup; i++) {
				double[][] input = x[g * inPerGroup + i];
				for (int h = 0; h < height; h++) {
					for (int c = 0; c < width; c++) {
						for (int dh = 0; dh < kh; dh++) {
							for (int dc = 0; dc < kw; dc++) {
								int ih = h + dh - kh / 2;
								int ic = c + dc - kw / 2;
								if (ih >= 0 && ih < height && ic >= 0 && ic < width) {
									y[o][h][c] += w[((o * inPerGroup + i) * kh + dh) * kw + dc] * input[ih][ic];
								}
							}
						}
					}
				}
			}
		}
		return y;
	}

}
