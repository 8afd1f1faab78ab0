package dev.initlab.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code docs/ARCHITECTURES.md} shows, for every architecture of the registry, what
 * {@link ArchitecturesReference} renders from it: the page cannot drift from the code.
 * Regenerate with
 * {@code ./mvnw -B -q -Dtest=ArchitecturesReferenceTests -Dinitlab.docs.write=true test}.
 */
class ArchitecturesReferenceTests {

	static final Path PAGE = Path.of("docs", "ARCHITECTURES.md");

	static final String REGENERATE = "./mvnw -B -q -Dtest=ArchitecturesReferenceTests -Dinitlab.docs.write=true test";

	@Test
	void thePageShowsTheRegistry() throws IOException {
		String page = Files.readString(PAGE, StandardCharsets.UTF_8);
		String expected = ArchitecturesReference.splice(page, ArchitecturesReference.render(Architectures.all()));
		if (Boolean.getBoolean("initlab.docs.write") && !expected.equals(page)) {
			Files.writeString(PAGE, expected, StandardCharsets.UTF_8);
			page = expected;
		}
		assertThat(page).as("docs/ARCHITECTURES.md is stale: run %s to regenerate", REGENERATE).isEqualTo(expected);
	}

	@Test
	void everyArchitectureHasItsVersionConfigAndRules() {
		String generated = ArchitecturesReference.render(Architectures.all());
		for (Architecture a : Architectures.all()) {
			assertThat(generated).contains("### " + a.name() + "\n", a.library() + " " + a.libraryVersion());
			a.config().forEach(f -> assertThat(generated).contains("`" + f.name() + "`"));
			a.rules().forEach(r -> assertThat(generated).contains("`" + r.match() + "`"));
		}
	}

	@Test
	void aChangedRegistryMakesThePageStale() {
		String page = "intro\n" + ArchitecturesReference.BEGIN + "\n" + "old" + "\n" + ArchitecturesReference.END
				+ "\noutro\n";
		String generated = ArchitecturesReference.render(java.util.List.of(Architectures.NANOGPT_GPT.architecture()));
		String spliced = ArchitecturesReference.splice(page, generated);
		assertThat(spliced).isNotEqualTo(page).startsWith("intro\n").endsWith("\noutro\n").contains("### nanogpt/GPT");
		assertThat(ArchitecturesReference.splice(spliced, generated)).isEqualTo(spliced);
		assertThatIllegalArgumentException().isThrownBy(() -> ArchitecturesReference.splice("no markers", generated));
	}

	@Test
	void defaultsReadAsJson() {
		assertThat(ArchitecturesReference.value(null)).isEqualTo("null");
		assertThat(ArchitecturesReference.value("gelu_new")).isEqualTo("\"gelu_new\"");
		assertThat(ArchitecturesReference.value(0.02)).isEqualTo("0.02");
		assertThat(ArchitecturesReference.value(1.0)).isEqualTo("1.0");
		assertThat(ArchitecturesReference.value(1e-5)).isEqualTo("1e-5");
		assertThat(ArchitecturesReference.value(1e-12)).isEqualTo("1e-12");
		assertThat(ArchitecturesReference.value(2.5e-6)).isEqualTo("2.5e-6");
		assertThat(ArchitecturesReference.value(java.util.List.of(false, true))).isEqualTo("[false, true]");
		assertThat(ArchitecturesReference.value(50257)).isEqualTo("50257");
	}

}
