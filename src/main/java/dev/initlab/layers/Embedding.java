package dev.initlab.layers;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import dev.initlab.init.Fans;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Policy;
import dev.initlab.init.Role;

/**
 * {@code torch.nn.Embedding(num_embeddings, embedding_dim, padding_idx)}:
 * {@code weight [num,
 * dim]} with the {@code padding_idx} row zero (negative indices count from the end, as in
 * PyTorch); Keras {@code Embedding}: {@code embeddings [num, dim]}. {@code max_norm},
 * {@code scale_grad_by_freq} and {@code sparse} are accepted and do not change the
 * parameters.
 *
 * @param name state_dict prefix
 * @param type {@code embedding}
 * @param numEmbeddings vocabulary size
 * @param embeddingDim size of each embedding vector
 * @param paddingIdx the row kept at zero, or null
 * @param activation the nonlinearity that follows (rarely any)
 * @param init this layer's own policy
 * @param maxNorm accepted, no effect on parameters
 * @param scaleGradByFreq accepted, no effect on parameters
 * @param sparse accepted, no effect on parameters
 */
@Schema(description = "torch.nn.Embedding: weight [num_embeddings, embedding_dim], padding_idx row zero")
public record Embedding(@NotBlank String name, String type, @NotNull @Positive Integer numEmbeddings,
		@NotNull @Positive Integer embeddingDim, Integer paddingIdx, String activation, @Valid Policy init,
		Double maxNorm, Boolean scaleGradByFreq, Boolean sparse) implements LayerSpec {

	@Override
	public List<ParameterSpec> parameters(Layout layout) {
		Shapes.checkActivation(this.activation);
		int[] weight = { this.numEmbeddings, this.embeddingDim };
		Shapes.numel(weight, "num_embeddings");
		int zeroRow = -1;
		if (this.paddingIdx != null) {
			int idx = this.paddingIdx;
			if (idx < -this.numEmbeddings || idx >= this.numEmbeddings) {
				throw new InvalidLayerException("padding_idx", "padding_idx must be in [-" + this.numEmbeddings + ", "
						+ (this.numEmbeddings - 1) + "] (num_embeddings " + this.numEmbeddings + "), got " + idx);
			}
			zeroRow = (idx < 0) ? idx + this.numEmbeddings : idx;
		}
		String tensor = LayerSpec.tensorName(layout, this.name, "weight", "embeddings");
		return List.of(new ParameterSpec(tensor, weight, Role.EMBEDDING, Fans.of(weight), this.activation, 1, weight,
				"embedding", "weight", 1, zeroRow));
	}

}
