package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * μP, the Maximal Update Parametrization, as {@code microsoft/mup} 1.0.0 computes it: per
 * parameter, its width multiplier, its μP init std, and the learning-rate (and
 * weight-decay) multipliers of {@code MuAdam} and {@code MuSGD}; per readout, the output
 * multiplier.
 * <p>
 * Paper: G. Yang, E. J. Hu, I. Babuschkin, S. Sidor, X. Liu, D. Farhi, N. Ryder, J.
 * Pachocki, W. Chen, J. Gao, "Tensor Programs V: Tuning Large Neural Networks via
 * Zero-Shot Hyperparameter Transfer", 2022, arXiv:2203.03466 (its tables of μP's init
 * variance and learning rate for input weights and biases, hidden weights and output
 * weights; Appendix B, which {@code mup/optim.py} cites for other optimizers). Reference
 * implementation: {@code microsoft/mup} ({@code pip install mup==1.0.0}); every rule
 * below names the file it comes from, and {@code MupTests} checks them against that
 * package.
 *
 * <h2>Infinite dimensions ({@code mup/infshape.py}, {@code mup/shape.py})</h2> A target
 * parameter is paired with the same-named parameter of the base model. We call
 * {@code set_base_shapes(target, base)} without a delta model: {@code zip_infshape} then
 * makes a dimension <em>infinite</em> (a width) exactly when the base's size differs from
 * the target's ({@code fin_if_same=True}). (With a delta model a dimension is infinite
 * when base and delta differ, so a width that happens to equal the base's is still
 * infinite; the multipliers it gets are then 1, so the learning rates and stds agree with
 * ours, but the reported {@code width_mult} of a matrix with one unchanged width can
 * differ and {@code assert_hidden_size_inf} below can pass where ours refuses.) A target
 * equal to its base therefore gets every multiplier 1: μP coincides with the standard
 * parametrization at the base width.
 * <ul>
 * <li>{@code InfDim.width_mult()}: {@code dim / base_dim} if infinite, else 1.</li>
 * <li>{@code InfShape.width_mult()}: the multiplier of the <em>last</em> infinite
 * dimension (its {@code main}), 1 when none: for a {@code [out, in]} matrix with both
 * infinite the fan-in's, with one infinite that one.</li>
 * <li>{@code ninf()}: the number of infinite dimensions;
 * {@code fanin_fanout_mult_ratio()} = fan-in (dimension 1) multiplier / fan-out
 * (dimension 0) multiplier.</li>
 * </ul>
 *
 * <h2>Init ({@code mup/shape.py} {@code set_base_shapes(rescale_params=True)},
 * {@code mup/layer.py}, {@code mup/init.py})</h2> With a fan-in-scaled standard init
 * ({@link MupInit#FAN_IN}), {@code set_base_shapes} multiplies
 * <ul>
 * <li>a {@code MuReadout}'s weight and bias by {@code sqrt(width_mult)} of its weight
 * ({@code MuReadout._rescale_parameters}); with {@code MuSharedReadout} that weight is
 * the embedding's, which is scaled with it;</li>
 * <li>the bias of every other {@code nn.Linear} and convolution by
 * {@code sqrt(weight.infshape[1].width_mult())}, its weight's fan-in multiplier
 * ({@code rescale_linear_bias});</li>
 * <li>nothing else: hidden weights keep their fan-in-scaled std, which is already
 * μP's.</li>
 * </ul>
 * With a fixed std ({@link MupInit#CONSTANT}), drawn with {@code mup.init.normal_} and
 * friends: {@code constant_std_init_} multiplies it by {@code width_mult^(-1/2)} when
 * {@code ninf == 2} and by 1 otherwise. With {@code readout_zero_init},
 * {@code MuReadout.reset_parameters} zeroes the readout's weight and bias (std 0).
 *
 * <h2>Learning rates ({@code mup/optim.py})</h2>
 * <ul>
 * <li>{@code MuAdam} (and {@code MuAdamW}, and any "Adam-like" optimizer passed as
 * {@code impl}): {@code ninf == 2} (matrix-like) {@code lr / width_mult},
 * {@code weight_decay * width_mult}; {@code ninf <= 1} (vector-like, including the
 * readout's {@code [vocab, d]} weight) unchanged.</li>
 * <li>{@code MuSGD} ("SGD-like"): {@code ninf == 1} {@code lr * width_mult},
 * {@code weight_decay / width_mult}; {@code ninf == 2}
 * {@code lr / fanin_fanout_mult_ratio}, {@code weight_decay * fanin_fanout_mult_ratio};
 * {@code ninf == 0} unchanged.</li>
 * <li>More than two infinite dimensions: both raise {@code NotImplementedError}; so do
 * we.</li>
 * </ul>
 * Weight-decay multipliers are for {@code decoupled_wd=False}, the default; with
 * {@code decoupled_wd=True} they are 1.
 *
 * <h2>Readout ({@code mup/layer.py} {@code MuReadout.forward})</h2> The readout's input
 * is multiplied by {@code output_mult / width_mult}
 * ({@link MupParameter#outputMultiplier()}), which the user must apply in code (by using
 * {@code MuReadout}); see also {@link #ATTENTION_NOTE}.
 */
public final class Mup {

	/**
	 * What μP changes in a transformer's code that no tensor can carry: the attention
	 * logit scale (mup's README, "Basic Usage"; {@code examples/Transformer/model.py}).
	 */
	public static final String ATTENTION_NOTE = "μP attention: scale the logits q·kᵀ by 1/d_head instead of "
			+ "1/sqrt(d_head) (mup's README writes 8/d_head, equal to 1/sqrt(d_head) at d_head = 64); "
			+ "mup also recommends initializing the query projection to zero";

	/**
	 * What μP needs in the training code besides the initial tensors
	 * ({@code mup/layer.py} {@code MuReadout.forward}, {@code mup/optim.py}).
	 */
	public static final String TRAINING_NOTE = "multiply the readout's input by output_multiplier "
			+ "(output_mult / width_mult; mup's MuReadout does so) and each parameter's learning rate by its "
			+ "lr_multiplier_adam with an Adam-like optimizer (mup's MuAdam, MuAdamW) or lr_multiplier_sgd with "
			+ "an SGD-like one (MuSGD), and its weight decay by the matching weight-decay multiplier unless the "
			+ "optimizer decouples weight decay from the learning rate";

	private Mup() {
	}

	/**
	 * μP for every parameter of a model, in the given order.
	 * @param tensors the target model's parameters, each with its base shape
	 * @param outputMult {@code MuReadout}'s {@code output_mult} (mup's default 1.0)
	 * @param readoutZeroInit {@code MuReadout}'s {@code readout_zero_init}
	 * @return one result per tensor
	 * @throws MupException where mup itself refuses the model (a non-readout linear
	 * weight with an infinite fan-in and a finite fan-out; more than two infinite
	 * dimensions), a bias's weight is missing, a name repeats, or
	 * {@link #readoutZeroInitProblem} applies
	 */
	public static List<MupParameter> parametrize(List<MupTensor> tensors, double outputMult, boolean readoutZeroInit) {
		if (!(outputMult > 0) || Double.isInfinite(outputMult)) {
			throw new MupException("output_mult must be a finite number > 0, got " + outputMult);
		}
		Map<String, MupTensor> byName = new HashMap<>();
		for (MupTensor tensor : tensors) {
			if (byName.put(tensor.name(), tensor) != null) {
				throw new MupException(tensor.name() + ": the parameter is listed twice");
			}
		}
		List<MupParameter> result = new ArrayList<>(tensors.size());
		for (MupTensor tensor : tensors) {
			readoutZeroInitProblem(tensor.role() == MupRole.SHARED_READOUT_WEIGHT, readoutZeroInit)
				.ifPresent((problem) -> {
					throw new MupException(tensor.name() + ": " + problem);
				});
			result.add(parametrize(tensor, byName, outputMult, readoutZeroInit));
		}
		return result;
	}

	/**
	 * Why {@code readout_zero_init} cannot be honoured, or empty. A readout tied to the
	 * embedding ({@code MuSharedReadout}) <em>is</em> the embedding: zeroing it zeroes
	 * the embedding. mup does so silently: its constructor's zeroing happens to hit a
	 * temporary weight (the shared one replaces it afterwards, and only the bias stays
	 * zero), but the next {@code reset_parameters()} of the readout zeroes the shared
	 * embedding weight.
	 * @param readoutTiedToEmbedding whether the readout shares the embedding's weight
	 * @param readoutZeroInit whether {@code readout_zero_init} is asked for
	 * @return the problem, to report as a client error
	 */
	public static Optional<String> readoutZeroInitProblem(boolean readoutTiedToEmbedding, boolean readoutZeroInit) {
		if (readoutTiedToEmbedding && readoutZeroInit) {
			return Optional.of("readout_zero_init cannot be used with a readout tied to the embedding: the tied "
					+ "readout weight is the embedding, and mup's MuSharedReadout would silently zero the "
					+ "embedding (at its next reset_parameters()); untie the readout or drop readout_zero_init");
		}
		return Optional.empty();
	}

	private static MupParameter parametrize(MupTensor tensor, Map<String, MupTensor> byName, double outputMult,
			boolean readoutZeroInit) {
		int[] shape = tensor.shape();
		int[] base = tensor.baseShape();
		boolean[] infinite = infinite(shape, base);
		int ninf = 0;
		for (boolean inf : infinite) {
			ninf += inf ? 1 : 0;
		}
		if (ninf > 2) {
			throw new MupException(tensor.name() + ": " + ninf + " width dimensions; mup's MuAdam and MuSGD "
					+ "handle at most 2 (NotImplementedError)");
		}
		if (tensor.role() == MupRole.LINEAR_WEIGHT && shape.length >= 2 && !infinite[0] && infinite[1]) {
			throw new MupException(tensor.name() + ": infinite fan-in (" + base[1] + " -> " + shape[1]
					+ ") and finite fan-out (" + shape[0] + ") but not the readout; mup's set_base_shapes "
					+ "refuses it (assert_hidden_size_inf): make it the readout or scale its fan-out too");
		}
		double widthMult = widthMult(shape, base);
		double stdFactor = stdFactor(tensor, ninf, widthMult, byName, readoutZeroInit);

		// mup/optim.py MuAdam
		double lrAdam = 1;
		double wdAdam = 1;
		if (ninf == 2) {
			lrAdam = 1 / widthMult;
			wdAdam = widthMult;
		}
		// mup/optim.py MuSGD
		double lrSgd = 1;
		double wdSgd = 1;
		if (ninf == 1) {
			lrSgd = widthMult;
			wdSgd = 1 / widthMult;
		}
		else if (ninf == 2) {
			double ratio = dimMult(shape, base, 1) / dimMult(shape, base, 0);
			lrSgd = 1 / ratio;
			wdSgd = ratio;
		}
		Double outputMultiplier = tensor.role().isReadoutWeight() ? outputMult / widthMult : null;
		return new MupParameter(tensor.name(), infinite, widthMult, stdFactor, tensor.spStd() * stdFactor, lrAdam,
				wdAdam, lrSgd, wdSgd, outputMultiplier);
	}

	private static double stdFactor(MupTensor tensor, int ninf, double widthMult, Map<String, MupTensor> byName,
			boolean readoutZeroInit) {
		MupRole role = tensor.role();
		if (readoutZeroInit && role.isReadout()) {
			return 0;
		}
		MupTensor weight = null;
		if (role.isBias()) {
			weight = byName.get(tensor.weight());
			boolean matches = weight != null && ((role == MupRole.LINEAR_BIAS) ? weight.role() == MupRole.LINEAR_WEIGHT
					: weight.role().isReadoutWeight());
			if (!matches) {
				throw new MupException(tensor.name() + ": its module's weight " + tensor.weight() + " is not among "
						+ "the parameters as a " + ((role == MupRole.LINEAR_BIAS) ? "linear" : "readout") + " weight");
			}
		}
		if (tensor.spInit() == MupInit.CONSTANT) {
			// mup/init.py constant_std_init_
			return (ninf == 2) ? 1 / Math.sqrt(widthMult) : 1;
		}
		return switch (role) {
			// mup/layer.py MuReadout._rescale_parameters
			case READOUT_WEIGHT, SHARED_READOUT_WEIGHT -> Math.sqrt(widthMult);
			case READOUT_BIAS -> Math.sqrt(widthMult(weight.shape(), weight.baseShape()));
			// mup/layer.py rescale_linear_bias
			case LINEAR_BIAS -> Math.sqrt(dimMult(weight.shape(), weight.baseShape(), 1));
			case LINEAR_WEIGHT, OTHER -> 1;
		};
	}

	/**
	 * Per dimension, whether it is infinite: {@code zip_infshape} without a delta model.
	 */
	static boolean[] infinite(int[] shape, int[] base) {
		boolean[] infinite = new boolean[shape.length];
		for (int i = 0; i < shape.length; i++) {
			infinite[i] = shape[i] != base[i];
		}
		return infinite;
	}

	/**
	 * {@code InfShape.width_mult()}: the last infinite dimension's multiplier, else 1.
	 */
	static double widthMult(int[] shape, int[] base) {
		for (int i = shape.length - 1; i >= 0; i--) {
			if (shape[i] != base[i]) {
				return dimMult(shape, base, i);
			}
		}
		return 1;
	}

	/** {@code InfDim.width_mult()} of dimension {@code i} (1 if absent or finite). */
	static double dimMult(int[] shape, int[] base, int i) {
		return (i < shape.length && shape[i] != base[i]) ? (double) shape[i] / base[i] : 1;
	}

}
