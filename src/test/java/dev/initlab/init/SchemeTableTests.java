package dev.initlab.init;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Adding a scheme is one enum constant plus one test-table row: every {@link Scheme}
 * constant must have a row, in {@link IidCases} (KS-tested against the exact
 * distribution, with moments and a negative control) when it draws iid elements, else in
 * {@link WholeTensorCases}. A constant without its row fails here, by name.
 */
class SchemeTableTests {

	private static final long SEED = 1_234_567L;

	static Set<Scheme> iidRows() {
		return IidCases.all().stream().map((c) -> scheme(c.init())).collect(Collectors.toSet());
	}

	static Set<Scheme> wholeTensorRows() {
		return WholeTensorCases.all().stream().map((c) -> scheme(c.init())).collect(Collectors.toSet());
	}

	private static Scheme scheme(InitSpec init) {
		return Scheme.byName(init.scheme()).orElseThrow(() -> new AssertionError("no scheme " + init.scheme()));
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(Scheme.class)
	void everySchemeHasATestRow(Scheme scheme) {
		boolean iid = iidRows().contains(scheme);
		boolean whole = wholeTensorRows().contains(scheme);
		assertThat(iid || whole)
			.as("scheme %s has no test row: add one to IidCases (iid elements) or WholeTensorCases", scheme.wireName())
			.isTrue();
		if (scheme.isVarianceScaling()) {
			assertThat(iid).as("variance-scaling scheme %s has no test row in IidCases", scheme.wireName()).isTrue();
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(Scheme.class)
	void everySchemeIsDescribedOnce(Scheme scheme) {
		// what the catalog shows comes from the constant: a formula, a reference with
		// at least one "same as" line, a distribution and a NumPy answer
		assertThat(scheme.formula()).isNotBlank();
		assertThat(scheme.reference()).contains("same as ");
		assertThat(scheme.distribution()).isNotBlank();
		assertThat(Scheme.byName(scheme.wireName())).contains(scheme);
		scheme.aliases().forEach((alias) -> assertThat(Scheme.byName(alias)).as(alias).contains(scheme));
		if (scheme.isVarianceScaling()) {
			assertThat(scheme.isShapeDependent()).isFalse();
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(Scheme.class)
	void wireNamesAndAliasesAreUnique(Scheme scheme) {
		List<String> others = new ArrayList<>();
		for (Scheme s : Scheme.values()) {
			if (s != scheme) {
				others.add(s.wireName());
				others.addAll(s.aliases());
			}
		}
		assertThat(others).doesNotContain(scheme.wireName());
		scheme.aliases().forEach((alias) -> assertThat(others).doesNotContain(alias));
	}

	static List<WholeTensorCases.Case> wholeTensorCases() {
		return WholeTensorCases.all();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("wholeTensorCases")
	void wholeTensorRowResolvesAndFills(WholeTensorCases.Case c) {
		Initializer init = c.resolve();
		Map<String, Object> resolved = init.resolved();
		assertThat(List.copyOf(resolved.keySet())).as("keys, in order")
			.startsWith(c.expected().keySet().toArray(String[]::new));
		c.expected().forEach((key, value) -> assertThat(resolved.get(key)).as(key).isEqualTo(value));
		double[] w = c.fill(SEED);
		c.check().verify(w);
		if (c.deterministic()) {
			double mean = 0;
			for (double v : w) {
				mean += v;
			}
			mean /= w.length;
			double var = 0;
			for (double v : w) {
				var += (v - mean) * (v - mean);
			}
			assertThat(init.expectedMean()).isCloseTo(mean, within(1e-12));
			assertThat(init.expectedStd()).isCloseTo(Math.sqrt(var / w.length), within(1e-12));
		}
	}

}
