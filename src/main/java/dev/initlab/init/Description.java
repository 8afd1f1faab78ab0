package dev.initlab.init;

import java.util.List;

/**
 * What a scheme is, written once, next to its constant: {@code GET /api/v1/schemes}
 * renders it, so the catalog, the docs and the code cannot drift.
 *
 * @param formula the formula exactly as the code computes it
 * @param paper authors, year, title and arXiv id (or venue), or {@code null} for a
 * framework convention without one
 * @param sameAs the PyTorch / Keras / JAX / TensorFlow equivalents, each with its
 * difference from this scheme where it has one
 */
record Description(String formula, String paper, List<String> sameAs) {

	Description {
		if (formula == null || formula.isBlank() || sameAs.isEmpty()) {
			throw new IllegalArgumentException("a scheme needs a formula and at least one 'same as' line");
		}
		sameAs = List.copyOf(sameAs);
	}

	static Description of(String formula, String paper, String... sameAs) {
		return new Description(formula, paper, List.of(sameAs));
	}

	/** The catalog's {@code reference}: the paper, then the "same as" lines. */
	String reference() {
		String same = "same as " + String.join("; ", this.sameAs);
		return (this.paper != null) ? this.paper + "; " + same : same;
	}

}
