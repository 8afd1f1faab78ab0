package dev.initlab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Initializer;
import dev.initlab.init.NameGlob;
import dev.initlab.models.ArchitectureFixtures.FixtureModel;
import dev.initlab.models.ArchitectureFixtures.FixtureTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.initlab.models.FixtureAssertions.architecture;
import static dev.initlab.models.FixtureAssertions.assertStateDictIsTheLibrarys;
import static dev.initlab.models.FixtureAssertions.build;
import static dev.initlab.models.FixtureAssertions.byName;
import static dev.initlab.models.FixtureAssertions.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Fixup's ResNets ({@link FixupResNet}) against what the reference implementation itself
 * built ({@code reference/architectures/fixup.json}, family "fixup": hongyi-zhang/Fixup's
 * {@code fixup_resnet18} .. {@code fixup_resnet152} at num_classes 10 and 1000, imported
 * from a checkout by {@code make_architectures.py}; samples for both resnet18s and the
 * first resnet50, names, shapes, deterministic values and whole-tensor stats for all).
 * <p>
 * Statistics, all with fixed seeds (so a pass stays a pass): the two-sample KS
 * comparisons run at {@link ArchitectureFixtures#FALSE_FAILURE_LEVEL} (1e-5) each; the
 * passing ones number 29 in {@link #randomGroupsMatchTheLibraryByKs} (8 random groups in
 * each resnet18, 13 in the resnet50) and 3 in the negative control, so the class fails
 * falsely with odds below 1 in 3 000. The whole-tensor std checks compare the library's
 * std over at least 4 096 values with the formula's at 10 % (more than 9 standard errors
 * of a sample std, 1/sqrt(2n) ≤ 1.1 %): false-failure odds below 1e-18 each.
 */
class FixupResNetTests {

	/** Our draws per tensor for the KS comparisons (the library gives 128 per tensor). */
	private static final int DRAWS = 1000;

	private static final long SEED = 20251205L;

	private static final List<String> DEPTHS = List.of("resnet18", "resnet34", "resnet50", "resnet101", "resnet152");

	static Stream<FixtureModel> models() {
		return ArchitectureFixtures.family("fixup").stream();
	}

	static Stream<FixtureModel> sampledModels() {
		return models().filter(FixtureModel::hasSamples);
	}

	@Test
	void everyDepthIsRegisteredAtTheFixturesCommitAndLayout() {
		assertThat(sampledModels().map(FixtureModel::architecture)).contains("fixup/resnet18", "fixup/resnet50");
		for (String depth : DEPTHS) {
			Architecture a = Architectures.byName("fixup/" + depth).orElseThrow();
			assertThat(a.library()).isEqualTo("fixup");
			List<FixtureModel> fixtures = ArchitectureFixtures.architecture(a.name());
			assertThat(fixtures).hasSizeGreaterThanOrEqualTo(2);
			assertThat(fixtures.get(0).versions()).containsEntry("fixup_commit", a.libraryVersion());
			ResNetLayout layout = ((FixupResNet) a).layout();
			for (FixtureModel m : fixtures) {
				Map<String, Object> library = config(m.resolvedConfig());
				assertThat(library).containsEntry("block", FixupResNet.className(layout))
					.containsEntry("layers", layout.layers())
					.containsEntry("num_layers", FixupResNet.numLayers(layout));
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void stateDictNamesShapesDtypesAndCountsAreTheLibrarys(FixtureModel m) {
		assertThat(m.tieGroups()).isEmpty();
		List<ModelTensor> built = build(m);
		assertStateDictIsTheLibrarys(m, built);
		// no batch norm anywhere; the scalars are [1] and the downsample a bare conv
		assertThat(built).noneMatch((t) -> t.name().contains("bn") || t.name().contains("downsample.0"));
		assertThat(built.stream().filter((t) -> t.spec().shape().length == 1 && t.spec().shape()[0] == 1))
			.hasSize(2 + blocks(m) * (bottleneck(m) ? 7 : 5));
	}

	/**
	 * Deterministic tensors (the scalar biases and multipliers, the last conv of each
	 * branch, fc's weight and bias) resolve to exactly the library's values, the
	 * library's random tensors to random initializers, and the library's deterministic
	 * tensors are exactly those the rule says.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void deterministicTensorsAreExactlyTheLibrarys(FixtureModel m) {
		Map<String, ModelTensor> built = byName(build(m));
		String last = bottleneck(m) ? "conv3" : "conv2";
		for (FixtureTensor lib : m.tensors()) {
			ModelTensor ours = built.get(lib.name());
			Initializer init = ModelSamples.libraryDefault(ours);
			String leaf = lib.name().substring(lib.name().lastIndexOf('.') + 1);
			boolean zero = lib.name().matches("layer\\d\\.\\d+\\." + last + "\\.weight") || lib.name().startsWith("fc.")
					|| leaf.startsWith("bias");
			assertThat(lib.deterministic()).as(lib.name()).isEqualTo(zero || leaf.equals("scale"));
			if (lib.deterministic()) {
				assertThat(lib.values()).as(lib.name()).containsExactly(zero ? 0.0 : 1.0);
				double[] values = ModelSamples.draw(ours, init, SEED, (int) ours.spec().numel());
				assertThat(Arrays.stream(values).distinct().sorted().toArray()).as(lib.name())
					.containsExactly(lib.values());
				assertThat(init.expectedStd()).as(lib.name()).isZero();
			}
			else {
				assertThat(init.expectedStd()).as(lib.name()).isPositive();
				assertThat(init.expectedMean()).as(lib.name()).isZero();
			}
		}
	}

	/**
	 * Every random group (the stem conv, each stage's branch convs and its downsample):
	 * the library's samples and ours, each divided by the std the rule gives its tensor,
	 * agree by KS.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("sampledModels")
	void randomGroupsMatchTheLibraryByKs(FixtureModel m) {
		int compared = FixtureAssertions.assertRandomGroupsMatchTheLibrary(m, SEED, DRAWS);
		assertThat(compared).isEqualTo(bottleneck(m) ? 13 : 8);
	}

	/**
	 * The std of each random tensor, computed here from the library's shape: the stem
	 * U(±1/sqrt(fan_in)) (std bound/sqrt(3)); downsample sqrt(2/fan_out); the branch
	 * convs L^(-1/(2m-2)) x sqrt(2/fan_out), L = num_layers, m = 2 or 3, fan_out =
	 * out_channels x kernel area. The resolved initializer has exactly it and the
	 * library's whole-tensor std (every model, samples or not) agrees with it.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void resolvedStdsAreTheFormulaAndTheLibrarys(FixtureModel m) {
		Map<String, ModelTensor> built = byName(build(m));
		int numLayers = m.resolvedConfig().get("num_layers").asInt();
		int branchLayers = bottleneck(m) ? 3 : 2;
		int checked = 0;
		for (FixtureTensor lib : m.tensors()) {
			if (lib.deterministic()) {
				continue;
			}
			List<Long> s = lib.shape();
			double fanOut = s.get(0) * s.get(2) * s.get(3);
			double expected;
			if (lib.name().equals("conv1.weight")) {
				expected = 1.0 / Math.sqrt(s.get(1) * s.get(2) * s.get(3)) / Math.sqrt(3);
			}
			else if (lib.name().endsWith(".downsample.weight")) {
				expected = Math.sqrt(2.0 / fanOut);
			}
			else {
				expected = Math.pow(numLayers, -1.0 / (2 * branchLayers - 2)) * Math.sqrt(2.0 / fanOut);
			}
			Initializer init = ModelSamples.libraryDefault(built.get(lib.name()));
			assertThat(init.expectedStd()).as(lib.name()).isCloseTo(expected, within(1e-12 * expected));
			assertThat(lib.numel()).isGreaterThanOrEqualTo(4096);
			assertThat(lib.stats().std()).as(lib.name()).isCloseTo(expected, within(0.10 * expected));
			assertThat(lib.stats().mean()).as(lib.name()).isCloseTo(0.0, within(0.1 * expected));
			checked++;
		}
		assertThat(checked).isEqualTo(1 + blocks(m) * (branchLayers - 1) + 4 - (bottleneck(m) ? 0 : 1));
	}

	/**
	 * Golden values, as Python prints them for the reference's formula
	 * ({@code np.sqrt(2 / (64 * 9)) * 8 ** (-0.5)}, {@code np.sqrt(2 / (64 * 9)) *
	 * 16 ** (-0.25)}, {@code np.sqrt(2 / 256)}): resnet18's first branch conv, resnet50's
	 * first 3x3 branch conv and resnet50's first downsample.
	 */
	@Test
	void goldenStdsAreTheReferencesNumbers() {
		assertThat(std("resnet18", "layer1.0.conv1.weight")).isCloseTo(0.020833333333333336, within(1e-17));
		assertThat(std("resnet50", "layer1.0.conv2.weight")).isCloseTo(0.02946278254943948, within(1e-17));
		assertThat(std("resnet50", "layer1.0.downsample.weight")).isCloseTo(0.08838834764831845, within(1e-17));
	}

	/**
	 * Negative control: the branch convs drawn at the unscaled He std sqrt(2/fan_out)
	 * (Fixup without its L^(-1/(2m-2)): std x sqrt(8) = 2.83 for resnet18, x2 for
	 * resnet50) are rejected by the same KS check, pooled over every branch conv of the
	 * model (1024 library values against 8000 of ours for resnet18, 4096 against 32000
	 * for resnet50: the normal CDFs differ by up to 0.23 at x2.83 and 0.16 at x2, KS's
	 * threshold at 1e-5 is 0.082 and 0.041), and for resnet18 in each stage's group on
	 * its own (256 library values against 2000 of ours: CDFs 0.23 apart, threshold
	 * 0.164). The correct rule passes on the same pool.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("sampledModels")
	void branchConvsWithoutTheDepthScalingAreRejected(FixtureModel m) {
		Map<String, ModelTensor> built = byName(build(m));
		Function<ModelTensor, Initializer> unscaled = (
				t) -> new InitSpec("kaiming_normal", Map.of("mode", "fan_out", "nonlinearity", "relu"))
					.resolve(t.spec());
		List<FixtureTensor> branch = new ArrayList<>();
		for (Map.Entry<String, List<FixtureTensor>> group : m.groups().entrySet()) {
			List<FixtureTensor> convs = group.getValue()
				.stream()
				.filter((t) -> t.sample() != null && t.name().startsWith("layer") && !t.name().contains("downsample"))
				.toList();
			if (convs.isEmpty()) {
				continue;
			}
			branch.addAll(convs);
			if (!bottleneck(m)) {
				double[][] wrong = FixtureAssertions.standardized(convs, built, unscaled, SEED, DRAWS);
				assertThatExceptionOfType(AssertionError.class).as(group.getKey())
					.isThrownBy(() -> ArchitectureFixtures.assertSameDistribution(group.getKey(), wrong[0], wrong[1]));
			}
		}
		assertThat(branch).hasSize(blocks(m) * (bottleneck(m) ? 2 : 1));
		double[][] wrong = FixtureAssertions.standardized(branch, built, unscaled, SEED, DRAWS);
		assertThat(wrong[1].length).isGreaterThanOrEqualTo(1024);
		assertThatExceptionOfType(AssertionError.class).as("every branch conv, unscaled")
			.isThrownBy(() -> ArchitectureFixtures.assertSameDistribution(m.id(), wrong[0], wrong[1]));
		double[][] right = FixtureAssertions.standardized(branch, built, ModelSamples::libraryDefault, SEED, DRAWS);
		ArchitectureFixtures.assertSameDistribution(m.id() + " every branch conv", right[0], right[1]);
	}

	/**
	 * pytorch_default is torch.nn's bare modules: Conv2d kaiming_uniform(a=sqrt(5)) =
	 * U(±1/sqrt(fan_in)); Linear U(±1/sqrt(fan_in)) for weight and bias; the scalar
	 * {@code nn.Parameter}s their construction values (zeros, {@code scale} ones). The
	 * stem conv's library_default is that same default.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void pytorchDefaultIsTheBareModules(FixtureModel m) {
		for (ModelTensor t : build(m)) {
			Initializer init = ModelSamples.pytorchDefault(t);
			int[] s = t.spec().shape();
			String name = t.name();
			if (s.length == 4) {
				double bound = 1.0 / Math.sqrt(s[1] * s[2] * s[3]);
				assertThat(init.resolved()).as(name).containsEntry("scheme", "kaiming_uniform");
				assertThat((double) init.resolved().get("bound")).as(name).isCloseTo(bound, within(1e-12 * bound));
				assertThat(t.pytorchDefault().rule()).as(name).startsWith("nn.Conv2d");
			}
			else if (name.startsWith("fc.")) {
				double bound = 1.0 / Math.sqrt(m.tensor("fc.weight").shape().get(1));
				assertThat(init.expectedStd()).as(name).isCloseTo(bound / Math.sqrt(3), within(1e-12));
				assertThat(t.pytorchDefault().rule()).as(name).startsWith("nn.Linear");
			}
			else {
				double value = name.endsWith(".scale") ? 1.0 : 0.0;
				assertThat(ModelSamples.draw(t, init, SEED, 1)).as(name).containsExactly(value);
				assertThat(t.pytorchDefault().rule()).as(name).startsWith("nn.Parameter(torch.");
			}
		}
		ModelTensor stem = byName(build(m)).get("conv1.weight");
		assertThat(ModelSamples.libraryDefault(stem).resolved())
			.isEqualTo(ModelSamples.pytorchDefault(stem).resolved());
	}

	/**
	 * The catalog's rules cover every tensor once: exactly one rule's glob matches a
	 * name, and its text is what the tensor's library_default carries (before the
	 * filled-in numbers); every rule matches some tensor.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void everyTensorsRuleIsInTheCatalog(FixtureModel m) {
		List<Rule> rules = architecture(m).rules();
		List<ModelTensor> built = build(m);
		for (ModelTensor t : built) {
			List<Rule> matches = rules.stream().filter((r) -> NameGlob.of(r.match()).matches(t.name())).toList();
			assertThat(matches).as(t.name()).hasSize(1);
			assertThat(t.libraryDefault().rule()).as(t.name()).startsWith(matches.get(0).rule());
		}
		for (Rule r : rules) {
			assertThat(built).as(r.match()).anyMatch((t) -> NameGlob.of(r.match()).matches(t.name()));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void resolvedConfigIsTheLibrarys(FixtureModel m) {
		Architecture a = architecture(m);
		Map<String, Object> resolved = ModelConfig.parse(a.config(), config(m.config())).resolved();
		assertThat(resolved).containsOnlyKeys("num_classes");
		assertThat(resolved.get("num_classes")).isEqualTo(m.resolvedConfig().get("num_classes").asInt());
	}

	@Test
	void defaultsAreFixupResNetInitsSignature() {
		for (String depth : DEPTHS) {
			Architecture a = Architectures.byName("fixup/" + depth).orElseThrow();
			assertThat(ModelConfig.parse(a.config(), null).resolved()).as(depth)
				.containsExactlyEntriesOf(Map.of("num_classes", 1000));
		}
	}

	static Stream<Arguments> impossibleConfigs() {
		return Stream.of(Arguments.of("resnet50", Map.of("unknown_field", 1), "unknown_field"),
				Arguments.of("resnet18", Map.of("zero_init_residual", true), "zero_init_residual"),
				Arguments.of("resnet50", Map.of("groups", 2), "groups"),
				Arguments.of("resnet18", Map.of("num_classes", 0), "num_classes"),
				Arguments.of("resnet152", Map.of("num_classes", -1), "num_classes"),
				Arguments.of("resnet34", Map.of("num_classes", "ten"), "num_classes"),
				Arguments.of("resnet101", Map.of("num_classes", 2.5), "num_classes"));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("impossibleConfigs")
	void impossibleConfigsAreRefusedNamingTheField(String depth, Map<String, Object> config, String field) {
		Architecture a = Architectures.byName("fixup/" + depth).orElseThrow();
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> a.build(ModelConfig.parse(a.config(), config)))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
				.contains(field));
	}

	private static double std(String depth, String name) {
		Architecture a = Architectures.byName("fixup/" + depth).orElseThrow();
		ModelTensor t = byName(a.build(ModelConfig.parse(a.config(), null))).get(name);
		return ModelSamples.libraryDefault(t).expectedStd();
	}

	private static boolean bottleneck(FixtureModel m) {
		return m.resolvedConfig().get("block").asString().equals("FixupBottleneck");
	}

	/** Residual blocks of the model: the paper's L. */
	private static int blocks(FixtureModel m) {
		return m.resolvedConfig().get("num_layers").asInt();
	}

}
