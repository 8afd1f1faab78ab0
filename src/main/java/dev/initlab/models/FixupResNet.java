package dev.initlab.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Role;

/**
 * Fixup's ImageNet ResNets {@code fixup_resnet18} ... {@code fixup_resnet152}, as the
 * reference implementation builds them (hongyi-zhang/Fixup, commit {@value #COMMIT},
 * {@code imagenet/models/fixup_resnet_imagenet.py}: {@code fixup_resnetNN(**config)} is
 * {@code FixupResNet(block, layers, **config)} with {@code FixupBasicBlock} [2, 2, 2, 2]
 * / [3, 4, 6, 3] or {@code FixupBottleneck} [3, 4, 6, 3] / [3, 4, 23, 3] / [3, 8, 36, 3],
 * the {@link ResNetLayout} torchvision's ResNets share). The file defines all five
 * depths.
 * <p>
 * Paper: H. Zhang, Y. N. Dauphin, T. Ma, "Fixup Initialization: Residual Learning Without
 * Normalization", ICLR 2019 (arXiv:1901.09321). With L residual branches of m layers
 * each, a branch's layers but its last are He-initialized and multiplied by
 * L^(-1/(2m-2)), its last layer and the classifier are zero, and scalar biases and a
 * scalar multiplier per branch replace batch norm.
 * <p>
 * state_dict (no batch norm; torch lists a module's own parameters before its children's,
 * so each module's scalars come first): the model's {@code bias1}, {@code bias2} (before
 * and after the pooling into {@code fc}), the stem {@code conv1} (7x7, 3 → 64, no bias);
 * per block of {@code layer1..4} its scalar {@code nn.Parameter}s of shape [1] in
 * registration order ({@code bias1a}, {@code bias1b}, {@code bias2a}, {@code scale},
 * {@code bias2b} for a FixupBasicBlock; {@code bias1a}, {@code bias1b}, {@code bias2a},
 * {@code bias2b}, {@code bias3a}, {@code scale}, {@code bias3b} for a FixupBottleneck),
 * then its bias-free convs and, in a stage's first block where {@code _make_layer} needs
 * one, {@code downsample}: a bare bias-free 1x1 conv (key {@code downsample.weight}, not
 * torchvision's {@code downsample.0}/{@code .1}); {@code fc}, an
 * {@code nn.Linear(512 * expansion, num_classes)}.
 * <p>
 * Initialization ({@code FixupResNet.__init__}), with L = {@code num_layers} =
 * {@code sum(layers)} (8 for resnet18, 16 for resnet34 and resnet50, 33 for resnet101, 50
 * for resnet152): a FixupBasicBlock's {@code conv1} (m = 2) and a FixupBottleneck's
 * {@code conv1} and {@code conv2} (m = 3) normal(0, sqrt(2 / (out_channels x kernel
 * area))) x L^(-1/(2m-2)), i.e. He by fan_out times L^(-1/2) or L^(-1/4); the last conv
 * of each branch ({@code conv2} / {@code conv3}) 0; {@code downsample} normal(0, sqrt(2 /
 * out_channels)), He by fan_out without depth scaling; {@code fc} weight and bias 0; the
 * stem {@code conv1} is not re-initialized and keeps nn.Conv2d's default; the scalars
 * keep their construction values (biases 0, {@code scale} 1). These are the
 * {@code library_default}; {@code pytorch_default} is the bare modules' own init (the
 * scalars the same, as {@code nn.Parameter} has no init of its own).
 * <p>
 * Config: {@code num_classes} (default 1000), at least 1. The file has no other option.
 */
final class FixupResNet extends LibraryArchitecture {

	/** The reference repository's commit this follows. */
	static final String COMMIT = "f3fa449fbb8906ccb7143cea822f8b964b3d9258";

	static final String BIAS = "FixupResNet: a scalar bias nn.Parameter(torch.zeros(1)), not re-initialized";

	static final String SCALE = "FixupResNet: the branch's scalar multiplier nn.Parameter(torch.ones(1)), "
			+ "not re-initialized";

	static final String STEM = "conv1 (stem): not re-initialized by FixupResNet.__init__, nn.Conv2d's default "
			+ "kaiming_uniform_(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in))";

	static final String BRANCH = "FixupResNet.__init__: a residual branch's conv before its last, "
			+ "normal(0, sqrt(2/(out_channels * kernel area)) * num_layers^(-1/(2m-2))), m = %d: num_layers^(%s)";

	static final String LAST = "FixupResNet.__init__: the last conv of each residual branch (%s of a %s) "
			+ "constant_(0)";

	static final String DOWNSAMPLE = "FixupResNet.__init__: downsample (a bare 1x1 conv) "
			+ "normal(0, sqrt(2/(out_channels * kernel area))), He by fan_out, not depth-scaled";

	static final String FC_WEIGHT = "FixupResNet.__init__: nn.Linear weight constant_(0)";

	static final String FC_BIAS = "FixupResNet.__init__: nn.Linear bias constant_(0)";

	/** FixupBasicBlock's scalar parameters in registration order (its state_dict's). */
	private static final List<String> BASIC_SCALARS = List.of("bias1a", "bias1b", "bias2a", "scale", "bias2b");

	/** FixupBottleneck's scalar parameters in registration order. */
	private static final List<String> BOTTLENECK_SCALARS = List.of("bias1a", "bias1b", "bias2a", "bias2b", "bias3a",
			"scale", "bias3b");

	private final ResNetLayout layout;

	private FixupResNet(ResNetLayout layout) {
		super("fixup", layout.depth(), COMMIT,
				"fixup_" + layout.depth() + "(**config): FixupResNet(" + className(layout) + ", " + layout.layers()
						+ ", **config) (hongyi-zhang/Fixup imagenet/models/fixup_resnet_imagenet.py)",
				List.of(ConfigField.integer("num_classes", 1000, "fc outputs: rows of fc.weight")), rules(layout));
		this.layout = layout;
	}

	static FixupResNet resnet18() {
		return new FixupResNet(ResNetLayout.RESNET18);
	}

	static FixupResNet resnet34() {
		return new FixupResNet(ResNetLayout.RESNET34);
	}

	static FixupResNet resnet50() {
		return new FixupResNet(ResNetLayout.RESNET50);
	}

	static FixupResNet resnet101() {
		return new FixupResNet(ResNetLayout.RESNET101);
	}

	static FixupResNet resnet152() {
		return new FixupResNet(ResNetLayout.RESNET152);
	}

	/** {@code FixupBasicBlock} or {@code FixupBottleneck}. */
	static String className(ResNetLayout layout) {
		return layout.bottleneck() ? "FixupBottleneck" : "FixupBasicBlock";
	}

	/** Layers per residual branch, the paper's m: 2 (basic block) or 3 (bottleneck). */
	static int branchLayers(ResNetLayout layout) {
		return layout.bottleneck() ? 3 : 2;
	}

	/** The paper's L: residual branches, {@code num_layers = sum(layers)}. */
	static int numLayers(ResNetLayout layout) {
		return layout.layers().stream().mapToInt(Integer::intValue).sum();
	}

	/** The depth, block kind and blocks per stage. */
	ResNetLayout layout() {
		return this.layout;
	}

	private static String branchRule(ResNetLayout layout) {
		return BRANCH.formatted(branchLayers(layout), layout.bottleneck() ? "-1/4" : "-1/2");
	}

	private static String lastRule(ResNetLayout layout) {
		return LAST.formatted(layout.bottleneck() ? "conv3" : "conv2", className(layout));
	}

	private static List<Rule> rules(ResNetLayout layout) {
		List<Rule> r = new ArrayList<>();
		r.add(new Rule("bias*", BIAS));
		r.add(new Rule("conv1.weight", STEM));
		r.add(new Rule("layer*.*.bias*", BIAS));
		r.add(new Rule("layer*.*.scale", SCALE));
		r.add(new Rule("layer*.*.conv1.weight", branchRule(layout)));
		if (layout.bottleneck()) {
			r.add(new Rule("layer*.*.conv2.weight", branchRule(layout)));
			r.add(new Rule("layer*.*.conv3.weight", lastRule(layout)));
		}
		else {
			r.add(new Rule("layer*.*.conv2.weight", lastRule(layout)));
		}
		r.add(new Rule("layer*.*.downsample.weight", DOWNSAMPLE));
		r.add(new Rule("fc.weight", FC_WEIGHT));
		r.add(new Rule("fc.bias", FC_BIAS));
		return r;
	}

	@Override
	public List<ModelTensor> build(ModelConfig config) {
		ModelConfig.Checks checks = config.checks();
		int classes = checks.positive("num_classes");
		checks.done();
		int numLayers = numLayers(this.layout);
		double depthScale = Math.pow(numLayers, -1.0 / (2 * branchLayers(this.layout) - 2));
		StateDict sd = new StateDict();
		scalar(sd, "bias1", 0.0);
		scalar(sd, "bias2", 0.0);
		int stemFanIn = 3 * 7 * 7;
		double bound = 1.0 / Math.sqrt(stemFanIn);
		sd.conv("conv1", 3, ResNetLayout.STEM_WIDTH, List.of(7, 7), 1,
				new InitRule(InitSpec.of("kaiming_uniform", "a", Math.sqrt(5), "nonlinearity", "leaky_relu"),
						STEM + " = U(-%s, %s), fan_in %d".formatted(number(bound), number(bound), stemFanIn)),
				null);
		int e = this.layout.expansion();
		String branch = branchRule(this.layout);
		InitRule last = InitRule.zeros(lastRule(this.layout));
		for (ResNetLayout.Block b : this.layout.blocks()) {
			String p = b.prefix();
			int planes = b.planes();
			for (String s : this.layout.bottleneck() ? BOTTLENECK_SCALARS : BASIC_SCALARS) {
				scalar(sd, p + s, s.equals("scale") ? 1.0 : 0.0);
			}
			if (this.layout.bottleneck()) {
				branchConv(sd, p + "conv1", b.inplanes(), planes, 1, branch, depthScale, numLayers);
				branchConv(sd, p + "conv2", planes, planes, 3, branch, depthScale, numLayers);
				sd.conv(p + "conv3", planes, planes * e, List.of(1, 1), 1, last, null);
			}
			else {
				branchConv(sd, p + "conv1", b.inplanes(), planes, 3, branch, depthScale, numLayers);
				sd.conv(p + "conv2", planes, planes, List.of(3, 3), 1, last, null);
			}
			if (b.downsample()) {
				long fanOut = (long) planes * e;
				InitRule he = new InitRule(InitSpec.of("kaiming_normal", "mode", "fan_out", "nonlinearity", "relu"),
						DOWNSAMPLE + " = normal(0, %s), fan_out %d".formatted(number(Math.sqrt(2.0 / fanOut)), fanOut));
				sd.conv(p + "downsample", b.inplanes(), planes * e, List.of(1, 1), 1, he, null);
			}
		}
		sd.linear("fc", this.layout.features(), classes, InitRule.zeros(FC_WEIGHT), InitRule.zeros(FC_BIAS));
		return sd.tensors();
	}

	/**
	 * A branch conv (not the last): normal(0, sqrt(2/fan_out) x L^(-1/(2m-2))), fan_out =
	 * out_channels x kernel area, as {@code FixupResNet.__init__} computes it.
	 */
	private static void branchConv(StateDict sd, String prefix, int in, int out, int k, String rule, double depthScale,
			int numLayers) {
		long fanOut = (long) out * k * k;
		double std = Math.sqrt(2.0 / fanOut) * depthScale;
		sd.conv(prefix, in, out, List.of(k, k), 1,
				InitRule.normal(std,
						rule + " = normal(0, %s), fan_out %d, num_layers %d".formatted(number(std), fanOut, numLayers)),
				null);
	}

	/**
	 * A scalar {@code nn.Parameter} of shape [1]: 0 (a bias) or 1 ({@code scale}), the
	 * same under both defaults.
	 */
	private static void scalar(StateDict sd, String name, double value) {
		String leaf = name.substring(name.lastIndexOf('.') + 1);
		boolean scale = value != 0.0;
		InitRule library = scale ? InitRule.ones(SCALE) : InitRule.zeros(BIAS);
		InitRule bare = scale ? InitRule.ones("nn.Parameter(torch.ones(1)): ones at construction")
				: InitRule.zeros("nn.Parameter(torch.zeros(1)): zeros at construction");
		sd.tensor(name, new int[] { 1 }, scale ? Role.NORM_WEIGHT : Role.BIAS, null, "tensor", leaf, library, bare);
	}

	private static String number(double v) {
		return String.format(Locale.ROOT, "%.6g", v);
	}

}
