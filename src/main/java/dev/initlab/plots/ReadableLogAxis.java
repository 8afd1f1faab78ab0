package dev.initlab.plots;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;

/**
 * A base-10 log axis whose ticks are values a reader can name, the way matplotlib places
 * them: whole decades ({@code 10⁻⁸ … 10³}) when the range spans several, 1-2-5 or 1…9
 * times a power of ten when it spans one or two, and evenly spaced round values when it
 * is narrower still (a loss stuck near 0.693).
 * <p>
 * {@link LogAxis} itself steps in equal fractions of a decade ({@code 10^-0.1, 10^-0.2})
 * and draws its superscripts as glyph outlines; these labels are plain strings (Unicode
 * superscripts), so they stay {@code <text>} in SVG.
 */
final class ReadableLogAxis extends LogAxis {

	private static final int[] ONE_TWO_FIVE = { 1, 2, 5 };

	private static final int[] ALL_DIGITS = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

	/**
	 * The least auto range, in decades: a constant loss of 0.693 gets 0.55 to 0.87, not a
	 * sliver labelled 0.693147185.
	 */
	static final double MIN_DECADES = 0.2;

	/** Labelled ticks wanted before a finer scheme is tried. */
	private static final int MIN_LABELS = 3;

	ReadableLogAxis(String label) {
		super(label);
		setBase(10);
		setMinorTickMarksVisible(true);
	}

	@Override
	protected void autoAdjustRange() {
		super.autoAdjustRange();
		double a = Math.log10(getLowerBound());
		double b = Math.log10(getUpperBound());
		if (isAutoRange() && Double.isFinite(a) && Double.isFinite(b) && b - a < MIN_DECADES) {
			double centre = (a + b) / 2;
			setRange(new Range(Math.pow(10, centre - MIN_DECADES / 2), Math.pow(10, centre + MIN_DECADES / 2)), false,
					false);
		}
	}

	@Override
	protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
		TextAnchor anchor = (edge == RectangleEdge.RIGHT) ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT;
		double labelHeight = g2.getFontMetrics(getTickLabelFont()).getHeight();
		return ticks(dataArea.getHeight(), 1.5 * labelHeight, anchor);
	}

	@Override
	protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
		TextAnchor anchor = (edge == RectangleEdge.TOP) ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
		// Room for a label such as "5×10⁻⁸" side by side.
		double labelWidth = g2.getFontMetrics(getTickLabelFont()).stringWidth("5×10⁻⁸");
		return ticks(dataArea.getWidth(), 1.5 * labelWidth, anchor);
	}

	/**
	 * @param length the axis length in pixels
	 * @param minSpacing the least distance in pixels between two labelled ticks
	 * @param anchor where labels attach to their tick
	 */
	List<NumberTick> ticks(double length, double minSpacing, TextAnchor anchor) {
		double lower = getLowerBound();
		double upper = getUpperBound();
		List<NumberTick> ticks = new ArrayList<>();
		if (!(lower > 0) || !(upper > lower) || !Double.isFinite(upper) || !(length > 0)) {
			return ticks;
		}
		double a = Math.log10(lower);
		double b = Math.log10(upper);
		double pixelsPerDecade = length / (b - a);
		double minGap = minSpacing / pixelsPerDecade;
		int firstDecade = (int) Math.ceil(a - 1e-9);
		int lastDecade = (int) Math.floor(b + 1e-9);
		if (lastDecade - firstDecade + 1 >= MIN_LABELS) {
			addDecades(ticks, a, b, minGap, anchor);
			return ticks;
		}
		if (addMantissas(ticks, ONE_TWO_FIVE, Math.log10(2.5 / 2), a, b, minGap, anchor)
				|| addMantissas(ticks, ALL_DIGITS, Math.log10(10.0 / 9), a, b, minGap, anchor)) {
			return ticks;
		}
		addLinear(ticks, lower, upper, anchor);
		return ticks;
	}

	/**
	 * Labels every step-th decade, step from 1, 2, 3, 5, 10, 20, ...; minor ticks
	 * between.
	 */
	private void addDecades(List<NumberTick> ticks, double a, double b, double minGap, TextAnchor anchor) {
		int step = 1;
		while (step < minGap) {
			step = nextStep(step);
		}
		// Minor ticks at 2..9 x 10^k only where a decade is tall enough to hold them.
		boolean digitMinors = step == 1 && Math.log10(10.0 / 9) >= minGap / 4;
		for (int k = (int) Math.floor(a); k <= (int) Math.ceil(b); k++) {
			String label = (Math.floorMod(k, step) == 0) ? "10" + superscript(k) : null;
			add(ticks, BigDecimal.ONE.scaleByPowerOfTen(k), label, a, b, anchor);
			if (digitMinors) {
				for (int m = 2; m <= 9; m++) {
					add(ticks, BigDecimal.valueOf(m).scaleByPowerOfTen(k), null, a, b, anchor);
				}
			}
		}
	}

	private static int nextStep(int step) {
		return switch (step) {
			case 1 -> 2;
			case 2 -> 3;
			case 3 -> 5;
			default -> step * 2;
		};
	}

	/**
	 * Labels m × 10^k for m in the mantissas, if that gives at least {@link #MIN_LABELS}
	 * labels spaced at least minGap decades apart; the other digits become minor ticks.
	 */
	private boolean addMantissas(List<NumberTick> ticks, int[] mantissas, double gap, double a, double b, double minGap,
			TextAnchor anchor) {
		if (gap < minGap) {
			return false;
		}
		List<NumberTick> candidate = new ArrayList<>();
		int labels = 0;
		for (int k = (int) Math.floor(a); k <= (int) Math.floor(b); k++) {
			for (int m = 1; m <= 9; m++) {
				BigDecimal value = BigDecimal.valueOf(m).scaleByPowerOfTen(k);
				String label = contains(mantissas, m) ? label(value) : null;
				if (add(candidate, value, label, a, b, anchor) && label != null) {
					labels++;
				}
			}
		}
		if (labels < MIN_LABELS) {
			return false;
		}
		ticks.addAll(candidate);
		return true;
	}

	/**
	 * Round values evenly spaced: about five labels at 1, 2 or 5 times a power of ten.
	 */
	private void addLinear(List<NumberTick> ticks, double lower, double upper, TextAnchor anchor) {
		double raw = (upper - lower) / 5;
		int exponent = (int) Math.floor(Math.log10(raw));
		int mantissa = 10;
		for (int m : ONE_TWO_FIVE) {
			if (m * Math.pow(10, exponent) >= raw) {
				mantissa = m;
				break;
			}
		}
		BigDecimal step = BigDecimal.valueOf(mantissa).scaleByPowerOfTen(exponent);
		double a = Math.log10(lower);
		double b = Math.log10(upper);
		for (long i = (long) Math.ceil(lower / step.doubleValue()); i * step.doubleValue() <= upper; i++) {
			BigDecimal value = step.multiply(BigDecimal.valueOf(i));
			add(ticks, value, label(value), a, b, anchor);
		}
	}

	/**
	 * Adds the tick if log10(value) lies in [a, b]; returns whether it did.
	 * @param label the label of a major tick, null for a minor one
	 */
	private static boolean add(List<NumberTick> ticks, BigDecimal value, String label, double a, double b,
			TextAnchor anchor) {
		double v = value.doubleValue();
		double log = Math.log10(v);
		if (!(v > 0) || log < a - 1e-12 || log > b + 1e-12) {
			return false;
		}
		TickType type = (label != null) ? TickType.MAJOR : TickType.MINOR;
		ticks.add(new NumberTick(type, v, (label != null) ? label : "", anchor, anchor, 0.0));
		return true;
	}

	/**
	 * Plain decimals from 0.0001 to 99999 ({@code 0.05}, {@code 2000}); otherwise
	 * {@code 10⁻⁸} or {@code 5×10⁻⁸}.
	 */
	static String label(BigDecimal value) {
		BigDecimal v = value.stripTrailingZeros();
		int exponent = v.precision() - v.scale() - 1;
		if (exponent >= -4 && exponent <= 4) {
			return v.toPlainString();
		}
		BigDecimal mantissa = v.movePointLeft(exponent).stripTrailingZeros();
		String power = "10" + superscript(exponent);
		return (mantissa.compareTo(BigDecimal.ONE) == 0) ? power : mantissa.toPlainString() + "×" + power;
	}

	static String superscript(int exponent) {
		String digits = Integer.toString(exponent);
		StringBuilder out = new StringBuilder(digits.length());
		for (char c : digits.toCharArray()) {
			out.append(switch (c) {
				case '-' -> '⁻';
				case '1' -> '¹';
				case '2' -> '²';
				case '3' -> '³';
				default -> (char) ('⁰' + (c - '0'));
			});
		}
		return out.toString();
	}

	private static boolean contains(int[] values, int value) {
		for (int v : values) {
			if (v == value) {
				return true;
			}
		}
		return false;
	}

}
