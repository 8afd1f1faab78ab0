package dev.initlab.layers;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import dev.initlab.init.Fans;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Policy;
import dev.initlab.init.Role;

/**
 * One raw tensor, named exactly {@code name}. Fans follow PyTorch's rule on {@code shape}
 * unless {@code fan_in}/{@code fan_out} are given (a 1-D tensor has fans only when
 * given).
 *
 * @param name the tensor's name
 * @param type {@code tensor}
 * @param shape the shape (0 to 8 dimensions, each >= 1)
 * @param role the policy role (default {@code weight})
 * @param fanIn explicit fan-in
 * @param fanOut explicit fan-out
 * @param activation the nonlinearity that follows
 * @param init this tensor's own policy
 */
@Schema(description = "One raw tensor named exactly `name`; fans from PyTorch's rule unless given")
public record RawTensor(@NotBlank String name, String type,
		@NotNull @Size(max = 8) List<@NotNull @Positive Integer> shape, String role, @Positive Long fanIn,
		@Positive Long fanOut, String activation, @Valid Policy init) implements LayerSpec {

	@Override
	public List<ParameterSpec> parameters(Layout layout) {
		Shapes.checkActivation(this.activation);
		int[] dims = this.shape.stream().mapToInt(Integer::intValue).toArray();
		Shapes.numel(dims, "shape");
		Role r = Role.WEIGHT;
		if (this.role != null) {
			r = Role.byName(this.role)
				.orElseThrow(() -> new InvalidLayerException("role",
						"unknown role '" + this.role + "'; allowed: " + String.join(", ", Role.names())));
		}
		Fans rule = Fans.of(dims);
		Fans fans = rule;
		if (this.fanIn != null || this.fanOut != null) {
			if ((this.fanIn == null || this.fanOut == null) && rule == null) {
				throw new InvalidLayerException((this.fanIn == null) ? "fan_in" : "fan_out",
						"a tensor of fewer than 2 dimensions has no fans of its own: give both fan_in and fan_out");
			}
			fans = new Fans((this.fanIn != null) ? this.fanIn : rule.fanIn(),
					(this.fanOut != null) ? this.fanOut : rule.fanOut());
		}
		return List.of(new ParameterSpec(this.name, dims, r, fans, this.activation, 1, dims, "tensor"));
	}

}
