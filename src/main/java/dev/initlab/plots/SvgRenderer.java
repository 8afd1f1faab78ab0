package dev.initlab.plots;

import java.awt.Dimension;
import java.awt.Image;
import java.awt.Rectangle;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Base64;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.apache.batik.svggen.DefaultErrorHandler;
import org.apache.batik.svggen.DefaultExtensionHandler;
import org.apache.batik.svggen.DefaultImageHandler;
import org.apache.batik.svggen.DefaultStyleHandler;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.batik.svggen.SVGIDGenerator;
import org.jfree.chart.JFreeChart;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Draws a chart onto Apache Batik's {@code SVGGraphics2D}, which records each drawing
 * call as an SVG element in a DOM (text stays {@code <text>}), and writes that DOM as a
 * standalone document.
 * <p>
 * The bytes depend only on the chart and the JVM's font metrics, not on the call, the
 * thread or the platform: every call gets its own id counter ({@code clipPath1},
 * {@code clipPath2}...) and its own number format (Batik's default is one static
 * {@code DecimalFormat} shared by every context, and {@code DecimalFormat} is documented
 * as not thread-safe); no generator comment; and the JDK's serializer writes the DOM on
 * one line, where Batik's own writer would break lines with the platform's line separator
 * and add a DOCTYPE.
 */
final class SvgRenderer {

	private static final String SVG_NS = "http://www.w3.org/2000/svg";

	/** Decimal places of coordinates: a hundredth of a pixel. */
	private static final int PRECISION = 2;

	private SvgRenderer() {
	}

	/**
	 * @param chart the chart, laid out and drawn at {@code width x height}
	 * @return the SVG document: XML declaration, then an {@code <svg>} root with
	 * {@code width}, {@code height} and {@code viewBox="0 0 width height"}
	 */
	static String render(JFreeChart chart, int width, int height) {
		Document document = newDocument();
		SVGGraphics2D g2 = new SVGGraphics2D(new Context(document), false);
		g2.setSVGCanvasSize(new Dimension(width, height));
		chart.draw(g2, new Rectangle(0, 0, width, height));
		Element root = g2.getRoot(document.getDocumentElement());
		root.setAttribute("viewBox", "0 0 " + width + " " + height);
		root.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, XMLConstants.XMLNS_ATTRIBUTE, SVG_NS);
		StringWriter out = new StringWriter();
		out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		write(document, out);
		out.write('\n');
		return out.toString();
	}

	private static Document newDocument() {
		try {
			// The JDK's own DOM, whatever else is on the classpath.
			DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
			factory.setNamespaceAware(true);
			return factory.newDocumentBuilder().getDOMImplementation().createDocument(SVG_NS, "svg", null);
		}
		catch (ParserConfigurationException ex) {
			throw new IllegalStateException("The JDK's DOM cannot make a document", ex);
		}
	}

	private static void write(Document document, StringWriter out) {
		try {
			Transformer serializer = TransformerFactory.newDefaultInstance().newTransformer();
			serializer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
			serializer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
			serializer.setOutputProperty(OutputKeys.INDENT, "no");
			serializer.transform(new DOMSource(document), new StreamResult(out));
		}
		catch (TransformerException ex) {
			throw new IllegalStateException("The JDK's serializer cannot write the SVG document", ex);
		}
	}

	/**
	 * Embeds an image as a PNG {@code data:} URI written by the JDK's
	 * {@code javax.imageio}, keeping the image's own colour model (an indexed image stays
	 * an indexed PNG). Batik's own base64 handler redraws every image as ARGB and needs
	 * Batik's codec modules, which the build leaves out.
	 */
	private static final class PngDataUri extends DefaultImageHandler {

		private static final String XLINK_NS = "http://www.w3.org/1999/xlink";

		@Override
		protected void handleHREF(Image image, Element imageElement, SVGGeneratorContext context) {
			if (!(image instanceof RenderedImage rendered)) {
				throw new IllegalArgumentException("Only rendered images are embedded, got " + image.getClass());
			}
			handleHREF(rendered, imageElement, context);
		}

		@Override
		protected void handleHREF(RenderedImage image, Element imageElement, SVGGeneratorContext context) {
			ByteArrayOutputStream png = new ByteArrayOutputStream();
			// a memory cache: ImageIO.write would buffer through a temporary file
			ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
			try (ImageOutputStream out = new MemoryCacheImageOutputStream(png)) {
				writer.setOutput(out);
				writer.write(image);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot write the PNG into memory", ex);
			}
			finally {
				writer.dispose();
			}
			imageElement.setAttributeNS(XLINK_NS, "xlink:href",
					"data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()));
		}

	}

	/** Batik's defaults, less what would make two renderings of one chart differ. */
	private static final class Context extends SVGGeneratorContext {

		Context(Document document) {
			super(document);
			// As createDefault, less its comment.
			setIDGenerator(new SVGIDGenerator());
			setExtensionHandler(new DefaultExtensionHandler());
			setImageHandler(new PngDataUri());
			setStyleHandler(new DefaultStyleHandler());
			setErrorHandler(new DefaultErrorHandler());
			setPrecision(PRECISION);
			// After setPrecision, which installs the shared format.
			this.decimalFormat = new DecimalFormat("#." + "#".repeat(PRECISION),
					DecimalFormatSymbols.getInstance(Locale.ROOT));
		}

	}

}
