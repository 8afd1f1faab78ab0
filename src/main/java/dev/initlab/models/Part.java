package dev.initlab.models;

/**
 * What a weight does in its model, as depth- and width-aware recipes need to know it:
 * which tensors are residual-branch output projections, which are the value or the
 * feed-forward matrices, which is the readout. Each architecture states it by name glob
 * ({@link Architecture#parts()}), so the catalog shows it.
 */
public enum Part {

	/** An input embedding (tokens, token types). */
	EMBEDDING,

	/** A learned position embedding. */
	POSITION_EMBEDDING,

	/** Attention query projection. */
	QUERY,

	/** Attention key projection. */
	KEY,

	/** Attention value projection. */
	VALUE,

	/** Query, key and value packed in one tensor along the output axis, in that order. */
	QKV,

	/** Key and value packed in one tensor along the output axis, in that order. */
	KV,

	/** Attention output projection: a residual-branch output. */
	ATTENTION_OUTPUT,

	/** Feed-forward input projection (fc1, up, gate, wi). */
	FFN_IN,

	/** Feed-forward output projection (fc2, down, wo): a residual-branch output. */
	FFN_OUT,

	/** The output layer (language-model head, classifier). */
	READOUT;

	/** Whether it is the last projection of a residual branch. */
	public boolean isResidualOutput() {
		return this == ATTENTION_OUTPUT || this == FFN_OUT;
	}

	/** Whether it is an attention projection of any kind. */
	public boolean isAttention() {
		return this == QUERY || this == KEY || this == VALUE || this == QKV || this == KV || this == ATTENTION_OUTPUT;
	}

	/** The wire name ({@code attention_output}). */
	public String wireName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
