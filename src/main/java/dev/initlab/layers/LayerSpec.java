package dev.initlab.layers;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Policy;

/**
 * One layer of a model, in PyTorch's vocabulary, chosen on the wire by {@code "type"}.
 * Each layer knows its parameters: names, shapes, roles and fans.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type",
		visible = true)
@JsonSubTypes({ @JsonSubTypes.Type(value = Linear.class, name = "linear"),
		@JsonSubTypes.Type(value = Conv.class, names = { "conv1d", "conv2d", "conv3d" }),
		@JsonSubTypes.Type(value = ConvTranspose.class,
				names = { "conv_transpose1d", "conv_transpose2d", "conv_transpose3d" }),
		@JsonSubTypes.Type(value = Embedding.class, name = "embedding"),
		@JsonSubTypes.Type(value = Recurrent.class, names = { "rnn", "lstm", "gru" }),
		@JsonSubTypes.Type(value = Norm.class,
				names = { "layer_norm", "batch_norm1d", "batch_norm2d", "batch_norm3d" }),
		@JsonSubTypes.Type(value = Attention.class, name = "multihead_attention"),
		@JsonSubTypes.Type(value = RawTensor.class, name = "tensor") })
public sealed interface LayerSpec
		permits Linear, Conv, ConvTranspose, Embedding, Recurrent, Norm, Attention, RawTensor {

	/** Layer types on the wire. */
	List<String> TYPES = List.of("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
			"conv_transpose3d", "embedding", "rnn", "lstm", "gru", "layer_norm", "batch_norm1d", "batch_norm2d",
			"batch_norm3d", "multihead_attention", "tensor");

	/** The layer's name: the {@code state_dict} prefix. */
	String name();

	/** The wire type. */
	String type();

	/** The nonlinearity that follows the layer, or null. */
	String activation();

	/** This layer's own init policy, overriding the request's, or null. */
	Policy init();

	/**
	 * The layer's parameter tensors, in {@code state_dict} order.
	 * @throws InvalidLayerException naming the field at fault
	 */
	List<ParameterSpec> parameters(Layout layout);

	/**
	 * How many tensors {@link #parameters} gives, known without building them: a request
	 * can ask for billions, and must be refused before they are built.
	 * @throws InvalidLayerException naming the field at fault
	 */
	default long tensorCount(Layout layout) {
		return parameters(layout).size();
	}

	/** Joins a layer name and a parameter name as the layout does. */
	static String tensorName(Layout layout, String layer, String pytorchParam, String kerasParam) {
		return (layout == Layout.KERAS) ? layer + "/" + kerasParam : layer + "." + pytorchParam;
	}

}
