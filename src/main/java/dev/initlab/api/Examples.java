package dev.initlab.api;

/** Request examples shown (and runnable) in Swagger UI; fields: docs/API.md. */
final class Examples {

	static final String INITIALIZATION = """
			{
			  "seed": 42,
			  "rng": "xoshiro256pp",
			  "dtype": "float32",
			  "layout": "pytorch",
			  "init": {
			    "weight": {"scheme": "kaiming_normal", "mode": "fan_in", "nonlinearity": "relu"},
			    "bias": {"scheme": "zeros"}
			  },
			  "layers": [
			    {"name": "fc1", "type": "linear", "in_features": 4, "out_features": 3, "activation": "relu"},
			    {"name": "out", "type": "linear", "in_features": 3, "out_features": 2,
			     "init": {"weight": {"scheme": "xavier_uniform"}}}
			  ],
			  "include": ["stats", "data"]
			}
			""";

	static final String CONV_STATS_ONLY = """
			{
			  "seed": 7,
			  "init": {"preset": "pytorch_default", "weight": {"scheme": "orthogonal", "gain": 1.0}},
			  "layers": [
			    {"name": "stem", "type": "conv2d", "in_channels": 3, "out_channels": 64, "kernel_size": 7},
			    {"name": "up", "type": "conv_transpose2d", "in_channels": 64, "out_channels": 32, "kernel_size": [4, 4],
			     "init": {"weight": {"scheme": "kaiming_uniform", "a": 2.23606797749979}}},
			    {"name": "ident", "type": "conv2d", "in_channels": 16, "out_channels": 16, "kernel_size": 3, "bias": false,
			     "init": {"weight": {"scheme": "dirac"}}}
			  ],
			  "include": ["stats"]
			}
			""";

	static final String TRANSFORMER_BLOCK = """
			{
			  "seed": 0,
			  "init": {"preset": "pytorch_default"},
			  "layers": [
			    {"name": "tok", "type": "embedding", "num_embeddings": 1000, "embedding_dim": 64, "padding_idx": 0},
			    {"name": "ln1", "type": "layer_norm", "normalized_shape": 64},
			    {"name": "attn", "type": "multihead_attention", "embed_dim": 64, "num_heads": 4},
			    {"name": "ln2", "type": "layer_norm", "normalized_shape": 64},
			    {"name": "fc", "type": "linear", "in_features": 64, "out_features": 256, "activation": "relu"},
			    {"name": "proj", "type": "linear", "in_features": 256, "out_features": 64}
			  ],
			  "include": ["stats"]
			}
			""";

	static final String GPT2 = """
			{
			  "seed": 0,
			  "model": {"architecture": "transformers/GPT2LMHeadModel",
			            "config": {"n_layer": 2, "n_embd": 64, "n_head": 4, "vocab_size": 1000, "n_positions": 128}},
			  "init": {"preset": "library_default"},
			  "overrides": [{"match": "transformer.h.*.mlp.c_fc.weight", "init": {"scheme": "kaiming_normal"}}],
			  "include": ["stats"]
			}
			""";

	static final String NANOGPT = """
			{
			  "seed": 0,
			  "model": {"architecture": "nanogpt/GPT",
			            "config": {"block_size": 64, "vocab_size": 512, "n_layer": 2, "n_head": 4, "n_embd": 64,
			                       "bias": false}},
			  "include": ["stats"]
			}
			""";

	static final String LLAMA = """
			{
			  "seed": 0,
			  "model": {"architecture": "transformers/LlamaForCausalLM",
			            "config": {"vocab_size": 1000, "hidden_size": 64, "intermediate_size": 128,
			                       "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
			                       "max_position_embeddings": 128}},
			  "include": ["stats"]
			}
			""";

	static final String BERT_MLM = """
			{
			  "seed": 0,
			  "model": {"architecture": "transformers/BertForMaskedLM",
			            "config": {"vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2,
			                       "num_attention_heads": 4, "intermediate_size": 128, "max_position_embeddings": 128}},
			  "include": ["stats"]
			}
			""";

	static final String T5 = """
			{
			  "seed": 0,
			  "model": {"architecture": "transformers/T5ForConditionalGeneration",
			            "config": {"vocab_size": 1000, "d_model": 64, "d_kv": 16, "d_ff": 128, "num_layers": 2,
			                       "num_heads": 4}},
			  "include": ["stats"]
			}
			""";

	static final String RECIPE_DEEPNORM = """
			{
			  "seed": 0,
			  "model": {"architecture": "transformers/BertModel",
			            "config": {"vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 12,
			                       "num_attention_heads": 4, "intermediate_size": 128, "max_position_embeddings": 128}},
			  "recipe": {"name": "deepnorm"},
			  "include": ["stats"]
			}
			""";

	static final String RECIPE_SCALED_RESIDUAL = """
			{
			  "seed": 0,
			  "model": {"architecture": "transformers/LlamaForCausalLM",
			            "config": {"vocab_size": 1000, "hidden_size": 64, "intermediate_size": 128,
			                       "num_hidden_layers": 8, "num_attention_heads": 4, "max_position_embeddings": 128}},
			  "recipe": {"name": "scaled_residual", "factor": 2},
			  "include": ["stats"]
			}
			""";

	static final String RECIPE_T_FIXUP = """
			{
			  "seed": 0,
			  "model": {"architecture": "transformers/T5ForConditionalGeneration",
			            "config": {"vocab_size": 1000, "d_model": 64, "d_kv": 16, "d_ff": 128, "num_layers": 6,
			                       "num_decoder_layers": 4, "num_heads": 4}},
			  "recipe": {"name": "t_fixup"},
			  "include": ["stats"]
			}
			""";

	static final String RECIPE_MUP = """
			{
			  "seed": 0,
			  "model": {"architecture": "transformers/GPT2LMHeadModel",
			            "config": {"n_layer": 2, "n_embd": 256, "n_head": 4, "vocab_size": 1000, "n_positions": 128}},
			  "recipe": {"name": "mup", "base_config": {"n_embd": 64}},
			  "include": ["stats"]
			}
			""";

	static final String RECIPE_MIMETIC = """
			{
			  "seed": 0,
			  "model": {"architecture": "timm/VisionTransformer",
			            "config": {"img_size": 32, "patch_size": 8, "embed_dim": 64, "depth": 4, "num_heads": 4,
			                       "num_classes": 10}},
			  "recipe": {"name": "mimetic", "alpha1": 0.7, "beta1": 0.7, "alpha2": 0.4, "beta2": 0.4},
			  "include": ["stats"]
			}
			""";

	static final String RECIPE_ZERO = """
			{
			  "seed": 0,
			  "layers": [{"name": "fc1", "type": "linear", "in_features": 2, "out_features": 8},
			             {"name": "fc2", "type": "linear", "in_features": 8, "out_features": 8},
			             {"name": "out", "type": "linear", "in_features": 8, "out_features": 1}],
			  "recipe": {"name": "zero"}
			}
			""";

	static final String RECIPE_FIXUP = """
			{
			  "seed": 0,
			  "model": {"architecture": "fixup/resnet50", "config": {"num_classes": 10}},
			  "recipe": {"name": "fixup"},
			  "include": ["stats"]
			}
			""";

	static final String RESNET18 = """
			{
			  "seed": 0,
			  "model": {"architecture": "torchvision/resnet18",
			            "config": {"num_classes": 10, "zero_init_residual": true}},
			  "include": ["stats"]
			}
			""";

	static final String VIT = """
			{
			  "seed": 0,
			  "model": {"architecture": "timm/VisionTransformer",
			            "config": {"img_size": 32, "patch_size": 8, "embed_dim": 64, "depth": 2, "num_heads": 4,
			                       "num_classes": 10, "weight_init": "jax"}},
			  "include": ["stats"]
			}
			""";

	static final String LAYER_OVERRIDES = """
			{
			  "seed": 1,
			  "init": {"preset": "pytorch_default"},
			  "layers": [
			    {"name": "block.0.fc", "type": "linear", "in_features": 64, "out_features": 64},
			    {"name": "block.1.fc", "type": "linear", "in_features": 64, "out_features": 64},
			    {"name": "head", "type": "linear", "in_features": 64, "out_features": 10}
			  ],
			  "overrides": [{"match": "block.*.fc.weight", "init": {"scheme": "orthogonal"}},
			                {"match": "**.bias", "init": {"scheme": "zeros"}}],
			  "include": ["stats"]
			}
			""";

	static final String LSTM = """
			{
			  "seed": 0,
			  "layout": "keras",
			  "init": {"preset": "keras_default"},
			  "layers": [
			    {"name": "lstm", "type": "lstm", "input_size": 16, "hidden_size": 32, "num_layers": 2, "bidirectional": true}
			  ],
			  "include": ["stats"]
			}
			""";

	static final String EXPERIMENT = """
			{
			  "seed": 1,
			  "dataset": {"name": "planar_flower", "n_samples": 400},
			  "model": {"hidden_layers": [4], "activation": "tanh", "output": "sigmoid"},
			  "training": {"optimizer": "gd", "learning_rate": 1.2, "iterations": 2000, "record_every": 200},
			  "policies": [
			    {"label": "zeros", "init": {"preset": "zeros"}},
			    {"label": "small random", "init": {"preset": "small_random"}},
			    {"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}}}
			  ]
			}
			""";

	static final String SYMMETRY_CHECK = """
			{
			  "seed": 3,
			  "init": {"preset": "zeros"},
			  "layers": [
			    {"name": "fc1", "type": "linear", "in_features": 2, "out_features": 4, "activation": "tanh"},
			    {"name": "out", "type": "linear", "in_features": 4, "out_features": 1}
			  ],
			  "include": ["stats"],
			  "symmetry_check": {
			    "dataset": {"name": "planar_flower"},
			    "training": {"learning_rate": 1.2, "iterations": 1000, "record_every": 250}
			  }
			}
			""";

	static final String PROPAGATION = """
			{"seed": 0, "depth": 50, "width": 256, "activation": "relu", "batch_size": 128,
			 "policies": [{"label": "xavier", "init": {"weight": {"scheme": "xavier_normal"}, "bias": {"scheme": "zeros"}}},
			              {"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}}}]}
			""";

	static final String PROPAGATION_OVERRIDES = """
			{"seed": 0, "depth": 30, "width": 256, "activation": "relu", "batch_size": 128,
			 "policies": [{"label": "xavier", "init": {"weight": {"scheme": "xavier_normal"}, "bias": {"scheme": "zeros"}}},
			              {"label": "xavier, he on 11-20", "init": {"weight": {"scheme": "xavier_normal"}, "bias": {"scheme": "zeros"}},
			               "layers": [{"layers": [11, 12, 13, 14, 15, 16, 17, 18, 19, 20], "init": {"weight": {"scheme": "kaiming_normal"}}}]},
			              {"label": "lsuv", "init": {"weight": {"scheme": "lsuv", "tolerance": 0.05, "max_iterations": 10}, "bias": {"scheme": "zeros"}}}]}
			""";

	/**
	 * A 12-block residual stack (2 ReLU branch layers, no norm): He init doubles the
	 * variance per block; the last branch layers (2, 4, ..., 24 in the block-major
	 * numbering) at std 1/sqrt(width·2L) = 1/sqrt(256·24) grow it by 1 + 1/24 per block;
	 * zero last branch layers (SkipInit-style) pass the input through.
	 */
	static final String PROPAGATION_RESIDUAL = """
			{"seed": 0, "depth": 12, "width": 256, "activation": "relu", "batch_size": 128,
			 "block": {"type": "residual", "branch_layers": 2, "norm": "none", "alpha": 1.0},
			 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}}},
			              {"label": "he, last branch layers / sqrt(2L)", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}},
			               "layers": [{"layers": [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24], "init": {"weight": {"scheme": "normal", "std": 0.0127578}}}]},
			              {"label": "he, last branch layers zero (SkipInit)", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}},
			               "layers": [{"layers": [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24], "init": {"weight": {"scheme": "zeros"}}}]}]}
			""";

	/**
	 * The same kind of stack, 24 blocks, with recipes (GET /api/v1/recipes) instead of
	 * hand-written overrides.
	 */
	static final String PROPAGATION_RECIPES = """
			{"seed": 0, "depth": 24, "width": 256, "activation": "relu", "batch_size": 128,
			 "block": {"type": "residual", "branch_layers": 2, "norm": "none", "alpha": 1.0},
			 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}}},
			              {"label": "he + scaled_residual", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}},
			               "recipe": {"name": "scaled_residual"}},
			              {"label": "he + fixup", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}},
			               "recipe": {"name": "fixup"}},
			              {"label": "he + skipinit", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}},
			               "recipe": {"name": "skipinit"}}]}
			""";

	static final String EXPERIMENT_LSUV = """
			{
			  "seed": 1,
			  "dataset": {"name": "planar_flower", "n_samples": 400},
			  "model": {"hidden_layers": [10, 5], "activation": "tanh", "output": "sigmoid"},
			  "training": {"optimizer": "gd", "learning_rate": 1.2, "iterations": 2000, "record_every": 200},
			  "policies": [
			    {"label": "orthogonal", "init": {"weight": {"scheme": "orthogonal"}, "bias": {"scheme": "zeros"}}},
			    {"label": "lsuv", "init": {"weight": {"scheme": "lsuv", "tolerance": 0.1}, "bias": {"scheme": "zeros"}}},
			    {"label": "lsuv, output layer xavier", "init": {"weight": {"scheme": "lsuv", "tolerance": 0.1}, "bias": {"scheme": "zeros"}},
			     "layers": [{"layers": [3], "init": {"weight": {"scheme": "xavier_normal"}}}]}
			  ]
			}
			""";

	/** POST /api/v1/checkpoints: a small GPT-2 in 100 KB shards. */
	static final String CHECKPOINT_GPT2 = """
			{
			  "seed": 0,
			  "model": {"architecture": "transformers/GPT2LMHeadModel",
			            "config": {"n_layer": 2, "n_embd": 64, "n_head": 4, "vocab_size": 1000, "n_positions": 128}},
			  "max_shard_size": "100KB"
			}""";

	/** POST /api/v1/checkpoints: two linear layers, one file. */
	static final String CHECKPOINT_MLP = """
			{
			  "seed": 42,
			  "layers": [
			    {"name": "fc1", "type": "linear", "in_features": 784, "out_features": 256, "activation": "relu"},
			    {"name": "out", "type": "linear", "in_features": 256, "out_features": 10}
			  ]
			}""";

	private Examples() {
	}

	/**
	 * {@code GET /api/v1/experiments/{id}/boundary?resolution=3} as the server answered
	 * it for {@code {"seed": 1, "dataset": {"name": "xor"}, "model": {"hidden_layers":
	 * [4]}, "training": {"learning_rate": 1.2, "iterations": 1000}, "policies":
	 * [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}, "bias":
	 * {"scheme": "zeros"}}}]}}.
	 */
	static final String BOUNDARY = """
			{
			  "policy": "he", "resolution": 3, "output": "sigmoid", "classes": 2, "iteration": 1000,
			  "train_accuracy": 1.0,
			  "x": [-2.0, 0.0, 2.0],
			  "y": [-2.0, 0.0, 2.0],
			  "probability": [[0.00207649837273346, 0.9972609584377873, 0.9973075813114961],
			                  [0.9974201573538849, 0.0018231767765489251, 0.996619897958265],
			                  [0.997267451904682, 0.9966711962269266, 0.001365327231270624]],
			  "prediction": [[0, 1, 1], [1, 0, 1], [1, 1, 0]],
			  "points": {"x": [[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]], "label": [0, 1, 1, 0]}
			}
			""";

}
