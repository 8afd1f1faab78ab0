"""What transformers' save_pretrained writes for a small GPT-2 at three max_shard_size values.

Writes gpt2_save_pretrained.json: per max_shard_size, each file's size and its safetensors
header (the JSON after the 8-byte length, padding included) and the index file's exact text.
The values are random; the file names, which tensors go where, the headers and the index are
what CheckpointFilesTests compares. Run: python3 gpt2_save_pretrained.py (transformers 5.18.0,
torch, safetensors).
"""
import json
import os
import tempfile

import torch
import transformers.utils as _tu
import transformers.utils.import_utils as _iu

# GPT-2 needs no torchvision; hide a torchvision built for another torch, which breaks the import.
_iu.is_torchvision_available = lambda: False
_tu.is_torchvision_available = lambda: False
import transformers  # noqa: E402
from transformers import GPT2Config, GPT2LMHeadModel  # noqa: E402

torch.manual_seed(0)
config = GPT2Config(n_layer=2, n_embd=64, n_head=4, vocab_size=1000, n_positions=128)
model = GPT2LMHeadModel(config)
out = {
    "transformers": transformers.__version__,
    "torch": torch.__version__,
    "config": {"n_layer": 2, "n_embd": 64, "n_head": 4, "vocab_size": 1000, "n_positions": 128},
    "state_dict": list(model.state_dict().keys()),
    "cases": {},
}
for max_shard_size in ["5GB", "300KB", "100KB"]:
    with tempfile.TemporaryDirectory() as d:
        model.save_pretrained(d, max_shard_size=max_shard_size)
        case = {"files": {}, "index": None}
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if name.endswith(".safetensors"):
                with open(path, "rb") as f:
                    n = int.from_bytes(f.read(8), "little")
                    header = f.read(n).decode("utf-8")
                case["files"][name] = {"size": os.path.getsize(path), "header": header}
            elif name == "model.safetensors.index.json":
                with open(path, encoding="utf-8") as f:
                    case["index"] = f.read()
        out["cases"][max_shard_size] = case
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "gpt2_save_pretrained.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
