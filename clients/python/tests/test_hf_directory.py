"""`?format=hf` (docs/API.md section 8, the contract's section 9): a transformers model's Hugging Face directory as one tar.

For small GPT-2, Llama (grouped-query and tied), BERT (base and masked-LM) and T5 configs, the
server's tar must extract to a directory that the real library loads as it loads its own
`save_pretrained` output:
  - the tar holds exactly config.json and model.safetensors, and its Content-Length is exact;
  - `AutoConfig.from_pretrained(dir)` gives the config the library builds from the same request
    config (every field, the derived ones included);
  - `AutoModel*.from_pretrained(dir, output_loading_info=True)` builds the named class with no
    missing, unexpected or mismatched keys and no error messages;
  - model.safetensors has save_pretrained's metadata ({"format": "pt"}) and leaves out exactly the
    later keys of each tie group (the library re-ties them on load);
  - every tensor of the loaded model (tied keys included) equals, bit for bit, the same request's
    plain `?format=safetensors` response, which holds every key.
The negative control removes one key from model.safetensors and sees from_pretrained report it
missing, so the "no missing keys" check can fail. Nothing here is statistical.
"""

import io
import json
import tarfile

import pytest
import requests
import safetensors
import safetensors.torch
import torch

from test_architectures import import_torchvision

import_torchvision()  # transformers' config validators import it (see import_torchvision)
import transformers  # noqa: E402

import initlab_client as il  # noqa: E402

transformers.logging.set_verbosity_error()

TIMEOUT = (10, 300)

GPT2 = {"vocab_size": 100, "n_positions": 16, "n_embd": 32, "n_layer": 2, "n_head": 4}
LLAMA = {"vocab_size": 100, "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
         "num_attention_heads": 4}
BERT = {"vocab_size": 100, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
        "intermediate_size": 48, "max_position_embeddings": 24}
T5 = {"vocab_size": 100, "d_model": 32, "d_kv": 8, "d_ff": 48, "num_layers": 2, "num_heads": 4}

# (id, architecture, config, dtype, auto class, the keys save_pretrained leaves out)
CASES = [
    ("gpt2", "transformers/GPT2LMHeadModel", GPT2, "float32", "AutoModelForCausalLM", {"lm_head.weight"}),
    ("gpt2_bf16_untied", "transformers/GPT2LMHeadModel", {**GPT2, "tie_word_embeddings": False}, "bfloat16",
     "AutoModelForCausalLM", set()),
    ("llama_gqa", "transformers/LlamaForCausalLM", {**LLAMA, "num_key_value_heads": 2}, "float32",
     "AutoModelForCausalLM", set()),
    ("llama_tied", "transformers/LlamaForCausalLM", {**LLAMA, "tie_word_embeddings": True, "pad_token_id": 0},
     "float32", "AutoModelForCausalLM", {"lm_head.weight"}),
    ("bert_mlm", "transformers/BertForMaskedLM", BERT, "float32", "AutoModelForMaskedLM",
     {"cls.predictions.decoder.weight", "cls.predictions.decoder.bias"}),
    ("bert_model", "transformers/BertModel", BERT, "float32", "AutoModel", set()),
    ("t5", "transformers/T5ForConditionalGeneration", T5, "float32", "AutoModelForSeq2SeqLM",
     {"encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight"}),
    ("t5_gated", "transformers/T5ForConditionalGeneration", {**T5, "feed_forward_proj": "gated-gelu"}, "float16",
     "AutoModelForSeq2SeqLM", {"encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight"}),
]

CONFIG_CLASSES = {"GPT2LMHeadModel": transformers.GPT2Config, "LlamaForCausalLM": transformers.LlamaConfig,
                  "BertModel": transformers.BertConfig, "BertForMaskedLM": transformers.BertConfig,
                  "T5ForConditionalGeneration": transformers.T5Config}


def body(architecture, config, dtype):
    return {"seed": 5, "dtype": dtype, "model": {"architecture": architecture, "config": config}}


def post(server_url, request, fmt):
    return requests.post(server_url + il.ENDPOINT, params={"format": fmt}, json=request, timeout=TIMEOUT)


def fetch_directory(server_url, request, directory):
    """POSTs ?format=hf and extracts the tar into `directory`; returns the member names."""
    response = post(server_url, request, "hf")
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == "application/x-tar"
    assert int(response.headers["Content-Length"]) == len(response.content)
    with tarfile.open(fileobj=io.BytesIO(response.content), mode="r:") as tar:
        names = tar.getnames()
        assert all(m.isfile() and m.mode == 0o644 for m in tar.getmembers())
        tar.extractall(directory, filter="data")
    return names


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_from_pretrained_loads_the_tar_with_no_missing_or_unexpected_keys(server_url, tmp_path, case):
    _, architecture, config, dtype, auto, left_out = case
    request = body(architecture, config, dtype)
    assert fetch_directory(server_url, request, tmp_path) == ["config.json", "model.safetensors"]
    class_name = architecture.split("/")[1]

    loaded_config = transformers.AutoConfig.from_pretrained(tmp_path)
    expected = CONFIG_CLASSES[class_name](**json.loads(json.dumps(config))).to_dict()
    got = loaded_config.to_dict()
    for key in ("architectures", "dtype", "transformers_version", "_name_or_path"):
        expected.pop(key, None)
    assert got.pop("architectures") == [class_name]
    assert str(got.pop("dtype")).replace("torch.", "") == dtype
    got.pop("transformers_version", None)
    got.pop("_name_or_path", None)
    assert got == expected

    model, info = getattr(transformers, auto).from_pretrained(tmp_path, output_loading_info=True)
    assert type(model).__name__ == class_name
    assert not info["missing_keys"], info
    assert not info["unexpected_keys"], info
    assert not info["mismatched_keys"], info
    assert not info["error_msgs"], info

    path = tmp_path / "model.safetensors"
    with safetensors.safe_open(str(path), "pt") as f:
        assert f.metadata() == {"format": "pt"}
        saved = set(f.keys())
    state = model.state_dict()
    assert saved == set(state) - left_out
    assert left_out <= set(state)

    # the values: the plain safetensors response holds every key, tied ones included
    plain = post(server_url, request, "safetensors")
    assert plain.status_code == 200, plain.text[:500]
    everything = safetensors.torch.load(plain.content)
    assert set(everything) == set(state)
    # T5 keeps its feed-forward output `wo` in float32 when loading float16 weights
    # (_keep_in_fp32_modules): the value is the served one, upcast exactly
    keep_fp32 = set(getattr(model, "_keep_in_fp32_modules", None) or []) | set(
        getattr(model, "_keep_in_fp32_modules_strict", None) or [])
    for name, tensor in state.items():
        served = everything[name]
        if tensor.dtype != served.dtype:
            assert tensor.dtype == torch.float32 and any(m in name.split(".") for m in keep_fp32), name
            served = served.to(torch.float32)
        assert torch.equal(tensor, served), name


def test_a_missing_key_is_reported_missing(server_url, tmp_path):
    """Negative control: the loading-info check above sees a key that is not in the file."""
    request = body("transformers/GPT2LMHeadModel", GPT2, "float32")
    fetch_directory(server_url, request, tmp_path)
    path = str(tmp_path / "model.safetensors")
    tensors = safetensors.torch.load_file(path)
    del tensors["transformer.h.1.mlp.c_fc.weight"]
    safetensors.torch.save_file(tensors, path, metadata={"format": "pt"})
    _, info = transformers.AutoModelForCausalLM.from_pretrained(tmp_path, output_loading_info=True)
    assert "transformer.h.1.mlp.c_fc.weight" in info["missing_keys"]


@pytest.mark.parametrize("request_body, field", [
    ({"model": {"architecture": "nanogpt/GPT", "config": {"n_layer": 1, "n_embd": 8, "n_head": 2,
                                                          "vocab_size": 10, "block_size": 4}}},
     "model.architecture"),
    ({"layers": [{"name": "fc", "type": "linear", "in_features": 2, "out_features": 3}]}, "format"),
], ids=["nanogpt", "layers"])
def test_without_a_transformers_model_the_problem_names_the_allowed_architectures(server_url, request_body, field):
    response = post(server_url, request_body, "hf")
    assert response.status_code == 400
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == [field]
    assert "transformers/GPT2LMHeadModel" in problem["detail"]
    assert "format safetensors" in problem["detail"]


@pytest.mark.parametrize("case", [c for c in CASES if c[0] in ("gpt2", "llama_gqa")], ids=["gpt2", "llama"])
def test_from_pretrained_loads_a_sharded_checkpoint(server_url, tmp_path, case):
    """POST /api/v1/checkpoints with a small max_shard_size, GET every file into a directory:
    transformers loads the shards through model.safetensors.index.json and config.json with no
    missing or unexpected keys, and the values are the plain safetensors response's."""
    _, architecture, config, dtype, auto, _ = case
    request = {**body(architecture, config, dtype), "max_shard_size": "20KB"}
    created = requests.post(server_url + "/api/v1/checkpoints", json=request, timeout=TIMEOUT)
    assert created.status_code == 201, created.text[:500]
    listing = created.json()
    names = [f["name"] for f in listing["files"]]
    assert listing["index"] == "model.safetensors.index.json" and "config.json" in names
    assert sum(n.startswith("model-") for n in names) > 1, names
    for f in listing["files"]:
        got = requests.get(f["url"], timeout=TIMEOUT)
        assert got.status_code == 200 and len(got.content) == f["size"], f["name"]
        (tmp_path / f["name"]).write_bytes(got.content)
    model, info = getattr(transformers, auto).from_pretrained(tmp_path, output_loading_info=True)
    assert not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"], info
    plain = post(server_url, body(architecture, config, dtype), "safetensors")
    everything = safetensors.torch.load(plain.content)
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, everything[name]), name
