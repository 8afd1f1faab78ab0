package dev.initlab.plots;

import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;

/**
 * An image laid over a rectangle of data space, each pixel one grid cell: pixel
 * {@code (i, r)} is centred on {@code (x[i], y[rows - 1 - r])}, so the image spans half a
 * cell beyond the first and last grid points (the plot's data area clips that half cell).
 * Drawn through an affine transform rather than rounded to whole pixels, so it lines up
 * with the axes exactly.
 */
final class GridImage extends AbstractXYAnnotation {

	private static final long serialVersionUID = 1L;

	private final transient BufferedImage image;

	private final double x0;

	private final double x1;

	private final double y0;

	private final double y1;

	/**
	 * @param image one pixel per grid point, the top row the largest y
	 * @param x the grid's x coordinates, evenly spaced, ascending
	 * @param y the grid's y coordinates, likewise
	 */
	GridImage(BufferedImage image, double[] x, double[] y) {
		this.image = image;
		double dx = (x[x.length - 1] - x[0]) / (x.length - 1);
		double dy = (y[y.length - 1] - y[0]) / (y.length - 1);
		this.x0 = x[0] - dx / 2;
		this.x1 = x[x.length - 1] + dx / 2;
		this.y0 = y[0] - dy / 2;
		this.y1 = y[y.length - 1] + dy / 2;
	}

	@Override
	public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
			int rendererIndex, PlotRenderingInfo info) {
		RectangleEdge xEdge = plot.getDomainAxisEdge();
		RectangleEdge yEdge = plot.getRangeAxisEdge();
		double left = domainAxis.valueToJava2D(this.x0, dataArea, xEdge);
		double right = domainAxis.valueToJava2D(this.x1, dataArea, xEdge);
		double top = rangeAxis.valueToJava2D(this.y1, dataArea, yEdge);
		double bottom = rangeAxis.valueToJava2D(this.y0, dataArea, yEdge);
		AffineTransform saved = g2.getTransform();
		g2.translate(left, top);
		g2.scale((right - left) / this.image.getWidth(), (bottom - top) / this.image.getHeight());
		g2.drawImage(this.image, 0, 0, null);
		g2.setTransform(saved);
	}

}
