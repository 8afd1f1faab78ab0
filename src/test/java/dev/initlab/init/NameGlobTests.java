package dev.initlab.init;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The glob of {@code overrides} and architecture rules, on whole dot-separated names. */
class NameGlobTests {

	@ParameterizedTest(name = "{0} ~ {1}: {2}")
	@CsvSource({ "transformer.h.*.attn.c_proj.weight, transformer.h.11.attn.c_proj.weight, true",
			"transformer.h.*.attn.c_proj.weight, transformer.h.1.2.attn.c_proj.weight, false",
			"transformer.*.c_proj.weight, transformer.h.1.attn.c_proj.weight, false", "**.bias, fc.bias, true",
			"**.bias, bias, true", "**.bias, a.b.c.bias, true", "**.bias, a.bias_hh, false", "layer1.**, layer1, true",
			"layer1.**, layer1.0.conv1.weight, true", "layer1.**, layer10.weight, false", "a.**.weight, a.weight, true",
			"a.**.weight, a.x.y.weight, true", "a.**.weight, ab.weight, false", "**, anything.at.all, true",
			"*, fc, true", "*, fc.weight, false", "*.weight, fc.weight, true", "ln_*.weight, ln_1.weight, true",
			"ln_*.weight, ln.weight, false", "*_proj.*, c_proj.bias, true", "fc.weight, fc.weight, true",
			"fc.weight, fcXweight, false", "fc[0].weight, fc[0].weight, true", "fc.weight, fc.weight.extra, false" })
	void matchesWholeNamesPartByPart(String glob, String name, boolean matches) {
		assertThat(NameGlob.of(glob).matches(name)).isEqualTo(matches);
	}

}
