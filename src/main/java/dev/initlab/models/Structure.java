package dev.initlab.models;

/**
 * The depth and widths of a transformer architecture for one config: what depth- and
 * width-aware recipes compute their constants from.
 *
 * @param kind encoder-only, decoder-only or encoder–decoder
 * @param encoderLayers N, the encoder's blocks (0 without an encoder)
 * @param decoderLayers M, the decoder's blocks (0 without a decoder)
 * @param width the model width (d_model, hidden size)
 * @param heads attention heads
 * @param kvHeads key/value heads (fewer than heads with grouped-query attention)
 * @param headDim the width of one head
 * @param postLn whether its residuals are Post-LN, {@code x = LN(x + f(x))} (BERT),
 * rather than Pre-LN, {@code x = x + f(LN(x))}
 */
public record Structure(Kind kind, int encoderLayers, int decoderLayers, int width, int heads, int kvHeads, int headDim,
		boolean postLn) {

	/** Which stacks a transformer has. */
	public enum Kind {

		/** Encoder only (BERT, ViT): N blocks. */
		ENCODER_ONLY("encoder-only"),

		/** Decoder only (GPT-2, Llama): M blocks. */
		DECODER_ONLY("decoder-only"),

		/** Encoder and decoder (T5): N and M blocks. */
		ENCODER_DECODER("encoder-decoder");

		private final String wireName;

		Kind(String wireName) {
			this.wireName = wireName;
		}

		public String wireName() {
			return this.wireName;
		}

	}

	/** One stack of blocks. */
	public enum Stack {

		ENCODER, DECODER

	}

	/** An encoder-only transformer of {@code n} blocks. */
	public static Structure encoder(int n, int width, int heads, int headDim) {
		return new Structure(Kind.ENCODER_ONLY, n, 0, width, heads, heads, headDim, false);
	}

	/** A decoder-only transformer of {@code m} blocks. */
	public static Structure decoder(int m, int width, int heads, int kvHeads, int headDim) {
		return new Structure(Kind.DECODER_ONLY, 0, m, width, heads, kvHeads, headDim, false);
	}

	/** This structure with Post-LN residuals. */
	public Structure withPostLn() {
		return new Structure(this.kind, this.encoderLayers, this.decoderLayers, this.width, this.heads, this.kvHeads,
				this.headDim, true);
	}

	/** The stack a weight without an explicit one belongs to. */
	public Stack defaultStack() {
		return (this.kind == Kind.ENCODER_ONLY) ? Stack.ENCODER : Stack.DECODER;
	}

	/** The blocks of a stack. */
	public int layers(Stack stack) {
		return (stack == Stack.ENCODER) ? this.encoderLayers : this.decoderLayers;
	}

	/** All blocks. */
	public int totalLayers() {
		return this.encoderLayers + this.decoderLayers;
	}

}
