package dev.initlab.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.initlab.init.InitSpec;
import dev.initlab.models.ConfigField.Type;

/**
 * torchvision's {@code resnet18}, {@code resnet34}, {@code resnet50}, {@code resnet101}
 * and {@code resnet152} ({@code torchvision/models/resnet.py}, 0.28:
 * {@code resnetNN(weights=None, **config)} is {@code ResNet(block, layers, **config)}
 * with {@code BasicBlock} [2, 2, 2, 2] / [3, 4, 6, 3] or {@code Bottleneck} [3, 4, 6, 3]
 * / [3, 4, 23, 3] / [3, 8, 36, 3], the {@link ResNetLayout} Fixup's ResNets share). One
 * class for the five depths: they differ only in the block and the block counts, and each
 * is its own constant in {@link Architectures}.
 * <p>
 * state_dict: the stem {@code conv1} (7x7, 3 → 64, no bias) and {@code bn1}; four stages
 * {@code layer1..4} of blocks (planes 64, 128, 256, 512), each block's convs and
 * {@code BatchNorm2d}s in registration order, then {@code downsample.0} (1x1 conv) and
 * {@code downsample.1} (BatchNorm2d) in a stage's first block when its stride is 2 or its
 * input width differs from {@code planes * expansion}; {@code fc}, an
 * {@code nn.Linear(512 * expansion, num_classes)}. Every convolution is bias-free; every
 * BatchNorm2d carries {@code weight}, {@code bias}, {@code running_mean},
 * {@code running_var} and the int64 scalar {@code num_batches_tracked}.
 * <p>
 * Bottleneck width: torchvision's {@code int(planes * (width_per_group / 64.)) * groups},
 * which for planes a multiple of 64 is exactly {@code planes / 64 * width_per_group *
 * groups}; its 3x3 {@code conv2} is grouped ({@code [width, width / groups, 3, 3]}).
 * <p>
 * Initialization ({@code ResNet.__init__}): every {@code nn.Conv2d} weight
 * {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")} (fan_out = out_channels x
 * kernel area, groups ignored as PyTorch computes it); every BatchNorm2d weight 1, bias
 * 0; with {@code zero_init_residual} the last BN of each block ({@code bn2} of a
 * BasicBlock, {@code bn3} of a Bottleneck) weight 0; {@code fc} is not re-initialized and
 * keeps nn.Linear's own default.
 * <p>
 * Config decisions: {@code replace_stride_with_dilation} changes no parameter (the
 * downsample branch exists either way for these depths); it is accepted as null or a list
 * of three booleans and otherwise ignored, except that a BasicBlock model refuses any
 * {@code true} as torchvision does ({@code NotImplementedError: Dilation > 1 not
 * supported in BasicBlock}). {@code num_classes} and {@code width_per_group} must be at
 * least 1 (torch would build empty tensors for 0). {@code norm_layer} (a Python callable)
 * is not accepted; {@code progress} (download progress bar) is accepted and ignored.
 */
final class TorchvisionResNet extends LibraryArchitecture {

	static final String CONV = "ResNet.__init__: every nn.Conv2d weight kaiming_normal_(mode='fan_out', "
			+ "nonlinearity='relu') = normal(0, sqrt(2/fan_out)), fan_out = out_channels * kernel area";

	static final String BN_WEIGHT = "ResNet.__init__: nn.BatchNorm2d weight constant_(1)";

	static final String BN_BIAS = "ResNet.__init__: nn.BatchNorm2d bias constant_(0)";

	static final String LAST_BN = "ResNet.__init__: the last BN of each residual block (%s) weight constant_(1), "
			+ "or constant_(0) with zero_init_residual";

	static final String FC_WEIGHT = "fc: not re-initialized by torchvision, nn.Linear's default weight "
			+ "kaiming_uniform_(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in))";

	static final String FC_BIAS = "fc: not re-initialized by torchvision, nn.Linear's default bias "
			+ "U(-1/sqrt(fan_in), 1/sqrt(fan_in))";

	/** StateDict's texts for the BatchNorm buffers. */
	static final String RUNNING_MEAN = "running_mean: zeros (a buffer)";

	static final String RUNNING_VAR = "running_var: ones (a buffer)";

	static final String BATCHES = "num_batches_tracked: int64 0 (a buffer)";

	static final String DILATION = "replace_stride_with_dilation";

	/** The residual block: torchvision's class and its last BatchNorm. */
	enum Block {

		/** Two 3x3 convs ({@code expansion = 1}); groups 1 and width 64 only. */
		BASIC("BasicBlock", "bn2"),

		/** 1x1, grouped 3x3, 1x1 ({@code expansion = 4}). */
		BOTTLENECK("Bottleneck", "bn3");

		private final String className;

		private final String lastBn;

		Block(String className, String lastBn) {
			this.className = className;
			this.lastBn = lastBn;
		}

		/** torchvision's class name ({@code BasicBlock}, {@code Bottleneck}). */
		String className() {
			return this.className;
		}

		/** The block's last BatchNorm ({@code bn2}, {@code bn3}). */
		String lastBn() {
			return this.lastBn;
		}

	}

	private final String depth;

	private final Block block;

	private final ResNetLayout layout;

	private TorchvisionResNet(ResNetLayout layout) {
		super("torchvision", layout.depth(), "0.28.0",
				"torchvision.models." + layout.depth() + "(weights=None, **config): ResNet(" + block(layout).className()
						+ ", " + layout.layers() + ", **config)",
				config(block(layout)), rules(block(layout)));
		this.depth = layout.depth();
		this.block = block(layout);
		this.layout = layout;
	}

	private static Block block(ResNetLayout layout) {
		return layout.bottleneck() ? Block.BOTTLENECK : Block.BASIC;
	}

	/** The config fields of a ResNet built from {@code block}s. */
	private static List<ConfigField> config(Block block) {
		String widthNote = (block == Block.BASIC) ? "; BasicBlock takes only 1" : "";
		return List.of(ConfigField.integer("num_classes", 1000, "fc outputs: rows of fc.weight"),
				ConfigField.bool("zero_init_residual", false,
						"weight 0 for the last BN of each block (" + block.lastBn() + ")"),
				ConfigField.integer("groups", 1, "groups of the Bottleneck 3x3 conv" + widthNote),
				ConfigField.integer("width_per_group", 64,
						"Bottleneck width = planes/64 * width_per_group * groups"
								+ ((block == Block.BASIC) ? "; BasicBlock takes only 64" : "")),
				ConfigField.ignored(DILATION, Type.ANY, null,
						"null or 3 booleans: dilate instead of stride in layer2..4 (no parameters)"
								+ ((block == Block.BASIC) ? "; BasicBlock takes no true" : "")),
				ConfigField.ignored("progress", Type.BOOLEAN, true, "download progress bar (no parameters)"));
	}

	/** torchvision's own initialization of a ResNet built from {@code block}s. */
	private static List<Rule> rules(Block block) {
		List<Rule> r = new ArrayList<>();
		r.add(new Rule("conv1.weight", CONV));
		r.add(new Rule("layer*.*.conv*.weight", CONV));
		r.add(new Rule("layer*.*.downsample.0.weight", CONV));
		r.add(new Rule("bn1.weight", BN_WEIGHT));
		r.add(new Rule("layer*.*.bn1.weight", BN_WEIGHT));
		if (block == Block.BOTTLENECK) {
			r.add(new Rule("layer*.*.bn2.weight", BN_WEIGHT));
		}
		r.add(new Rule("layer*.*." + block.lastBn() + ".weight", lastBnRule(block)));
		r.add(new Rule("layer*.*.downsample.1.weight", BN_WEIGHT));
		r.add(new Rule("bn1.bias", BN_BIAS));
		r.add(new Rule("layer*.*.bn*.bias", BN_BIAS));
		r.add(new Rule("layer*.*.downsample.1.bias", BN_BIAS));
		r.add(new Rule("**.running_mean", RUNNING_MEAN));
		r.add(new Rule("**.running_var", RUNNING_VAR));
		r.add(new Rule("**.num_batches_tracked", BATCHES));
		r.add(new Rule("fc.weight", FC_WEIGHT));
		r.add(new Rule("fc.bias", FC_BIAS));
		return r;
	}

	static TorchvisionResNet resnet18() {
		return new TorchvisionResNet(ResNetLayout.RESNET18);
	}

	static TorchvisionResNet resnet34() {
		return new TorchvisionResNet(ResNetLayout.RESNET34);
	}

	static TorchvisionResNet resnet50() {
		return new TorchvisionResNet(ResNetLayout.RESNET50);
	}

	static TorchvisionResNet resnet101() {
		return new TorchvisionResNet(ResNetLayout.RESNET101);
	}

	static TorchvisionResNet resnet152() {
		return new TorchvisionResNet(ResNetLayout.RESNET152);
	}

	static String lastBnRule(Block block) {
		return LAST_BN.formatted(block.lastBn() + " of a " + block.className());
	}

	/** The residual block this depth uses. */
	Block block() {
		return this.block;
	}

	/** Blocks per stage ({@code layers} of {@code ResNet(block, layers)}). */
	List<Integer> layers() {
		return this.layout.layers();
	}

	@Override
	public List<ModelTensor> build(ModelConfig config) {
		ModelConfig.Checks checks = config.checks();
		int classes = checks.positive("num_classes");
		int groups;
		int widthPerGroup;
		if (this.block == Block.BASIC) {
			// BasicBlock.__init__: ValueError("BasicBlock only supports groups=1 and
			// base_width=64")
			groups = config.integer("groups");
			widthPerGroup = config.integer("width_per_group");
			checks.require(groups == 1, "groups", "BasicBlock (" + this.depth + ") only supports groups=1, got "
					+ groups + " (groups is for the Bottleneck depths 50, 101, 152)");
			checks.require(widthPerGroup == 64, "width_per_group",
					"BasicBlock (" + this.depth + ") only supports width_per_group=64, got " + widthPerGroup
							+ " (width_per_group is for the Bottleneck depths 50, 101, 152)");
		}
		else {
			groups = checks.positive("groups");
			widthPerGroup = checks.positive("width_per_group");
		}
		checkDilation(config.resolved().get(DILATION), checks);
		if (checks.ok() && this.block == Block.BOTTLENECK) {
			checkSizes(config, groups, widthPerGroup, checks);
		}
		checks.done();
		boolean zeroInit = config.bool("zero_init_residual");
		StateDict sd = new StateDict();
		conv(sd, "conv1", 3, 64, 7, 1);
		batchNorm(sd, "bn1", 64, BN_WEIGHT, 1.0);
		int e = this.layout.expansion();
		String lastBn = lastBnRule(this.block);
		for (ResNetLayout.Block b : this.layout.blocks()) {
			String prefix = b.prefix();
			int planes = b.planes();
			if (this.block == Block.BASIC) {
				conv(sd, prefix + "conv1", b.inplanes(), planes, 3, 1);
				batchNorm(sd, prefix + "bn1", planes, BN_WEIGHT, 1.0);
				conv(sd, prefix + "conv2", planes, planes, 3, 1);
				batchNorm(sd, prefix + "bn2", planes, lastBn, zeroInit ? 0.0 : 1.0);
			}
			else {
				int width = planes / 64 * widthPerGroup * groups;
				conv(sd, prefix + "conv1", b.inplanes(), width, 1, 1);
				batchNorm(sd, prefix + "bn1", width, BN_WEIGHT, 1.0);
				conv(sd, prefix + "conv2", width, width, 3, groups);
				batchNorm(sd, prefix + "bn2", width, BN_WEIGHT, 1.0);
				conv(sd, prefix + "conv3", width, planes * e, 1, 1);
				batchNorm(sd, prefix + "bn3", planes * e, lastBn, zeroInit ? 0.0 : 1.0);
			}
			// ResNet._make_layer: a downsample branch in the first block when stride != 1
			// or inplanes != planes * expansion
			if (b.downsample()) {
				conv(sd, prefix + "downsample.0", b.inplanes(), planes * e, 1, 1);
				batchNorm(sd, prefix + "downsample.1", planes * e, BN_WEIGHT, 1.0);
			}
		}
		int fanIn = this.layout.features();
		double bound = 1.0 / Math.sqrt(fanIn);
		String filled = " = U(-%s, %s), fan_in %d".formatted(number(bound), number(bound), fanIn);
		InitRule weight = new InitRule(InitSpec.of("kaiming_uniform", "a", Math.sqrt(5), "nonlinearity", "leaky_relu"),
				FC_WEIGHT + filled);
		InitRule bias = InitRule.of(FC_BIAS + filled, "uniform", "low", -bound, "high", bound);
		sd.linear("fc", fanIn, classes, weight, bias);
		return sd.tensors();
	}

	/**
	 * ResNet.__init__ takes None or a 3-element sequence (ValueError otherwise); a
	 * BasicBlock refuses dilation (NotImplementedError), and every BasicBlock stage has
	 * two blocks or more, so any {@code true} fails there.
	 */
	private void checkDilation(Object value, ModelConfig.Checks checks) {
		if (value == null) {
			return;
		}
		boolean three = value instanceof List<?> list && list.size() == 3
				&& list.stream().allMatch((v) -> v instanceof Boolean);
		if (!three) {
			checks.require(false, DILATION, DILATION + " must be null or a list of 3 booleans, got " + value);
			return;
		}
		boolean dilated = ((List<?>) value).contains(Boolean.TRUE);
		checks.require(!dilated || this.block == Block.BOTTLENECK, DILATION,
				"BasicBlock (" + this.depth + ") does not support dilation (torchvision raises "
						+ "NotImplementedError); " + DILATION + " must be null or all false, got " + value);
	}

	/**
	 * The widest Bottleneck (layer4: width {@code 8 * width_per_group * groups}, its
	 * grouped 3x3 conv {@code width * 8 * width_per_group * 9} elements) must fit a
	 * tensor dimension and an element count, so no size from the config can overflow.
	 */
	private static void checkSizes(ModelConfig config, int groups, int widthPerGroup, ModelConfig.Checks checks) {
		long width = 8L * widthPerGroup * groups;
		boolean fits;
		try {
			long conv2 = Math.multiplyExact(Math.multiplyExact(width, 8L * widthPerGroup), 9L);
			// every tensor of the model at most this, fewer than 2000 tensors
			Math.multiplyExact(Math.max(conv2, width * 2048L), 2048L);
			fits = width <= Integer.MAX_VALUE;
		}
		catch (ArithmeticException ex) {
			fits = false;
		}
		if (!fits) {
			String message = "groups (" + groups + ") and width_per_group (" + widthPerGroup
					+ ") give layer4 a Bottleneck width of 8 * width_per_group * groups = " + width
					+ ", too large to build (a dimension must stay below 2^31, a model below 2^63 elements)";
			boolean named = false;
			for (String field : List.of("width_per_group", "groups")) {
				if (config.isGiven(field)) {
					checks.require(false, field, message);
					named = true;
				}
			}
			checks.require(named, "width_per_group", message);
		}
	}

	/** A bias-free {@code nn.Conv2d(in, out, k, groups=groups)} with its fan_out rule. */
	private static void conv(StateDict sd, String prefix, int in, int out, int k, int groups) {
		long fanOut = (long) out * k * k;
		double std = Math.sqrt(2.0 / fanOut);
		InitRule rule = new InitRule(InitSpec.of("kaiming_normal", "mode", "fan_out", "nonlinearity", "relu"),
				CONV + " = normal(0, %s), fan_out %d".formatted(number(std), fanOut));
		sd.conv(prefix, in, out, List.of(k, k), groups, rule, null);
	}

	private static void batchNorm(StateDict sd, String prefix, int n, String weightRule, double weight) {
		InitRule w = (weight == 0.0) ? InitRule.zeros(weightRule + " = 0 (zero_init_residual)")
				: InitRule.ones((weightRule.equals(BN_WEIGHT) ? weightRule : weightRule + " = 1"));
		sd.batchNorm(prefix, 2, n, w, InitRule.zeros(BN_BIAS));
	}

	private static String number(double v) {
		return String.format(Locale.ROOT, "%.6g", v);
	}

}
