package dev.initlab.init;

import java.util.regex.Pattern;

/**
 * A glob over dot-separated tensor names, as {@code overrides} and architecture rules use
 * it: {@code *} matches within one part (any characters but {@code .}), {@code **}
 * matches any number of whole parts, zero included; everything else is literal. The glob
 * matches whole names: {@code transformer.h.*.attn.c_proj.weight}, {@code **.bias},
 * {@code layer1.**}.
 */
public final class NameGlob {

	private final String glob;

	private final Pattern pattern;

	private NameGlob(String glob, Pattern pattern) {
		this.glob = glob;
		this.pattern = pattern;
	}

	/**
	 * @throws IllegalArgumentException for an empty glob
	 */
	public static NameGlob of(String glob) {
		if (glob == null || glob.isEmpty()) {
			throw new IllegalArgumentException("a glob must not be empty");
		}
		String[] parts = glob.split("\\.", -1);
		StringBuilder regex = new StringBuilder();
		boolean pendingDot = false;
		for (int i = 0; i < parts.length; i++) {
			String part = parts[i];
			if (part.equals("**")) {
				// any number of whole parts: "(?:[^.]+\.)*" before the next part, or
				// "(?:\.[^.]+)*" at the end
				if (i == parts.length - 1) {
					if (i == 0) {
						regex.append(".*");
					}
					else {
						regex.append("(?:\\.[^.]*)*");
					}
					pendingDot = false;
				}
				else {
					if (pendingDot) {
						regex.append("\\.");
					}
					regex.append("(?:[^.]*\\.)*");
					pendingDot = false;
				}
				continue;
			}
			if (pendingDot) {
				regex.append("\\.");
			}
			for (String literal : splitKeep(part)) {
				regex.append(literal.equals("*") ? "[^.]*" : Pattern.quote(literal));
			}
			pendingDot = true;
		}
		return new NameGlob(glob, Pattern.compile(regex.toString()));
	}

	/** {@code a*b*} as {@code a}, {@code *}, {@code b}, {@code *}. */
	private static String[] splitKeep(String part) {
		java.util.List<String> out = new java.util.ArrayList<>();
		StringBuilder literal = new StringBuilder();
		for (char c : part.toCharArray()) {
			if (c == '*') {
				if (!literal.isEmpty()) {
					out.add(literal.toString());
					literal.setLength(0);
				}
				out.add("*");
			}
			else {
				literal.append(c);
			}
		}
		if (!literal.isEmpty()) {
			out.add(literal.toString());
		}
		return out.toArray(String[]::new);
	}

	/** Whether the whole name matches. */
	public boolean matches(String name) {
		return this.pattern.matcher(name).matches();
	}

	@Override
	public String toString() {
		return this.glob;
	}

}
