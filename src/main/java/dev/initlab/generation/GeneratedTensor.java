package dev.initlab.generation;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import dev.initlab.tensor.TensorStats;
import dev.initlab.tensor.TensorValues;

/**
 * One tensor of the JSON response.
 *
 * @param name {@code state_dict} key (or Keras name)
 * @param shape shape in the requested layout
 * @param dtype element type
 * @param init the resolved initializer
 * @param stats stats of the stored values (when included)
 * @param data values nested to the shape (when included)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GeneratedTensor(String name, int[] shape, String dtype, @Schema(
		description = "scheme, every parameter used, fan_in, fan_out, gain, std or bound, preset",
		example = "{\"scheme\": \"kaiming_normal\", \"a\": 0.0, \"mode\": \"fan_in\", \"nonlinearity\": \"relu\", "
				+ "\"fan_in\": 784, \"fan_out\": 256, \"gain\": 1.4142135623730951, \"std\": 0.050507627227610534}") Map<String, Object> init,
		TensorStats stats, @Schema(description = "values nested to the shape: np.array(data) has the right shape",
				type = "array", example = "[[0.01, -0.02], [0.03, 0.0]]") TensorValues data) {
}
