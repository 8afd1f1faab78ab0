package dev.initlab.plots;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;

import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;

/**
 * Labelled points, each a filled circle in its class's colour. Drawn as circles rather
 * than as a renderer's markers, which reach the SVG as four-curve paths: a
 * {@code <circle>} is a third of the bytes, which matters at a thousand points.
 */
final class Points extends AbstractXYAnnotation {

	private static final long serialVersionUID = 1L;

	private static final double RADIUS = 3;

	private final double[][] points;

	private final int[] labels;

	private final Color[] colours;

	/**
	 * @param points {@code [n][2]}
	 * @param labels each point's class
	 * @param colours by class: labels are indices into it
	 */
	Points(double[][] points, int[] labels, Color[] colours) {
		this.points = points;
		this.labels = labels;
		this.colours = colours;
	}

	@Override
	public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
			int rendererIndex, PlotRenderingInfo info) {
		RectangleEdge xEdge = plot.getDomainAxisEdge();
		RectangleEdge yEdge = plot.getRangeAxisEdge();
		// class by class, so that each colour is set once and its circles share a group
		for (int c = 0; c < this.colours.length; c++) {
			g2.setPaint(this.colours[c]);
			for (int p = 0; p < this.points.length; p++) {
				if (this.labels[p] != c) {
					continue;
				}
				double x = domainAxis.valueToJava2D(this.points[p][0], dataArea, xEdge);
				double y = rangeAxis.valueToJava2D(this.points[p][1], dataArea, yEdge);
				g2.fill(new Ellipse2D.Double(x - RADIUS, y - RADIUS, 2 * RADIUS, 2 * RADIUS));
			}
		}
	}

}
