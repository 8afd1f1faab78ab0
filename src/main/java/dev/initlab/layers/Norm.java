package dev.initlab.layers;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

import dev.initlab.init.Fans;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Policy;
import dev.initlab.init.Role;

/**
 * {@code torch.nn.LayerNorm(normalized_shape)}: {@code weight}, {@code bias} of that
 * shape; {@code torch.nn.BatchNorm1d/2d/3d(num_features)}: {@code weight}, {@code bias},
 * {@code running_mean}, {@code running_var} of {@code [num_features]} (PyTorch fills in
 * {@code num_batches_tracked} itself when it is absent). Keras: {@code gamma},
 * {@code beta}, {@code moving_mean}, {@code moving_variance}. {@code eps} and
 * {@code momentum} are accepted and do not change the parameters.
 *
 * @param name state_dict prefix
 * @param type {@code layer_norm}, {@code batch_norm1d}, {@code batch_norm2d} or
 * {@code batch_norm3d}
 * @param normalizedShape layer_norm: an int or a list
 * @param numFeatures batch norm: channels
 * @param elementwiseAffine layer_norm: whether there are weight and bias (default true)
 * @param affine batch norm: whether there are weight and bias (default true)
 * @param bias layer_norm: whether there is a bias (default true)
 * @param trackRunningStats batch norm: whether there are running stats (default true)
 * @param activation the nonlinearity that follows
 * @param init this layer's own policy
 * @param eps accepted, no effect on parameters
 * @param momentum accepted, no effect on parameters
 */
@Schema(description = "torch.nn.LayerNorm / BatchNorm1d/2d/3d: weight, bias (+ running_mean, running_var)")
public record Norm(@NotBlank String name, String type,
		@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> normalizedShape,
		@Positive Integer numFeatures, Boolean elementwiseAffine, Boolean affine, Boolean bias,
		Boolean trackRunningStats, String activation, @Valid Policy init, Double eps,
		Double momentum) implements LayerSpec {

	@Override
	public List<ParameterSpec> parameters(Layout layout) {
		Shapes.checkActivation(this.activation);
		boolean layerNorm = this.type.equals("layer_norm");
		int[] shape;
		boolean withWeight;
		boolean withBias;
		boolean running;
		if (layerNorm) {
			if (this.normalizedShape == null || this.normalizedShape.isEmpty()) {
				throw new InvalidLayerException("normalized_shape",
						"layer_norm needs normalized_shape (an int or a list)");
			}
			if (this.numFeatures != null || this.affine != null || this.trackRunningStats != null) {
				throw new InvalidLayerException("num_features",
						"layer_norm takes normalized_shape, elementwise_affine and bias, not batch norm's fields");
			}
			shape = new int[this.normalizedShape.size()];
			for (int i = 0; i < shape.length; i++) {
				Integer d = this.normalizedShape.get(i);
				if (d == null || d < 1) {
					throw new InvalidLayerException("normalized_shape",
							"sizes must be >= 1, got " + this.normalizedShape);
				}
				shape[i] = d;
			}
			withWeight = this.elementwiseAffine == null || this.elementwiseAffine;
			withBias = withWeight && (this.bias == null || this.bias);
			running = false;
		}
		else {
			if (this.numFeatures == null) {
				throw new InvalidLayerException("num_features", this.type + " needs num_features");
			}
			if (this.normalizedShape != null || this.elementwiseAffine != null || this.bias != null) {
				throw new InvalidLayerException("normalized_shape",
						"batch norm takes num_features, affine and track_running_stats, not layer_norm's fields");
			}
			shape = new int[] { this.numFeatures };
			withWeight = this.affine == null || this.affine;
			withBias = withWeight;
			running = this.trackRunningStats == null || this.trackRunningStats;
		}
		Shapes.numel(shape, layerNorm ? "normalized_shape" : "num_features");
		boolean keras = layout == Layout.KERAS;
		List<ParameterSpec> params = new ArrayList<>();
		if (withWeight) {
			params.add(spec(keras ? "gamma" : "weight", shape, Role.NORM_WEIGHT, "weight", layout));
		}
		if (withBias) {
			params.add(spec(keras ? "beta" : "bias", shape, Role.NORM_BIAS, "bias", layout));
		}
		if (running) {
			params.add(spec(keras ? "moving_mean" : "running_mean", shape, Role.RUNNING_MEAN, "running_mean", layout));
			params.add(spec(keras ? "moving_variance" : "running_var", shape, Role.RUNNING_VAR, "running_var", layout));
		}
		return params;
	}

	private ParameterSpec spec(String local, int[] shape, Role role, String param, Layout layout) {
		String tensor = this.name + ((layout == Layout.KERAS) ? "/" : ".") + local;
		// PyTorch's rule, as for every tensor: a LayerNorm over [4, 5] has a 2-D weight
		// with fans (5, 4); 1-D norm parameters have none.
		return new ParameterSpec(tensor, shape, role, Fans.of(shape), this.activation, 1, shape, this.type, param, 1,
				-1);
	}

}
