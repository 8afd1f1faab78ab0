#!/usr/bin/env python3
"""Builds docs/DEEP_MODELS.md and its plots from a running initlab server's own answers.

    python3 docs/deep-models/generate.py --server http://127.0.0.1:8080 [--out DIR]

Every number and plot on the page comes from POST /api/v1/propagation (residual stacks with a
recipe per policy, API.md sections 7 and 8) at depths 12, 48 and 192, with fixed seeds, so the
page is the same bytes on every run: CI regenerates it into a temporary directory and fails when
it differs from the committed page (`.ci/run`, step docs_page). Standard library only.
"""

import argparse
import json
import pathlib
import sys
import urllib.error
import urllib.request

DEPTHS = (12, 48, 192)
WIDTH = 128
BATCH = 128
SEED = 0
HE = {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}}

# (section id, title, block norm, policies as (label, recipe or None))
SECTIONS = (
    ("none", "No normalization: x ← x + f(x)", "none",
     (("he", None), ("he + scaled_residual", "scaled_residual"), ("he + fixup", "fixup"),
      ("he + skipinit", "skipinit"))),
    ("pre_ln", "Pre-LN: x ← x + f(LN(x)) (GPT-2, Llama, ViT)", "pre_ln",
     (("he", None), ("he + scaled_residual", "scaled_residual"), ("he + skipinit", "skipinit"))),
)


def post(server, path, body):
    request = urllib.request.Request(server + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.read()
    except urllib.error.HTTPError as e:
        sys.exit(f"{path}: HTTP {e.code}: {e.read().decode(errors='replace')}")


def request(depth, norm, alpha, policies):
    return {"seed": SEED, "depth": depth, "width": WIDTH, "activation": "relu", "batch_size": BATCH,
            "block": {"type": "residual", "branch_layers": 2, "norm": norm, "alpha": alpha},
            "policies": [dict({"label": label, "init": HE}, **({"recipe": {"name": recipe}} if recipe else {}))
                         for label, recipe in policies]}


def run(server, out, depth, norm, alpha, policies, name=None):
    """The propagation answer; with a name, its plot is saved as deep-models/NAME.svg."""
    body = request(depth, norm, alpha, policies)
    result = json.loads(post(server, "/api/v1/propagation", body))
    if name:
        svg = post(server, "/api/v1/propagation?format=svg", body)
        (out / "deep-models" / f"{name}.svg").write_bytes(svg)
    return result


def fmt(x):
    return f"{x:.3g}" if x is not None else "–"


def table(results_by_depth, labels):
    lines = ["| policy | " + " | ".join(f"depth {d}: last block std, verdict" for d in DEPTHS) + " |",
             "|---|" + "---|" * len(DEPTHS)]
    for i, label in enumerate(labels):
        cells = []
        for d in DEPTHS:
            r = results_by_depth[d]["results"][i]
            cells.append(f"{fmt(r['layers'][-1]['activation_std'])}, {r['verdict']}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://127.0.0.1:8080")
    parser.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parent.parent),
                        help="the docs directory to write DEEP_MODELS.md and deep-models/*.svg into")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    (out / "deep-models").mkdir(parents=True, exist_ok=True)

    parts = []
    for section, title, norm, policies in SECTIONS:
        results = {d: run(args.server, out, d, norm, 1.0, policies, f"{section}-{d}") for d in DEPTHS}
        labels = [label for label, _ in policies]
        plots = " ".join(f"![{title}, depth {d}](deep-models/{section}-{d}.svg)" for d in DEPTHS)
        parts.append(f"### {title}\n\n{table(results, labels)}\n\n{plots}\n")

    # DeepNorm: Post-LN with the recipe's alpha; plain Post-LN beside it, at alpha 1 and alpha
    deep_rows = []
    deep_results = {}
    for d in DEPTHS:
        probe = json.loads(post(args.server, "/api/v1/propagation",
                                request(d, "post_ln", 1.0, (("deepnorm", "deepnorm"),))))
        alpha = probe["results"][0]["recipe"]["alpha"]
        plain = run(args.server, out, d, "post_ln", 1.0, (("he", None),))
        deep = run(args.server, out, d, "post_ln", alpha, (("he", None), ("he + deepnorm", "deepnorm")),
                   f"post_ln-{d}")
        deep_results[d] = {"alpha": alpha, "plain": plain, "deep": deep}
    rows = [("he, α = 1", lambda d: deep_results[d]["plain"]["results"][0]),
            ("he, DeepNorm's α", lambda d: deep_results[d]["deep"]["results"][0]),
            ("he + deepnorm (β), DeepNorm's α", lambda d: deep_results[d]["deep"]["results"][1])]
    lines = ["| policy | " + " | ".join(f"depth {d} (α = {deep_results[d]['alpha']:.3f}): last block std, "
                                         "first block gradient std" for d in DEPTHS) + " |",
             "|---|" + "---|" * len(DEPTHS)]
    for label, get in rows:
        cells = [f"{fmt(get(d)['layers'][-1]['activation_std'])}, {fmt(get(d)['layers'][0]['gradient_std'])}"
                 for d in DEPTHS]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    plots = " ".join(f"![Post-LN, depth {d}](deep-models/post_ln-{d}.svg)" for d in DEPTHS)
    parts.append("### Post-LN: x ← LN(α·x + f(x)) (BERT, DeepNet)\n\n" + "\n".join(lines) + "\n\n" + plots + "\n")

    page = TEMPLATE.format(width=WIDTH, batch=BATCH, seed=SEED, sections="\n".join(parts))
    (out / "DEEP_MODELS.md").write_text(page, encoding="utf-8")
    print(f"wrote {out / 'DEEP_MODELS.md'} and {len(list((out / 'deep-models').glob('*.svg')))} plots")


TEMPLATE = """# Choosing an init for a deep model

<!-- generated by docs/deep-models/generate.py from a running server's answers; do not edit by
hand: CI regenerates this page and fails when it differs -->

The lecture's rule — keep each layer's output variance where its input's was — is enough for a
plain stack. A residual network adds each block's output to its input, x ← α·x + f(x), so even a
perfectly scaled branch adds variance at every block, and depth alone makes the signal grow.
The recipes of [API.md section 7](API.md#7-init-recipes--recipe) are the field's answers; this
page shows what each does to a residual stack, computed by this service's
`POST /api/v1/propagation` ([section 4](API.md#4-signal-propagation--post-apiv1propagation),
`block` of section 8): {width} units, 2 ReLU layers per branch (He-normal, the last one with
gain 1, biases zero), a batch of {batch} unit-variance samples, seed {seed}. Each plot shows the
activation std after every block on a log scale; the tables give the last block's std and the
service's verdict (`stable`, `exploding`, `vanishing`).

## What to choose

- **No normalization** (Fixup-style training, or to see the raw effect): with He init the
  variance doubles per block (2^L: the `he` rows explode). `skipinit` and `fixup` zero each
  branch's last layer, so every block starts as the identity and the variance stays 1 at any
  depth; `scaled_residual` divides the last layer by sqrt(2L) and bounds the growth by
  (1 + 1/(2L))^L ≤ e^½.
- **Pre-LN** (GPT-2, Llama, ViT): normalization inside the branch makes each block add about one
  unit of variance, so it grows linearly with depth rather than exponentially; GPT-2's
  `scaled_residual` (its own `library_default` already applies it) keeps it near 1.
- **Post-LN** (BERT, the original Transformer): the output of every block is normalized, so
  activations stay at 1 however deep — the trouble is in the gradients and updates, which is
  what DeepNorm's α (up-weighting the skip path) and β (down-scaling the branch) address; the
  gradient column shows the first block's gradient with and without them.
- **Width** is a different axis: `mup` ([section 7](API.md#7-init-recipes--recipe)) transfers
  hyperparameters across widths and changes learning rates as much as inits.

## Measured

{sections}
"""

if __name__ == "__main__":
    main()
