package dev.initlab.plots;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;

/** An SVG answer parsed as the XML it must be (namespace-aware, no DOCTYPE accepted). */
public final class SvgDocuments {

	/** The SVG namespace every plot's root element is in. */
	public static final String SVG_NS = "http://www.w3.org/2000/svg";

	private SvgDocuments() {
	}

	public static Document parse(String svg) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
	}

}
