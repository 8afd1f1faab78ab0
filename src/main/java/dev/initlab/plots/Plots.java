package dev.initlab.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.data.Range;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Line charts as standalone SVG documents: JFreeChart lays the chart out and draws it
 * onto Apache Batik's {@code Graphics2D} ({@link SvgRenderer}), which records the drawing
 * as SVG elements (text stays text).
 * <p>
 * The output is deterministic: the same arguments give the same bytes, on any thread (see
 * {@link SvgRenderer}). Layout uses the JVM's metrics for the logical font
 * {@code SansSerif}, so machines that map that font to different files may place text a
 * few pixels apart.
 * <p>
 * Works without a display: loading this class sets {@code java.awt.headless=true} unless
 * the property was already set.
 */
public final class Plots {

	static {
		if (System.getProperty("java.awt.headless") == null) {
			System.setProperty("java.awt.headless", "true");
		}
		// JFreeChart draws rotated text (the y axis label) as glyph outlines unless
		// told not to; as text it stays searchable, selectable and small. The switch
		// is global to JFreeChart, whose only user is this class.
		TextUtils.setUseDrawRotatedStringWorkaround(false);
	}

	static final int DEFAULT_WIDTH = 720;

	static final int DEFAULT_HEIGHT = 450;

	private static final String FONT_FAMILY = "SansSerif";

	/** matplotlib's "tab10" cycle: ten hues that stay apart, all readable on white. */
	private static final Color[] PALETTE = { new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
			new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
			new Color(0xbcbd22), new Color(0x17becf) };

	/**
	 * Solid, dashed, dotted, dash-dot; cycled together with the palette and marker
	 * shapes.
	 */
	private static final float[][] DASHES = { null, { 7f, 4f }, { 2f, 3f }, { 9f, 3f, 2f, 3f } };

	private static final Color GRID = new Color(0xdddddd);

	private static final Color MINOR_GRID = new Color(0xeeeeee);

	private Plots() {
	}

	/**
	 * A line chart with one line per series, markers at the points, labelled axes and a
	 * legend.
	 * @param title the chart title
	 * @param xLabel the x axis label
	 * @param yLabel the y axis label
	 * @param series the lines, drawn in order; duplicate labels get a " (2)", " (3)"...
	 * @param logY a base-10 log y axis; values that are not positive are left out
	 * @param width the width in pixels
	 * @param height the height in pixels
	 * @return a standalone SVG document
	 */
	public static String lineChart(String title, String xLabel, String yLabel, List<Series> series, boolean logY,
			int width, int height) {
		return render(title, xLabel, logY ? logAxis(yLabel) : linearAxis(yLabel), series, width, height);
	}

	/**
	 * The plots of {@code GET /api/v1/experiments/{id}/plots/{kind}.svg}: one line per
	 * policy over the recorded iterations.
	 * @param kind {@code loss} (log y), {@code accuracy} (training accuracy, 0 to 1) or
	 * {@code symmetry} (distinct hidden units)
	 * @param labels the policies' labels
	 * @param iterations per policy, the recorded iterations
	 * @param values per policy, the value at each recorded iteration
	 * @return a standalone SVG document
	 * @throws IllegalArgumentException for an unknown kind or lists of different sizes
	 */
	public static String experimentPlot(String kind, List<String> labels, List<int[]> iterations,
			List<double[]> values) {
		Objects.requireNonNull(kind, "kind");
		return experimentPlot(
				ExperimentPlot.byName(kind)
					.orElseThrow(() -> new IllegalArgumentException(
							"Unknown plot '" + kind + "'; the plots are " + String.join(", ", ExperimentPlot.names()))),
				labels, iterations, values);
	}

	/**
	 * The plots of {@code GET /api/v1/experiments/{id}/plots/{kind}.svg}: one line per
	 * policy over the recorded iterations.
	 * @param kind the plot
	 * @param labels the policies' labels
	 * @param iterations per policy, the recorded iterations
	 * @param values per policy, the value at each recorded iteration
	 * @return a standalone SVG document
	 * @throws IllegalArgumentException for lists of different sizes
	 */
	public static String experimentPlot(ExperimentPlot kind, List<String> labels, List<int[]> iterations,
			List<double[]> values) {
		Objects.requireNonNull(kind, "kind");
		requireSameSize(labels, iterations, "iterations");
		requireSameSize(labels, values, "values");
		List<Series> series = new ArrayList<>(labels.size());
		for (int i = 0; i < labels.size(); i++) {
			double[] x = Arrays.stream(iterations.get(i)).asDoubleStream().toArray();
			series.add(new Series(labels.get(i), x, values.get(i)));
		}
		return switch (kind) {
			case LOSS ->
				render("Loss by iteration", "iteration", logAxis("loss"), series, DEFAULT_WIDTH, DEFAULT_HEIGHT);
			case ACCURACY -> render("Training accuracy by iteration", "iteration", fractionAxis("training accuracy"),
					series, DEFAULT_WIDTH, DEFAULT_HEIGHT);
			case SYMMETRY -> render("Distinct hidden units by iteration", "iteration",
					countAxis("distinct hidden units"), series, DEFAULT_WIDTH, DEFAULT_HEIGHT);
		};
	}

	/**
	 * The plot of {@code POST /api/v1/propagation?format=svg}: activation std against
	 * depth, one line per policy, log y (vanishing and exploding signals span many
	 * decades).
	 * @param labels the policies' labels
	 * @param activationStdPerLayer per policy, the activation std of layers 1, 2, ...
	 * @return a standalone SVG document
	 */
	public static String propagationPlot(List<String> labels, List<double[]> activationStdPerLayer) {
		return propagationPlot(labels, activationStdPerLayer, "layer");
	}

	/**
	 * The plot of {@code POST /api/v1/propagation?format=svg} against what the stack
	 * counts: {@code layer} for a plain stack, {@code block} for a residual one (one
	 * point per block output).
	 * @param labels the policies' labels
	 * @param activationStdPerLayer per policy, the activation std of units 1, 2, ...
	 * @param unit what the x axis counts, e.g. {@code block}
	 * @return a standalone SVG document
	 */
	public static String propagationPlot(List<String> labels, List<double[]> activationStdPerLayer, String unit) {
		Objects.requireNonNull(unit, "unit");
		requireSameSize(labels, activationStdPerLayer, "activationStdPerLayer");
		List<Series> series = new ArrayList<>(labels.size());
		for (int i = 0; i < labels.size(); i++) {
			double[] y = activationStdPerLayer.get(i);
			double[] layer = new double[y.length];
			Arrays.setAll(layer, (l) -> l + 1);
			series.add(new Series(labels.get(i), layer, y));
		}
		return render("Activation std by " + unit, unit, logAxis("activation std"), series, DEFAULT_WIDTH,
				DEFAULT_HEIGHT);
	}

	/**
	 * The plot of {@code GET /api/v1/experiments/{id}/plots/boundary.svg}: a trained
	 * network's prediction over the input plane, the training points on top coloured by
	 * label (class k in the k-th colour of the palette), axes with ticks.
	 * <p>
	 * The plane is one embedded PNG, a pixel per grid point, rather than a rectangle per
	 * cell: 160,000 cells at the largest resolution would be megabytes of SVG, the PNG is
	 * tens of kilobytes. Its colours are buckets: each grid point takes its predicted
	 * class's colour, blended with white by how sure the network is (the predicted
	 * class's probability, from chance to 1, in up to 8 steps), so that an indexed PNG of
	 * at most 256 colours holds it and long runs of one colour compress well; the steps
	 * read as the bands of matplotlib's {@code contourf}. For a sigmoid output the 0.5
	 * contour (where the prediction flips) is drawn over it as one path, by marching
	 * squares.
	 * @param title the chart title
	 * @param x the grid's x coordinates, at least 2, evenly spaced, ascending
	 * @param y the grid's y coordinates, likewise
	 * @param classes the classes the network tells apart
	 * @param prediction {@code [j][i]} the predicted class at {@code (x[i], y[j])}
	 * @param confidence {@code [j][i]} the predicted class's probability
	 * @param probability {@code [j][i]} P(class 1) of a sigmoid output, whose 0.5 contour
	 * is drawn; null for none
	 * @param points the points to draw, {@code [n][2]}
	 * @param labels each point's class
	 * @return a standalone SVG document
	 */
	public static String decisionBoundary(String title, double[] x, double[] y, int classes, int[][] prediction,
			double[][] confidence, double[][] probability, double[][] points, int[] labels) {
		Objects.requireNonNull(title, "title");
		if (x.length < 2 || y.length < 2 || prediction.length != y.length || confidence.length != y.length) {
			throw new IllegalArgumentException("A grid needs at least 2 x 2 points and a row of predictions per y");
		}
		if (classes < 1 || classes > 256) {
			throw new IllegalArgumentException("1 to 256 classes are drawn, got " + classes);
		}
		if (points.length != labels.length) {
			throw new IllegalArgumentException(points.length + " points but " + labels.length + " labels");
		}
		NumberAxis xAxis = new NumberAxis("x1");
		NumberAxis yAxis = new NumberAxis("x2");
		for (NumberAxis axis : new NumberAxis[] { xAxis, yAxis }) {
			style(axis);
			axis.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
		}
		xAxis.setRange(x[0], x[x.length - 1]);
		yAxis.setRange(y[0], y[y.length - 1]);
		Color[] colours = new Color[classes];
		for (int c = 0; c < classes; c++) {
			colours[c] = pointColour(c);
		}
		XYPlot plot = new XYPlot(null, xAxis, yAxis, new XYLineAndShapeRenderer(false, true));
		plot.addAnnotation(new GridImage(shades(prediction, confidence, classes), x, y), false);
		if (probability != null) {
			plot.addAnnotation(new XYShapeAnnotation(Contour.of(x, y, probability, 0.5), new BasicStroke(1.5f),
					new Color(0x333333)), false);
		}
		plot.addAnnotation(new Points(points, labels, colours), false);
		int[] present = Arrays.stream(labels).distinct().sorted().toArray();
		LegendItemCollection legendItems = new LegendItemCollection();
		for (int c : present) {
			LegendItem item = new LegendItem("class " + c, null, null, null, new Ellipse2D.Double(-4, -4, 8, 8),
					colours[c]);
			legendItems.add(item);
		}
		plot.setFixedLegendItems(legendItems);
		plot.setBackgroundPaint(Color.WHITE);
		plot.setOutlinePaint(Color.GRAY);
		plot.setDomainGridlinesVisible(false);
		plot.setRangeGridlinesVisible(false);
		// a legend of classes while it stays short
		JFreeChart chart = new JFreeChart(title, new Font(FONT_FAMILY, Font.BOLD, 15), plot, present.length <= 10);
		chart.setBackgroundPaint(Color.WHITE);
		chart.setAntiAlias(true);
		LegendTitle legend = chart.getLegend();
		if (legend != null) {
			legend.setItemFont(new Font(FONT_FAMILY, Font.PLAIN, 12));
			legend.setBackgroundPaint(Color.WHITE);
			legend.setFrame(BlockBorder.NONE);
		}
		return SvgRenderer.render(chart, BOUNDARY_WIDTH, BOUNDARY_HEIGHT);
	}

	static final int BOUNDARY_WIDTH = 600;

	static final int BOUNDARY_HEIGHT = 560;

	/** Shades of a class colour, from chance (faint) to sure (strong). */
	private static final int MAX_SHADES = 8;

	/**
	 * One pixel per grid point, the top row the largest y, in an indexed colour model:
	 * class c's shade s at index c · shades + s.
	 */
	static BufferedImage shades(int[][] prediction, double[][] confidence, int classes) {
		int rows = prediction.length;
		int columns = prediction[0].length;
		int shades = Math.max(1, Math.min(MAX_SHADES, 256 / classes));
		int size = classes * shades;
		byte[] r = new byte[size];
		byte[] g = new byte[size];
		byte[] b = new byte[size];
		for (int c = 0; c < classes; c++) {
			for (int s = 0; s < shades; s++) {
				Color tint = tint(PALETTE[c % PALETTE.length], 0.12 + 0.4 * s / Math.max(1, shades - 1));
				r[c * shades + s] = (byte) tint.getRed();
				g[c * shades + s] = (byte) tint.getGreen();
				b[c * shades + s] = (byte) tint.getBlue();
			}
		}
		BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_BYTE_INDEXED,
				new IndexColorModel(8, size, r, g, b));
		byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
		double chance = 1.0 / classes;
		for (int j = 0; j < rows; j++) {
			int row = rows - 1 - j;
			for (int i = 0; i < columns; i++) {
				int c = Math.min(Math.max(prediction[j][i], 0), classes - 1);
				// from chance (0) to sure (1)
				double sure = (classes > 1) ? (confidence[j][i] - chance) / (1 - chance) : 1;
				int s = (int) Math.min(shades - 1, Math.max(0, Math.floor(sure * shades)));
				pixels[row * columns + i] = (byte) (c * shades + s);
			}
		}
		return image;
	}

	/** {@code colour} laid over white with opacity {@code alpha}. */
	private static Color tint(Color colour, double alpha) {
		return new Color((int) Math.round(255 + alpha * (colour.getRed() - 255)),
				(int) Math.round(255 + alpha * (colour.getGreen() - 255)),
				(int) Math.round(255 + alpha * (colour.getBlue() - 255)));
	}

	/** A training point's colour: its class's colour, a little darker than any shade. */
	private static Color pointColour(int label) {
		Color c = PALETTE[Math.floorMod(label, PALETTE.length)];
		return new Color((int) (c.getRed() * 0.8), (int) (c.getGreen() * 0.8), (int) (c.getBlue() * 0.8));
	}

	private static String render(String title, String xLabel, ValueAxis yAxis, List<Series> series, int width,
			int height) {
		Objects.requireNonNull(title, "title");
		Objects.requireNonNull(xLabel, "xLabel");
		Objects.requireNonNull(series, "series");
		if (width <= 0 || height <= 0) {
			throw new IllegalArgumentException("Plot size must be positive, got " + width + " x " + height);
		}
		XYSeriesCollection dataset = dataset(series, yAxis instanceof LogAxis);
		if (yAxis instanceof NumberAxis linear) {
			linear.setAutoRangeMinimumSize(minimumRange(DatasetUtils.findRangeBounds(dataset), 1e-6));
		}
		XYPlot plot = new XYPlot(dataset, xAxis(xLabel, series), yAxis, renderer(series.size()));
		plot.setBackgroundPaint(Color.WHITE);
		plot.setOutlinePaint(Color.GRAY);
		plot.setDomainGridlinePaint(GRID);
		plot.setRangeGridlinePaint(GRID);
		plot.setDomainGridlineStroke(new BasicStroke(1f));
		plot.setRangeGridlineStroke(new BasicStroke(1f));
		// Light gridlines at 2..9 x 10^k on log axes; linear axes have no minor ticks.
		plot.setRangeMinorGridlinesVisible(yAxis instanceof LogAxis);
		plot.setRangeMinorGridlinePaint(MINOR_GRID);
		plot.setRangeMinorGridlineStroke(new BasicStroke(0.5f));
		// First series at the bottom, as in the legend. Where two policies give the
		// same values (two random inits both keep every unit distinct), the later
		// one's dashes and marker let the earlier one show through.
		plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
		JFreeChart chart = new JFreeChart(title, new Font(FONT_FAMILY, Font.BOLD, 16), plot, true);
		chart.setBackgroundPaint(Color.WHITE);
		chart.setAntiAlias(true);
		LegendTitle legend = chart.getLegend();
		legend.setItemFont(new Font(FONT_FAMILY, Font.PLAIN, 12));
		legend.setBackgroundPaint(Color.WHITE);
		legend.setFrame(BlockBorder.NONE);

		return SvgRenderer.render(chart, width, height);
	}

	static XYSeriesCollection dataset(List<Series> series, boolean logY) {
		XYSeriesCollection dataset = new XYSeriesCollection();
		Set<String> keys = new HashSet<>();
		for (Series s : series) {
			String key = s.label();
			for (int n = 2; !keys.add(key); n++) {
				key = s.label() + " (" + n + ")";
			}
			// Unsorted, duplicates allowed: points are drawn in the order given.
			XYSeries line = new XYSeries(key, false, true);
			for (int i = 0; i < s.size(); i++) {
				double y = s.yAt(i);
				boolean drawable = Double.isFinite(y) && (!logY || y > 0);
				// A null y is a gap: the renderer joins no line to or from it.
				line.add(s.xAt(i), drawable ? Double.valueOf(y) : null, false);
			}
			dataset.addSeries(line);
		}
		return dataset;
	}

	/**
	 * Each series differs from the others in colour, dash pattern and marker shape, so
	 * that lines lying on top of each other stay distinguishable, in print as well.
	 */
	private static XYLineAndShapeRenderer renderer(int seriesCount) {
		XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
		for (int i = 0; i < seriesCount; i++) {
			renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
			float[] dash = DASHES[i % DASHES.length];
			renderer.setSeriesStroke(i,
					(dash != null) ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f)
							: new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
		}
		// A filled marker is enough; its outline would double the SVG size.
		renderer.setDrawOutlines(false);
		// Long enough to show a dash pattern in the legend.
		renderer.setLegendLine(new Line2D.Double(-12, 0, 12, 0));
		return renderer;
	}

	private static NumberAxis xAxis(String label, List<Series> series) {
		NumberAxis axis = new NumberAxis(label);
		style(axis);
		axis.setAutoRangeIncludesZero(false);
		// Keep the margin below iteration 0, so that its markers are not cut in half.
		axis.setAutoRangeStickyZero(false);
		boolean integral = series.stream()
			.flatMapToDouble((s) -> Arrays.stream(s.x()))
			.allMatch((x) -> x == Math.rint(x));
		axis.setStandardTickUnits(integral ? NumberAxis.createIntegerTickUnits(Locale.ROOT)
				: NumberAxis.createStandardTickUnits(Locale.ROOT));
		double lower = series.stream().flatMapToDouble((s) -> Arrays.stream(s.x())).min().orElse(0);
		double upper = series.stream().flatMapToDouble((s) -> Arrays.stream(s.x())).max().orElse(1);
		axis.setAutoRangeMinimumSize(minimumRange(new Range(lower, upper), integral ? 2 : 1e-6));
		return axis;
	}

	/**
	 * A tenth of the largest magnitude, so that a constant series gets a readable range
	 * (JFreeChart's default minimum, 1e-8, gives ticks like 0.69314718).
	 */
	private static double minimumRange(Range data, double floor) {
		if (data == null) {
			return floor;
		}
		double magnitude = Math.max(Math.abs(data.getLowerBound()), Math.abs(data.getUpperBound()));
		return Math.max(floor, 0.1 * magnitude);
	}

	private static NumberAxis linearAxis(String label) {
		NumberAxis axis = new NumberAxis(label);
		style(axis);
		axis.setAutoRangeIncludesZero(false);
		axis.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
		return axis;
	}

	/** 0 to 1, with a little room so that markers at 0 and 1 are not cut in half. */
	private static NumberAxis fractionAxis(String label) {
		NumberAxis axis = new NumberAxis(label);
		style(axis);
		axis.setRange(-0.03, 1.03);
		axis.setTickUnit(new NumberTickUnit(0.1, decimalFormat("0.0")));
		return axis;
	}

	/** Counts from zero, integer ticks. */
	private static NumberAxis countAxis(String label) {
		NumberAxis axis = new NumberAxis(label);
		style(axis);
		axis.setAutoRangeIncludesZero(true);
		axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
		return axis;
	}

	private static LogAxis logAxis(String label) {
		LogAxis axis = new ReadableLogAxis(label);
		style(axis);
		return axis;
	}

	private static void style(ValueAxis axis) {
		axis.setLabelFont(new Font(FONT_FAMILY, Font.PLAIN, 13));
		axis.setTickLabelFont(new Font(FONT_FAMILY, Font.PLAIN, 11));
		axis.setLabelPaint(Color.BLACK);
		axis.setTickLabelPaint(Color.DARK_GRAY);
	}

	private static DecimalFormat decimalFormat(String pattern) {
		return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
	}

	private static void requireSameSize(List<String> labels, List<?> other, String name) {
		Objects.requireNonNull(labels, "labels");
		Objects.requireNonNull(other, name);
		if (labels.size() != other.size()) {
			throw new IllegalArgumentException(
					labels.size() + " labels but " + other.size() + " entries in " + name + "; expected one per label");
		}
	}

}
