package dev.initlab.plots;

import java.math.BigDecimal;
import java.util.List;

import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.TextAnchor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Log-axis ticks at values a reader can name, whatever the range. */
class ReadableLogAxisTests {

	@Test
	void manyDecadesAreLabelledAsPowersOfTen() {
		assertThat(labels(1e-8, 1e3, 400)).containsExactly("10⁻⁸", "10⁻⁷", "10⁻⁶", "10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²",
				"10⁻¹", "10⁰", "10¹", "10²", "10³");
	}

	@Test
	void decadesThinOutWhenTheAxisIsShort() {
		// 11 decades in 100 px with 20 px between labels: every third decade.
		assertThat(labels(1e-8, 1e3, 100)).containsExactly("10⁻⁶", "10⁻³", "10⁰", "10³");
	}

	@Test
	void aLossCurveGetsOneTwoFiveTicks() {
		assertThat(labels(0.04, 0.9, 360)).containsExactly("0.05", "0.1", "0.2", "0.5");
	}

	@Test
	void lessThanADecadeGetsEveryDigit() {
		assertThat(labels(0.25, 0.9, 360)).containsExactly("0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9");
	}

	@Test
	void aSliverGetsRoundValues() {
		assertThat(labels(0.655, 0.715, 360)).containsExactly("0.66", "0.68", "0.7");
	}

	@Test
	void labelsArePlainDecimalsOrPowersOfTen() {
		assertThat(ReadableLogAxis.label(new BigDecimal("0.05"))).isEqualTo("0.05");
		assertThat(ReadableLogAxis.label(new BigDecimal("2E+3"))).isEqualTo("2000");
		assertThat(ReadableLogAxis.label(new BigDecimal("1E-8"))).isEqualTo("10⁻⁸");
		assertThat(ReadableLogAxis.label(new BigDecimal("5E-8"))).isEqualTo("5×10⁻⁸");
		assertThat(ReadableLogAxis.label(new BigDecimal("1E+5"))).isEqualTo("10⁵");
		assertThat(ReadableLogAxis.superscript(-1234567890)).isEqualTo("⁻¹²³⁴⁵⁶⁷⁸⁹⁰");
	}

	private static List<String> labels(double lower, double upper, double length) {
		ReadableLogAxis axis = new ReadableLogAxis("y");
		axis.setRange(lower, upper);
		List<NumberTick> ticks = axis.ticks(length, 20, TextAnchor.CENTER_RIGHT);
		return ticks.stream().filter((t) -> t.getTickType() == TickType.MAJOR).map(NumberTick::getText).toList();
	}

}
