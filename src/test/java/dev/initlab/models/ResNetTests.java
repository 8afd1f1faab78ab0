package dev.initlab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * torchvision's ResNets ({@link TorchvisionResNet}) against the fixtures torchvision 0.28
 * itself built ({@code reference/architectures/resnet.json}, family "resnet": resnet18 ..
 * resnet152, with {@code zero_init_residual} and {@code groups}/{@code width_per_group}
 * on resnet50 and resnet101).
 * <p>
 * Statistics, all with fixed seeds (so a pass stays a pass): the two-sample KS
 * comparisons run at {@link ArchitectureFixtures#FALSE_FAILURE_LEVEL} (1e-5) each, 66 of
 * them over the four sampled models (14 random groups in each resnet18, 19 in each
 * resnet50), so the class fails falsely with odds below 1 in 1 500. The whole-tensor std
 * checks compare the library's std over at least 1 000 values with the rule's std at 15 %
 * (more than 6 standard errors of a sample std, 1/sqrt(2n) ≤ 2.3 %): false-failure odds
 * below 1e-9 each.
 */
class ResNetTests {

	/** Our draws per tensor for the KS comparisons (the library gives 128 per tensor). */
	private static final int DRAWS = 1000;

	private static final long SEED = 20251205L;

	static Stream<FixtureModel> models() {
		return ArchitectureFixtures.family("resnet").stream();
	}

	static Stream<FixtureModel> sampledModels() {
		return models().filter(FixtureModel::hasSamples);
	}

	@Test
	void everyDepthIsRegisteredAndHasFixtures() {
		for (String depth : List.of("resnet18", "resnet34", "resnet50", "resnet101", "resnet152")) {
			Architecture a = Architectures.byName("torchvision/" + depth).orElseThrow();
			assertThat(a.library()).isEqualTo("torchvision");
			assertThat(ArchitectureFixtures.family("resnet").get(0).versions().get("torchvision"))
				.startsWith(a.libraryVersion());
			assertThat(ArchitectureFixtures.architecture(a.name())).hasSizeGreaterThanOrEqualTo(2);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void stateDictNamesShapesDtypesBuffersTiesAndCountsAreTheLibrarys(FixtureModel m) {
		assertThat(m.tieGroups()).isEmpty();
		assertStateDictIsTheLibrarys(m, build(m), (name) -> name.endsWith(".running_mean")
				|| name.endsWith(".running_var") || name.endsWith(".num_batches_tracked"));
	}

	/**
	 * Deterministic tensors (BN weights and biases, running statistics,
	 * num_batches_tracked, zero_init_residual's zeros) resolve to exactly the library's
	 * values, and the library's random tensors resolve to random initializers.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void deterministicTensorsAreExactlyTheLibrarys(FixtureModel m) {
		Map<String, ModelTensor> built = byName(build(m));
		int checked = 0;
		for (FixtureTensor lib : m.tensors()) {
			ModelTensor ours = built.get(lib.name());
			Initializer init = ModelSamples.libraryDefault(ours);
			if (lib.deterministic()) {
				double[] values = ModelSamples.draw(ours, init, SEED, (int) ours.spec().numel());
				assertThat(Arrays.stream(values).distinct().sorted().toArray()).as(lib.name())
					.containsExactly(lib.values());
				assertThat(init.expectedStd()).as(lib.name()).isZero();
				checked++;
			}
			else {
				assertThat(init.expectedStd()).as(lib.name()).isPositive();
				assertThat(init.expectedMean()).as(lib.name()).isZero();
			}
		}
		assertThat(checked).isGreaterThan(m.tensors().size() / 2);
		boolean zeroInit = m.resolvedConfig().get("zero_init_residual").asBoolean();
		String last = m.resolvedConfig().get("block").asString().equals("BasicBlock") ? "bn2" : "bn3";
		for (FixtureTensor lib : m.tensors()) {
			if (lib.name().matches("layer\\d\\.\\d+\\." + last + "\\.weight")) {
				assertThat(lib.values()).as(lib.name()).containsExactly(zeroInit ? 0.0 : 1.0);
			}
		}
	}

	/**
	 * Every random group (tensors differing only in block index; downsample.0 and .1 are
	 * told apart by their samples, as .1 is deterministic): the library's samples and
	 * ours, each divided by the std the rule gives its tensor, agree by KS.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("sampledModels")
	void randomGroupsMatchTheLibraryByKs(FixtureModel m) {
		int compared = FixtureAssertions.assertRandomGroupsMatchTheLibrary(m, SEED, DRAWS);
		assertThat(compared).isEqualTo(m.architecture().equals("torchvision/resnet18") ? 14 : 19);
	}

	/**
	 * The rule's std, computed here from the library's shape (kaiming fan_out: sqrt(2 /
	 * (out x kernel area)); fc: nn.Linear's U(±1/sqrt(fan_in)), std bound/sqrt(3)),
	 * equals the resolved initializer's, and the library's whole-tensor std (every model,
	 * samples or not) agrees with it.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void resolvedStdsAreTheRulesAndTheLibrarys(FixtureModel m) {
		Map<String, ModelTensor> built = byName(build(m));
		int checked = 0;
		for (FixtureTensor lib : m.tensors()) {
			if (lib.deterministic()) {
				continue;
			}
			Initializer init = ModelSamples.libraryDefault(built.get(lib.name()));
			double expected;
			if (lib.name().startsWith("fc.")) {
				expected = 1.0 / Math.sqrt(m.tensor("fc.weight").shape().get(1)) / Math.sqrt(3);
			}
			else {
				List<Long> s = lib.shape();
				expected = Math.sqrt(2.0 / (s.get(0) * s.get(2) * s.get(3)));
				assertThat(init.resolved()).containsEntry("mode", "fan_out").containsEntry("nonlinearity", "relu");
			}
			assertThat(init.expectedStd()).as(lib.name()).isCloseTo(expected, within(1e-12 * expected));
			if (lib.numel() >= 1000) {
				assertThat(lib.stats().std()).as(lib.name()).isCloseTo(expected, within(0.15 * expected));
				checked++;
			}
		}
		assertThat(checked).isPositive();
	}

	/**
	 * Negative control: the convs drawn with kaiming_normal's default mode fan_in instead
	 * of torchvision's fan_out are rejected by the same KS check (1) on every group where
	 * the check has the power for it: fans differing 16-fold or more (std off by x4: the
	 * stem conv1, fan_in 147, fan_out 3136, in every model), or fourfold or more (std x2)
	 * pooled over 3 tensors or more (384 library values; the Bottlenecks' conv3, fan_in =
	 * width, fan_out = 4 x planes). At std x2 the two CDFs differ by at most 0.16, which
	 * KS at 1e-5 detects from about 240 effective values on, not from one tensor's 128.
	 * (2) On the pool of every conv of the model whose fans differ at all (the
	 * BasicBlocks' stage-opening conv1 and downsample.0 differ only twofold, std x
	 * sqrt(2)). The correct rule passes on the same groups.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("sampledModels")
	void convsDrawnWithFanInAreRejected(FixtureModel m) {
		Map<String, ModelTensor> built = byName(build(m));
		Function<ModelTensor, Initializer> fanIn = (
				t) -> new InitSpec("kaiming_normal", Map.of("mode", "fan_in", "nonlinearity", "relu"))
					.resolve(t.spec());
		List<String> groups = new ArrayList<>();
		List<FixtureTensor> differing = new ArrayList<>();
		for (Map.Entry<String, List<FixtureTensor>> group : m.groups().entrySet()) {
			List<FixtureTensor> convs = group.getValue()
				.stream()
				.filter((t) -> t.sample() != null && t.shape().size() == 4)
				.toList();
			convs.stream().filter((t) -> fanRatio(t) > 1).forEach(differing::add);
			double ratio = convs.stream().mapToDouble(ResNetTests::fanRatio).min().orElse(1);
			if (!(ratio >= 16 || (ratio >= 4 && convs.size() >= 3))) {
				continue;
			}
			groups.add(group.getKey());
			double[][] pair = FixtureAssertions.standardized(convs, built, fanIn, SEED, DRAWS);
			assertThatExceptionOfType(AssertionError.class).as(group.getKey())
				.isThrownBy(() -> ArchitectureFixtures.assertSameDistribution(group.getKey(), pair[0], pair[1]));
			double[][] right = FixtureAssertions.standardized(convs, built, ModelSamples::libraryDefault, SEED, DRAWS);
			ArchitectureFixtures.assertSameDistribution(group.getKey(), right[0], right[1]);
		}
		assertThat(groups).contains("conv1.weight");
		if (m.architecture().equals("torchvision/resnet50")) {
			assertThat(groups).contains("layer1.*.conv3.weight", "layer4.*.conv3.weight");
		}
		double[][] pooled = FixtureAssertions.standardized(differing, built, fanIn, SEED, DRAWS);
		assertThatExceptionOfType(AssertionError.class).as("every conv whose fans differ")
			.isThrownBy(() -> ArchitectureFixtures.assertSameDistribution(m.id(), pooled[0], pooled[1]));
	}

	/** max(fan_in, fan_out) / min(fan_in, fan_out) of a conv weight. */
	private static double fanRatio(FixtureTensor conv) {
		List<Long> s = conv.shape();
		double in = s.get(1);
		double out = s.get(0);
		return Math.max(in, out) / Math.min(in, out);
	}

	/**
	 * pytorch_default is torch.nn's bare modules: Conv2d kaiming_uniform(a=sqrt(5)) =
	 * U(±1/sqrt(fan_in)), fan_in = in/groups x kernel area; BatchNorm2d 1, 0 and its
	 * buffers; Linear U(±1/sqrt(fan_in)) for weight and bias. fc's library_default is
	 * that same default.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void pytorchDefaultIsTheBareModules(FixtureModel m) {
		for (ModelTensor t : build(m)) {
			Initializer init = ModelSamples.pytorchDefault(t);
			int[] s = t.spec().shape();
			String name = t.name();
			assertThat(t.pytorchDefault().rule()).as(name).doesNotContain("null");
			if (s.length == 4) {
				double bound = 1.0 / Math.sqrt(s[1] * s[2] * s[3]);
				assertThat(init.resolved()).as(name).containsEntry("scheme", "kaiming_uniform");
				assertThat((double) init.resolved().get("bound")).as(name).isCloseTo(bound, within(1e-12 * bound));
				assertThat(t.pytorchDefault().rule()).as(name).startsWith("nn.Conv2d");
			}
			else if (name.startsWith("fc.")) {
				double bound = 1.0 / Math.sqrt(m.tensor("fc.weight").shape().get(1));
				assertThat(init.expectedStd()).as(name).isCloseTo(bound / Math.sqrt(3), within(1e-12));
				assertThat(init.resolved()).isEqualTo(ModelSamples.libraryDefault(t).resolved());
			}
			else {
				double value = (name.endsWith(".weight") || name.endsWith(".running_var")) ? 1.0 : 0.0;
				assertThat(ModelSamples.draw(t, init, SEED, (int) t.spec().numel())).as(name).containsOnly(value);
			}
		}
	}

	/**
	 * The catalog's rules cover every tensor once: exactly one rule's glob matches a
	 * name, and its text is what the tensor's library_default carries (before the
	 * filled-in numbers).
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void everyTensorsRuleIsInTheCatalog(FixtureModel m) {
		List<Rule> rules = architecture(m).rules();
		for (ModelTensor t : build(m)) {
			List<Rule> matches = rules.stream().filter((r) -> NameGlob.of(r.match()).matches(t.name())).toList();
			assertThat(matches).as(t.name()).hasSize(1);
			assertThat(t.libraryDefault().rule()).as(t.name()).startsWith(matches.get(0).rule());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void resolvedConfigIsTheLibrarys(FixtureModel m) {
		Architecture a = architecture(m);
		Map<String, Object> resolved = ModelConfig.parse(a.config(), config(m.config())).resolved();
		Map<String, Object> library = config(m.resolvedConfig());
		for (ConfigField f : a.config()) {
			if (!f.name().equals("progress")) {
				assertThat(resolved.get(f.name())).as(f.name()).isEqualTo(library.get(f.name()));
			}
		}
		TorchvisionResNet resnet = (TorchvisionResNet) a;
		assertThat(library).containsEntry("block", resnet.block().className())
			.containsEntry("layers", resnet.layers())
			.containsEntry("norm_layer", "BatchNorm2d");
	}

	@Test
	void defaultsAreResNetInitsSignature() {
		for (Architecture a : resnets()) {
			Map<String, Object> defaults = ModelConfig.parse(a.config(), null).resolved();
			Map<String, Object> expected = new LinkedHashMap<>();
			expected.put("num_classes", 1000);
			expected.put("zero_init_residual", false);
			expected.put("groups", 1);
			expected.put("width_per_group", 64);
			expected.put("replace_stride_with_dilation", null);
			expected.put("progress", true);
			assertThat(defaults).as(a.name()).containsExactlyEntriesOf(expected);
		}
		// resnet50 at its defaults: torchvision's 25 557 032 parameters
		Architecture r50 = Architectures.byName("torchvision/resnet50").orElseThrow();
		long parameters = r50.build(ModelConfig.parse(r50.config(), null))
			.stream()
			.filter((t) -> !t.kind().isBuffer())
			.mapToLong((t) -> t.spec().numel())
			.sum();
		assertThat(parameters).isEqualTo(25_557_032L);
	}

	static List<Architecture> resnets() {
		return Architectures.all().stream().filter((a) -> a instanceof TorchvisionResNet).toList();
	}

	static Stream<Arguments> impossibleConfigs() {
		return Stream.of(Arguments.of("resnet50", Map.of("unknown_field", 1), "unknown_field"),
				Arguments.of("resnet18", Map.of("norm_layer", "BatchNorm2d"), "norm_layer"),
				Arguments.of("resnet18", Map.of("weights", "DEFAULT"), "weights"),
				Arguments.of("resnet18", Map.of("groups", 2), "groups"),
				Arguments.of("resnet34", Map.of("width_per_group", 32), "width_per_group"),
				Arguments.of("resnet18", Map.of("groups", 0), "groups"),
				Arguments.of("resnet50", Map.of("groups", 0), "groups"),
				Arguments.of("resnet101", Map.of("groups", -2), "groups"),
				Arguments.of("resnet50", Map.of("width_per_group", 0), "width_per_group"),
				Arguments.of("resnet152", Map.of("width_per_group", -64), "width_per_group"),
				Arguments.of("resnet50", Map.of("num_classes", 0), "num_classes"),
				Arguments.of("resnet18", Map.of("num_classes", -1), "num_classes"),
				Arguments.of("resnet18", Map.of("num_classes", "ten"), "num_classes"),
				Arguments.of("resnet18", Map.of("zero_init_residual", 1), "zero_init_residual"),
				Arguments.of("resnet50", Map.of("replace_stride_with_dilation", List.of(false, false)),
						"replace_stride_with_dilation"),
				Arguments.of("resnet50", Map.of("replace_stride_with_dilation", List.of(1, 0, 1)),
						"replace_stride_with_dilation"),
				Arguments.of("resnet50", Map.of("replace_stride_with_dilation", true), "replace_stride_with_dilation"),
				Arguments.of("resnet18", Map.of("replace_stride_with_dilation", List.of(false, false, true)),
						"replace_stride_with_dilation"),
				Arguments.of("resnet50", Map.of("width_per_group", Integer.MAX_VALUE), "width_per_group"),
				Arguments.of("resnet101", Map.of("groups", 1 << 28), "groups"),
				Arguments.of("resnet50", Map.of("groups", 1 << 16, "width_per_group", 1 << 12), "groups"));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("impossibleConfigs")
	void impossibleConfigsAreRefusedNamingTheField(String depth, Map<String, Object> config, String field) {
		Architecture a = Architectures.byName("torchvision/" + depth).orElseThrow();
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> a.build(ModelConfig.parse(a.config(), config)))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(InvalidConfigException.Problem::field)
				.contains(field));
	}

	/**
	 * Dilation changes no parameter: resnet50 with [false, true, true] (torchvision's
	 * segmentation backbones) builds the same tensors; resnet18 accepts all-false.
	 */
	@Test
	void dilationIsAcceptedAndChangesNoParameter() {
		Architecture r50 = Architectures.byName("torchvision/resnet50").orElseThrow();
		List<ModelTensor> plain = r50.build(ModelConfig.parse(r50.config(), null));
		List<ModelTensor> dilated = r50.build(ModelConfig.parse(r50.config(),
				Map.of("replace_stride_with_dilation", List.of(false, true, true), "progress", false)));
		assertThat(dilated).isEqualTo(plain);
		Architecture r18 = Architectures.byName("torchvision/resnet18").orElseThrow();
		assertThat(r18.build(
				ModelConfig.parse(r18.config(), Map.of("replace_stride_with_dilation", List.of(false, false, false)))))
			.hasSize(122);
	}

}
