package dev.initlab.models;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the per-architecture reference of {@code docs/ARCHITECTURES.md} from the
 * registry ({@link Architectures#all()}): for each architecture the library and version
 * followed, what is built, the config fields with their defaults and the
 * {@code library_default} rules by glob. The page holds this text between {@link #BEGIN}
 * and {@link #END}; {@code ArchitecturesReferenceTests} fails when the two differ and
 * rewrites the page with {@code -Dinitlab.docs.write=true}.
 */
final class ArchitecturesReference {

	static final String BEGIN = "<!-- BEGIN generated from dev.initlab.models.Architectures "
			+ "by ArchitecturesReferenceTests; do not edit by hand -->";

	static final String END = "<!-- END generated -->";

	private ArchitecturesReference() {
	}

	/** The generated section, markers excluded. */
	static String render(List<Architecture> architectures) {
		StringBuilder out = new StringBuilder();
		for (Architecture a : architectures) {
			out.append('\n').append(section(a));
		}
		return out.toString();
	}

	/** {@code page} with the text between the markers replaced by {@code generated}. */
	static String splice(String page, String generated) {
		int begin = page.indexOf(BEGIN);
		int end = page.indexOf(END);
		if (begin < 0 || end < begin) {
			throw new IllegalArgumentException("the page lacks the markers " + BEGIN + " ... " + END);
		}
		return page.substring(0, begin + BEGIN.length()) + "\n" + generated + "\n" + page.substring(end);
	}

	private static String section(Architecture a) {
		StringBuilder out = new StringBuilder();
		out.append("### ").append(a.name()).append("\n\n");
		out.append(code(a.description()))
			.append("; follows **")
			.append(a.library())
			.append(' ')
			.append(a.libraryVersion())
			.append("**.\n\n");
		List<ConfigField> used = a.config().stream().filter(f -> !f.ignored()).toList();
		List<ConfigField> ignored = a.config().stream().filter(ConfigField::ignored).toList();
		out.append("Config fields (the library's names and defaults):\n\n");
		out.append("| field | type | default | meaning |\n|---|---|---|---|\n");
		for (ConfigField f : used) {
			out.append("| ")
				.append(code(f.name()))
				.append(" | ")
				.append(type(f))
				.append(" | ")
				.append(code(value(f.defaultValue())))
				.append(" | ")
				.append(cell(f.description()))
				.append(" |\n");
		}
		if (!ignored.isEmpty()) {
			out.append("\nAccepted and ignored (they change no parameter): ")
				.append(ignored.stream()
					.map(f -> code(f.name()) + " (" + code(value(f.defaultValue())) + ")")
					.collect(Collectors.joining(", ")))
				.append(".\n");
		}
		out.append("\n`library_default` rules:\n\n| match | rule |\n|---|---|\n");
		for (Rule r : a.rules()) {
			out.append("| ").append(code(r.match())).append(" | ").append(cell(r.rule())).append(" |\n");
		}
		if (!a.parts().isEmpty()) {
			out.append("\nParts the recipes act on (`GET /api/v1/recipes`); residual-branch outputs are what "
					+ "`scaled_residual`, `skipinit` and the depth scalings touch:\n\n"
					+ "| match | part | residual output | stack |\n|---|---|---|---|\n");
			for (PartRule p : a.parts()) {
				String stack = (p.stack() != null)
						? p.stack().name().toLowerCase(java.util.Locale.ROOT) + (p.cross() ? " (cross-attention)" : "")
						: "";
				out.append("| ")
					.append(code(p.match()))
					.append(" | ")
					.append(p.part().wireName())
					.append(p.inOut() ? " (`[in, out]`)" : "")
					.append(" | ")
					.append(p.part().isResidualOutput() ? "yes" : "")
					.append(" | ")
					.append(stack)
					.append(" |\n");
			}
		}
		return out.toString();
	}

	private static String type(ConfigField f) {
		String type = f.type().wireName();
		if (!f.allowed().isEmpty()) {
			type += ": " + f.allowed().stream().map(v -> code(value(v))).collect(Collectors.joining(", "));
		}
		return cell(f.nullable() ? type + " or null" : type);
	}

	/**
	 * A default as JSON writes it: strings quoted, numbers without Java's exponent form.
	 */
	static String value(Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof String s) {
			return "\"" + s + "\"";
		}
		if (value instanceof Double d) {
			BigDecimal decimal = BigDecimal.valueOf(d).stripTrailingZeros();
			if (d != 0 && Math.abs(d) < 1e-3) {
				String unscaled = decimal.unscaledValue().toString();
				int exponent = unscaled.length() - 1 - decimal.scale();
				String mantissa = unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
				return mantissa + "e" + exponent;
			}
			String plain = decimal.toPlainString();
			return plain.contains(".") ? plain : plain + ".0";
		}
		if (value instanceof Collection<?> list) {
			return list.stream().map(ArchitecturesReference::value).collect(Collectors.joining(", ", "[", "]"));
		}
		return value.toString();
	}

	/** Inline code that survives backticks and table pipes in the text. */
	private static String code(String text) {
		String fence = text.contains("`") ? "`` " : "`";
		String closing = text.contains("`") ? " ``" : "`";
		return fence + text.replace("|", "\\|") + closing;
	}

	private static String cell(String text) {
		return text.replace("|", "\\|").replace("\n", " ");
	}

}
