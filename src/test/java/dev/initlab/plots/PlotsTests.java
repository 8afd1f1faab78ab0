package dev.initlab.plots;

import java.awt.GraphicsEnvironment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The charts are well-formed standalone SVG, carry their words as text, and come out the
 * same for the same input.
 */
class PlotsTests {

	private static final String SVG_NS = SvgDocuments.SVG_NS;

	private static final int[] ITERATIONS = { 0, 1000, 2000, 3000 };

	@Test
	void lineChartIsAStandaloneSvgDocument() throws Exception {
		String svg = Plots.lineChart("Title", "x axis", "y axis", List.of(series("one", 1, 2, 3)), false, 640, 400);
		assertThat(svg).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ")
			.contains("xmlns=\"" + SVG_NS + "\"")
			.doesNotContain("<!DOCTYPE", "<!--");
		Document document = SvgDocuments.parse(svg);
		assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
		assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo(SVG_NS);
		assertThat(document.getDocumentElement().getAttribute("viewBox")).isEqualTo("0 0 640 400");
		assertThat(document.getDocumentElement().getAttribute("width")).isEqualTo("640");
		assertThat(document.getDocumentElement().getAttribute("height")).isEqualTo("400");
	}

	@Test
	void titleAxisLabelsAndEverySeriesLabelAreText() throws Exception {
		List<Series> series = List.of(series("zeros", 0.69, 0.69, 0.69), series("small random", 0.69, 0.5, 0.3),
				series("he & <friends>", 0.7, 0.2, 0.05));
		List<String> texts = texts(Plots.lineChart("Loss", "iteration", "loss", series, true, 720, 450));
		assertThat(texts).contains("Loss", "iteration", "loss", "zeros", "small random", "he & <friends>");
	}

	@Test
	void logAxisLabelsEveryDecadeFrom1e8To1e3() throws Exception {
		double[] x = new double[12];
		double[] y = new double[12];
		for (int i = 0; i < 12; i++) {
			x[i] = i;
			y[i] = Math.pow(10, i - 8);
		}
		List<String> texts = texts(
				Plots.lineChart("Decades", "step", "value", List.of(new Series("s", x, y)), true, 720, 450));
		assertThat(texts).contains("10⁻⁸", "10⁻⁷", "10⁻¹", "10⁰", "10¹", "10³");
	}

	@Test
	void logAxisLeavesOutValuesItCannotShow() {
		double[] y = { 1.0, 0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, 1e-3 };
		XYSeriesCollection log = Plots.dataset(List.of(new Series("s", new double[] { 0, 1, 2, 3, 4, 5 }, y)), true);
		assertThat(log.getY(0, 0)).isEqualTo(1.0);
		for (int i = 1; i <= 4; i++) {
			assertThat(log.getY(0, i)).as("point %d", i).isNull();
		}
		assertThat(log.getY(0, 5)).isEqualTo(1e-3);
		XYSeriesCollection linear = Plots.dataset(List.of(new Series("s", new double[] { 0, 1, 2, 3, 4, 5 }, y)),
				false);
		assertThat(linear.getY(0, 1)).isEqualTo(0.0);
		assertThat(linear.getY(0, 2)).isEqualTo(-1.0);
		assertThat(linear.getY(0, 3)).isNull();
		assertThat(linear.getY(0, 4)).isNull();
	}

	@Test
	void aChartWithNothingDrawableStillRenders() throws Exception {
		assertThat(SvgDocuments.parse(Plots.lineChart("Empty", "x", "y", List.of(), true, 320, 200))).isNotNull();
		Series nothingPositive = series("zeros", 0, 0, -1);
		assertThat(texts(Plots.lineChart("None", "x", "y", List.of(nothingPositive), true, 320, 200)))
			.contains("zeros");
	}

	@Test
	void aConstantSeriesGetsARangeWithRoundTicks() throws Exception {
		// JFreeChart alone gives a sliver of range labelled 0.693147185.
		Series flat = series("zeros", 0.6931471805599453, 0.6931471805599453, 0.6931471805599453);
		for (boolean logY : new boolean[] { true, false }) {
			List<String> texts = texts(Plots.lineChart("Flat", "x", "loss", List.of(flat), logY, 640, 400));
			assertThat(texts).as("logY=%s", logY).contains("0.7").noneMatch((t) -> t.matches("0\\.\\d{4,}"));
		}
	}

	@Test
	void duplicateLabelsAreKeptApart() throws Exception {
		List<String> texts = texts(Plots.lineChart("Twice", "x", "y",
				List.of(series("he", 1, 2, 3), series("he", 2, 3, 4)), false, 640, 400));
		assertThat(texts).contains("he", "he (2)");
	}

	@Test
	void sameInputGivesTheSameString() {
		// Ids count from 1 in each document, so two calls do not go on from each other.
		List<Series> series = List.of(series("a", 1e-3, 1e-2, 1), series("b", 3, 2, 1));
		String first = Plots.lineChart("Same", "x", "y", series, true, 640, 400);
		String second = Plots.lineChart("Same", "x", "y", List.copyOf(series), true, 640, 400);
		assertThat(second).isEqualTo(first);
		assertThat(first).contains("id=\"clipPath1\"", "clip-path=\"url(#clipPath1)\"");
		String experiment = Plots.experimentPlot("loss", List.of("a"), List.of(ITERATIONS),
				List.of(new double[] { 0.7, 0.5, 0.3, 0.2 }));
		assertThat(Plots.experimentPlot("loss", List.of("a"), List.of(ITERATIONS),
				List.of(new double[] { 0.7, 0.5, 0.3, 0.2 })))
			.isEqualTo(experiment);
	}

	@Test
	void experimentPlotsNameTheirAxes() throws Exception {
		List<String> labels = List.of("zeros", "he");
		List<int[]> iterations = List.of(ITERATIONS, ITERATIONS);
		assertThat(texts(Plots.experimentPlot("loss", labels, iterations,
				List.of(new double[] { 0.693, 0.693, 0.693, 0.693 }, new double[] { 0.7, 0.4, 0.2, 0.1 }))))
			.contains("Loss by iteration", "iteration", "loss", "zeros", "he");
		assertThat(texts(Plots.experimentPlot("accuracy", labels, iterations,
				List.of(new double[] { 0.5, 0.5, 0.5, 0.5 }, new double[] { 0.6, 0.8, 0.95, 1.0 }))))
			.contains("Training accuracy by iteration", "iteration", "training accuracy", "zeros", "he")
			// the fixed 0..1 range
			.contains("0.0", "0.5", "1.0");
		assertThat(texts(Plots.experimentPlot("symmetry", labels, iterations,
				List.of(new double[] { 1, 1, 1, 1 }, new double[] { 4, 4, 4, 4 }))))
			.contains("Distinct hidden units by iteration", "iteration", "distinct hidden units", "zeros", "he");
	}

	@Test
	void experimentPlotRejectsUnknownKindsAndMismatchedLists() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Plots.experimentPlot("grad_norms", List.of(), List.of(), List.of()))
			.withMessageContaining("'grad_norms'")
			.withMessageContaining("loss, accuracy, symmetry");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Plots.experimentPlot("loss", List.of("a", "b"), List.of(ITERATIONS),
					List.of(new double[4], new double[4])))
			.withMessageContaining("iterations");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Plots.experimentPlot("loss", List.of("a"), List.of(ITERATIONS), List.of(new double[3])))
			.withMessageContaining("4 x values but 3 y values");
	}

	@Test
	void propagationPlotIsActivationStdByLayerOnALogAxis() throws Exception {
		double[] vanishing = new double[50];
		double[] stable = new double[50];
		for (int l = 0; l < 50; l++) {
			vanishing[l] = Math.pow(0.7, l);
			stable[l] = 0.8;
		}
		List<String> texts = texts(Plots.propagationPlot(List.of("xavier", "he"), List.of(vanishing, stable)));
		assertThat(texts).contains("Activation std by layer", "layer", "activation std", "xavier", "he", "10⁰");
	}

	@Test
	void aResidualStacksPlotCountsBlocks() throws Exception {
		// a residual stack whose variance doubles per block spans 2^19 in std over 40
		// blocks: the log axis keeps it readable
		double[] exploding = new double[40];
		double[] bounded = new double[40];
		for (int b = 0; b < 40; b++) {
			exploding[b] = Math.pow(Math.sqrt(2), b + 1);
			bounded[b] = Math.sqrt(Math.pow(1 + 1.0 / 80, b + 1));
		}
		List<String> texts = texts(
				Plots.propagationPlot(List.of("he", "scaled_residual"), List.of(exploding, bounded), "block"));
		assertThat(texts).contains("Activation std by block", "block", "activation std", "he", "scaled_residual");
		assertThat(texts).doesNotContain("layer", "Activation std by layer");
	}

	@Test
	void seriesAreValidatedAndCopied() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Series("s", new double[2], new double[3]))
			.withMessageContaining("2 x values but 3 y values");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Series("s", new double[] { 0, Double.NaN }, new double[2]))
			.withMessageContaining("x[1]");
		double[] y = { 1, 2 };
		Series series = new Series("s", new double[] { 0, 1 }, y);
		y[0] = 99;
		series.y()[1] = 99;
		assertThat(series.y()).containsExactly(1, 2);
		assertThat(series).isEqualTo(new Series("s", new double[] { 0, 1 }, new double[] { 1, 2 }));
	}

	/**
	 * Many requests render at once: every thread gets the bytes a lone call gets. (Batik
	 * formats numbers with one {@code DecimalFormat} shared by all its contexts unless
	 * told otherwise, and {@code DecimalFormat} is not thread-safe.)
	 */
	@Test
	void concurrentCallsGiveTheSameBytes() throws Exception {
		String expected = manyNumbersPlot();
		int threads = 4;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<List<String>>> results = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				results.add(pool.submit(() -> {
					start.await();
					List<String> plots = new ArrayList<>();
					for (int i = 0; i < 3; i++) {
						plots.add(manyNumbersPlot());
					}
					return plots;
				}));
			}
			start.countDown();
			for (Future<List<String>> result : results) {
				assertThat(result.get(120, TimeUnit.SECONDS))
					.allSatisfy((plot) -> assertThat(plot).isEqualTo(expected));
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Another JVM, with another default locale (decimal comma), line separator and
	 * default charset, writes the same bytes as this one.
	 */
	@Test
	void aFreshJvmWithOtherPlatformDefaultsWritesTheSameBytes(@TempDir Path directory) throws Exception {
		Path written = directory.resolve("plot.svg");
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Duser.language=de", "-Duser.country=DE",
				"-Dline.separator=\r\n", "-Dfile.encoding=ISO-8859-1", "-cp", System.getProperty("java.class.path"),
				BytesProbe.class.getName(), written.toString());
		builder.environment().remove("JAVA_TOOL_OPTIONS");
		builder.redirectErrorStream(true);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("locale=de_DE", "separator=[13, 10]");
		assertThat(Files.readString(written)).isEqualTo(BytesProbe.plots()).doesNotContain("\r");
	}

	/**
	 * Run by {@link #aFreshJvmWithOtherPlatformDefaultsWritesTheSameBytes} in its own
	 * JVM.
	 */
	static final class BytesProbe {

		public static void main(String[] args) throws IOException {
			System.out.println("locale=" + Locale.getDefault());
			System.out.println("separator=" + Arrays.toString(System.lineSeparator().chars().toArray()));
			Files.write(Path.of(args[0]), plots().getBytes(StandardCharsets.UTF_8));
		}

		/** Every kind of plot, with decimals, grouped thousands and superscripts. */
		static String plots() {
			List<String> labels = List.of("zeros", "he");
			List<int[]> iterations = List.of(new int[] { 0, 1500, 3000 }, new int[] { 0, 1500, 3000 });
			StringBuilder all = new StringBuilder(manyNumbersPlot());
			all.append(Plots.experimentPlot("loss", labels, iterations,
					List.of(new double[] { 0.693, 0.693, 0.693 }, new double[] { 0.7, 0.01, 2.5e-5 })));
			all.append(Plots.experimentPlot("accuracy", labels, iterations,
					List.of(new double[] { 0.5, 0.5, 0.5 }, new double[] { 0.25, 0.875, 1 })));
			all.append(Plots.experimentPlot("symmetry", labels, iterations,
					List.of(new double[] { 1, 1, 1 }, new double[] { 4, 4, 3 })));
			all.append(Plots.lineChart("Fractions", "x", "y",
					List.of(new Series("s", new double[] { 0.125, 0.5, 2.75 }, new double[] { -1.5, 0.333, 7.25 })),
					false, 333, 222));
			return all.toString();
		}

	}

	/** Activation std over 50 layers: hundreds of coordinates with decimals. */
	private static String manyNumbersPlot() {
		double[] vanishing = new double[50];
		double[] stable = new double[50];
		for (int l = 0; l < 50; l++) {
			vanishing[l] = Math.pow(0.7, l);
			stable[l] = 0.8 + 0.01 * Math.sin(l);
		}
		return Plots.propagationPlot(List.of("xavier", "he"), List.of(vanishing, stable));
	}

	/**
	 * A 400 × 400 boundary (the default largest resolution) with a wavy 0.5 contour and a
	 * thousand points (the default most drawn): one indexed PNG, a pixel per grid point
	 * and the top row the largest y, under the circles, and the whole under 300 kB.
	 */
	@Test
	void decisionBoundaryIsOnePngOfTheGridUnderTheTrainingPoints() throws Exception {
		int n = 400;
		double[] x = new double[n];
		double[] y = new double[n];
		for (int i = 0; i < n; i++) {
			x[i] = -5 + 10.0 * i / (n - 1);
			y[i] = -4 + 8.0 * i / (n - 1);
		}
		double[][] probability = new double[n][n];
		int[][] prediction = new int[n][n];
		double[][] confidence = new double[n][n];
		for (int j = 0; j < n; j++) {
			for (int i = 0; i < n; i++) {
				double p = 1 / (1 + Math.exp(-(3 * Math.sin(x[i]) - y[j])));
				probability[j][i] = p;
				prediction[j][i] = (p > 0.5) ? 1 : 0;
				confidence[j][i] = Math.max(p, 1 - p);
			}
		}
		java.util.Random random = new java.util.Random(1);
		double[][] points = new double[1000][];
		int[] labels = new int[1000];
		for (int k = 0; k < points.length; k++) {
			points[k] = new double[] { -4 + 8 * random.nextDouble(), -3 + 6 * random.nextDouble() };
			labels[k] = k % 2;
		}
		String svg = Plots.decisionBoundary("he: train accuracy 97.5 % after 1000 iterations", x, y, 2, prediction,
				confidence, probability, points, labels);
		assertThat(svg.getBytes(StandardCharsets.UTF_8).length).isLessThan(300_000);
		assertThat(svg).isEqualTo(Plots.decisionBoundary("he: train accuracy 97.5 % after 1000 iterations", x, y, 2,
				prediction, confidence, probability, points, labels));
		Document document = SvgDocuments.parse(svg);
		assertThat(texts(svg)).contains("he: train accuracy 97.5 % after 1000 iterations", "x1", "x2", "class 0",
				"class 1");
		assertThat(document.getElementsByTagNameNS(SVG_NS, "circle").getLength()).isEqualTo(1000);
		NodeList images = document.getElementsByTagNameNS(SVG_NS, "image");
		assertThat(images.getLength()).isOne();
		String href = ((org.w3c.dom.Element) images.item(0)).getAttributeNS("http://www.w3.org/1999/xlink", "href");
		assertThat(href).startsWith("data:image/png;base64,");
		java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(new ByteArrayInputStream(
				java.util.Base64.getDecoder().decode(href.substring("data:image/png;base64,".length()))));
		assertThat(png.getWidth()).isEqualTo(n);
		assertThat(png.getHeight()).isEqualTo(n);
		assertThat(png.getColorModel()).isInstanceOf(java.awt.image.IndexColorModel.class);
		for (int row = 0; row < n; row += 7) {
			for (int i = 0; i < n; i += 7) {
				java.awt.Color c = new java.awt.Color(png.getRGB(i, row));
				// class 0 in blue (tab:blue), class 1 in orange (tab:orange)
				boolean orange = c.getRed() > c.getBlue();
				assertThat(orange).as("pixel (%d, %d)", i, row).isEqualTo(prediction[n - 1 - row][i] == 1);
			}
		}
		// the 0.5 contour is one more path than a softmax picture of the same grid has
		String softmax = Plots.decisionBoundary("t", x, y, 2, prediction, confidence, null, points, labels);
		assertThat(document.getElementsByTagNameNS(SVG_NS, "path").getLength())
			.isEqualTo(SvgDocuments.parse(softmax).getElementsByTagNameNS(SVG_NS, "path").getLength() + 1);
	}

	@Test
	void theContourLiesWhereTheFieldCrossesTheLevel() {
		double[] x = { 0, 1, 2, 3 };
		double[] y = { 0, 1 };
		double[][] rising = { { 0, 1, 2, 3 }, { 0, 1, 2, 3 } };
		java.awt.geom.Rectangle2D bounds = Contour.of(x, y, rising, 1.5).getBounds2D();
		assertThat(bounds.getMinX()).isEqualTo(1.5);
		assertThat(bounds.getMaxX()).isEqualTo(1.5);
		assertThat(bounds.getMinY()).isEqualTo(0);
		assertThat(bounds.getMaxY()).isEqualTo(1);
		// a field at the level everywhere (a zero-init network's 0.5) is on one side
		double[][] flat = { { 0.5, 0.5, 0.5, 0.5 }, { 0.5, 0.5, 0.5, 0.5 } };
		assertThat(Contour.of(x, y, flat, 0.5).getPathIterator(null).isDone()).isTrue();
	}

	/**
	 * In a fresh JVM where nobody set {@code java.awt.headless}, using {@link Plots} sets
	 * it and rendering works without a display.
	 */
	@Test
	void rendersHeadlessInAFreshJvm() throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
				HeadlessProbe.class.getName());
		builder.environment().remove("DISPLAY");
		builder.environment().remove("JAVA_TOOL_OPTIONS");
		builder.redirectErrorStream(true);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("before=null", "after=true", "headless=true", "svg=true");
	}

	/** Run by {@link #rendersHeadlessInAFreshJvm()} in its own JVM. */
	static final class HeadlessProbe {

		public static void main(String[] args) {
			System.out.println("before=" + System.getProperty("java.awt.headless"));
			String svg = Plots.lineChart("t", "x", "y", List.of(series("s", 1, 2)), true, 200, 100);
			System.out.println("after=" + System.getProperty("java.awt.headless"));
			System.out.println("headless=" + GraphicsEnvironment.isHeadless());
			System.out.println("svg=" + svg.contains("<svg"));
		}

	}

	private static Series series(String label, double... y) {
		double[] x = new double[y.length];
		for (int i = 0; i < x.length; i++) {
			x[i] = i;
		}
		return new Series(label, x, y);
	}

	/** The content of every {@code <text>} element, in document order. */
	private static List<String> texts(String svg) throws Exception {
		NodeList nodes = SvgDocuments.parse(svg).getElementsByTagNameNS(SVG_NS, "text");
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			texts.add(nodes.item(i).getTextContent());
		}
		return texts;
	}

}
