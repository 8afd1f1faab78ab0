package dev.initlab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.initlab.init.Fans;
import dev.initlab.init.InitSpec;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Preset;
import dev.initlab.init.Role;
import dev.initlab.layers.Conv;
import dev.initlab.layers.Embedding;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.layers.Linear;
import dev.initlab.layers.Norm;

/**
 * Builds an architecture's {@code state_dict()} in order, one torch.nn module at a time.
 * Each module's tensors come from the {@code layers} records (names, shapes, fans, module
 * type), and its {@code pytorch_default} from the {@link Preset#PYTORCH_DEFAULT} table,
 * so there is one description of each torch.nn module; the architecture adds its
 * library's rule per tensor ({@link InitRule}).
 * <p>
 * Not thread-safe: one instance per {@link Architecture#build} call.
 */
public final class StateDict {

	/**
	 * The most tensors a build on this thread may append ({@link #bounded}), or null for
	 * no bound.
	 */
	private static final ThreadLocal<Long> LIMIT = new ThreadLocal<>();

	private final List<ModelTensor> tensors = new ArrayList<>();

	private final Map<String, ModelTensor> byName = new HashMap<>();

	/**
	 * {@code nn.Linear(in, out, bias)} at {@code prefix}: {@code prefix.weight [out, in]}
	 * and {@code prefix.bias [out]}.
	 * @param bias the bias's library rule, or null when the module has no bias
	 */
	public StateDict linear(String prefix, int in, int out, InitRule weight, InitRule bias) {
		return module(new Linear(prefix, "linear", in, out, bias != null, null, null), weight, bias);
	}

	/**
	 * {@code nn.Embedding(num, dim, padding_idx)} at {@code prefix}:
	 * {@code prefix.weight} with the padding row zero after any initialization (as the
	 * library zeroes it).
	 * @param paddingIdx the padding row, or null
	 */
	public StateDict embedding(String prefix, int num, int dim, Integer paddingIdx, InitRule weight) {
		return module(new Embedding(prefix, "embedding", num, dim, paddingIdx, null, null, null, null, null), weight,
				null);
	}

	/**
	 * {@code nn.LayerNorm(dim, bias=...)} at {@code prefix}.
	 * @param bias the bias's library rule, or null when the norm has no bias
	 * ({@code bias=False})
	 */
	public StateDict layerNorm(String prefix, int dim, InitRule weight, InitRule bias) {
		return module(new Norm(prefix, "layer_norm", List.of(dim), null, null, null, bias != null, null, null, null,
				null, null), weight, bias);
	}

	/**
	 * {@code nn.Conv{1,2,3}d(in, out, kernel, groups=groups, bias=...)} at {@code prefix}
	 * (stride, padding and dilation do not change the parameters).
	 * @param bias the bias's library rule, or null when the conv has no bias
	 */
	public StateDict conv(String prefix, int in, int out, List<Integer> kernel, int groups, InitRule weight,
			InitRule bias) {
		String type = "conv" + kernel.size() + "d";
		return module(new Conv(prefix, type, in, out, kernel, groups, bias != null, null, null, null, null, null, null),
				weight, bias);
	}

	/**
	 * {@code nn.BatchNorm{1,2,3}d(n)} at {@code prefix} (affine, tracking running stats):
	 * {@code weight}, {@code bias}, {@code running_mean} (0), {@code running_var} (1) and
	 * {@code num_batches_tracked} (an int64 scalar 0).
	 * @param dims 1, 2 or 3
	 */
	public StateDict batchNorm(String prefix, int dims, int n, InitRule weight, InitRule bias) {
		List<ParameterSpec> specs = new Norm(prefix, "batch_norm" + dims + "d", null, n, null, null, null, null, null,
				null, null, null)
			.parameters(Layout.PYTORCH);
		for (ParameterSpec spec : specs) {
			switch (spec.role()) {
				case NORM_WEIGHT -> add(spec, ModelTensor.Kind.PARAMETER, weight);
				case NORM_BIAS -> add(spec, ModelTensor.Kind.PARAMETER, bias);
				default -> {
					InitRule buffer = new InitRule(Preset.PYTORCH_DEFAULT.initFor(spec), spec.param() + ": "
							+ ((spec.role() == Role.RUNNING_MEAN) ? "zeros" : "ones") + " (a buffer)");
					add(spec, ModelTensor.Kind.BUFFER, buffer, buffer);
				}
			}
		}
		ParameterSpec count = new ParameterSpec(prefix + ".num_batches_tracked", new int[0], Role.BATCH_COUNT, null,
				null, 1, new int[0], "batch_norm" + dims + "d", "num_batches_tracked", 1, -1);
		InitRule zero = InitRule.zeros("num_batches_tracked: int64 0 (a buffer)");
		return add(count, ModelTensor.Kind.INT64_BUFFER, zero, zero);
	}

	/**
	 * One raw parameter (or floating buffer) with explicit fans: a module this class has
	 * no method for (GPT-2's {@code Conv1D} {@code [in, out]}, a ViT's
	 * {@code pos_embed}).
	 * @param fans fans as PyTorch computes them for the module, or null
	 * @param layerType the module type presets consult ({@code linear},
	 * {@code embedding}, {@code tensor}, ...)
	 * @param param the parameter's name within its module
	 * @param pytorchDefault what the bare module does at construction
	 */
	public StateDict tensor(String name, int[] shape, Role role, Fans fans, String layerType, String param,
			InitRule libraryDefault, InitRule pytorchDefault) {
		ParameterSpec spec = new ParameterSpec(name, shape, role, fans, null, 1, shape, layerType, param, 1, -1);
		return add(spec, ModelTensor.Kind.PARAMETER, libraryDefault, pytorchDefault);
	}

	/**
	 * A key tied to an earlier tensor (the same {@code nn.Parameter} under a second
	 * name): GPT-2's {@code lm_head.weight} → {@code transformer.wte.weight}. It has the
	 * owner's shape and values; its role and fans are those of the module that holds it
	 * here.
	 * @param owner the first key of the tie group
	 */
	public StateDict tied(String name, String owner, Role role, String layerType, String param) {
		ModelTensor first = this.byName.get(owner);
		if (first == null) {
			throw new IllegalArgumentException("tie to unknown tensor " + owner);
		}
		while (first.tiedTo() != null) {
			first = this.byName.get(first.tiedTo());
		}
		int[] shape = first.spec().shape();
		ParameterSpec spec = new ParameterSpec(name, shape, role, first.spec().fans(), null, 1, shape, layerType, param,
				1, first.spec().zeroRow());
		ModelTensor t = new ModelTensor(spec, first.kind(), first.libraryDefault(), first.pytorchDefault(),
				first.name());
		put(t);
		return this;
	}

	/**
	 * Runs {@code build} (an {@link Architecture#build} call) with at most
	 * {@code maxTensors} tensors appended to any {@code StateDict} on this thread: a
	 * config asking for billions of blocks is refused while it is built, before it fills
	 * the memory.
	 * @throws TooManyTensorsException when {@code build} appends more
	 */
	public static <T> T bounded(long maxTensors, java.util.function.Supplier<T> build) {
		Long previous = LIMIT.get();
		LIMIT.set(maxTensors);
		try {
			return build.get();
		}
		finally {
			if (previous != null) {
				LIMIT.set(previous);
			}
			else {
				LIMIT.remove();
			}
		}
	}

	/** A build appended more tensors than {@link #bounded} allows. */
	public static final class TooManyTensorsException extends RuntimeException {

		private final long limit;

		TooManyTensorsException(long limit) {
			super("the state_dict would hold more than " + limit + " tensors");
			this.limit = limit;
		}

		/** The bound that was passed. */
		public long limit() {
			return this.limit;
		}

	}

	/** The tensors so far, in order. */
	public List<ModelTensor> tensors() {
		return List.copyOf(this.tensors);
	}

	private StateDict module(LayerSpec layer, InitRule weight, InitRule bias) {
		for (ParameterSpec spec : layer.parameters(Layout.PYTORCH)) {
			boolean isBias = spec.role() == Role.BIAS || spec.role() == Role.NORM_BIAS;
			add(spec, ModelTensor.Kind.PARAMETER, isBias ? bias : weight);
		}
		return this;
	}

	private StateDict add(ParameterSpec spec, ModelTensor.Kind kind, InitRule library) {
		return add(spec, kind, library, pytorchDefault(spec));
	}

	private StateDict add(ParameterSpec spec, ModelTensor.Kind kind, InitRule library, InitRule pytorch) {
		put(new ModelTensor(spec, kind, library, pytorch, null));
		return this;
	}

	private void put(ModelTensor t) {
		Long limit = LIMIT.get();
		if (limit != null && this.tensors.size() >= limit) {
			throw new TooManyTensorsException(limit);
		}
		if (this.byName.putIfAbsent(t.name(), t) != null) {
			throw new IllegalArgumentException("duplicate state_dict key " + t.name());
		}
		this.tensors.add(t);
	}

	/** torch.nn's own default for a module's tensor, with the preset's rule text. */
	static InitRule pytorchDefault(ParameterSpec spec) {
		InitSpec init = Preset.PYTORCH_DEFAULT.initFor(spec);
		String rule = Preset.PYTORCH_DEFAULT.ruleFor(spec).description();
		String module = switch (spec.layerType()) {
			case "linear" -> "nn.Linear";
			case "embedding" -> "nn.Embedding";
			case "layer_norm" -> "nn.LayerNorm";
			default -> spec.layerType().startsWith("conv") ? "nn.Conv" + spec.layerType().substring(4)
					: spec.layerType().startsWith("batch_norm") ? "nn.BatchNorm" + spec.layerType().substring(10)
							: spec.layerType();
		};
		// the layers records name no param for Linear and Conv: the key's last part is it
		String param = (spec.param() != null) ? spec.param() : spec.name().substring(spec.name().lastIndexOf('.') + 1);
		return new InitRule(init, module + " " + param + ": " + rule);
	}

	@Override
	public String toString() {
		return Arrays.toString(this.tensors.stream().map(ModelTensor::name).toArray());
	}

}
