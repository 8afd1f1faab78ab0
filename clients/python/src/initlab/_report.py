"""The report every ``init_`` returns (``initlab.init_`` for torch, ``initlab.keras.init_``).

No framework is imported here, so each helper can share the class without importing the others'
framework. The fields and ``summary()`` are those of the torch helper's report; ``helper`` (last,
with a default) names the function in the summary's first line.
"""

from __future__ import annotations

import dataclasses

__all__ = ["InitReport"]


@dataclasses.dataclass
class InitReport:
    """What an ``init_`` call did.

    - ``tensors``: the framework's name of each tensor set (a ``state_dict()`` key, a Keras
      variable path) → the resolved init the server reports for it (scheme, its parameters,
      ``fan_in``/``fan_out``/``gain``, ``std`` or ``bound``, ``preset`` or ``rule``); a key tied
      to another (one shared Parameter) has ``tied_to`` naming it.
    - ``skipped``: module or layer path → why it was left alone (``strict=False`` only).
    - ``untouched``: tensors that kept their values (buffers the server does not send,
      parameters of skipped modules or layers).
    - ``guessed``: parameters of modules of your own described by their shape alone (a ``tensor``
      layer with role ``weight`` and PyTorch's fans; the torch helper's).
    - ``request``: the JSON body sent to ``POST /api/v1/initializations``
      (``initlab.generate(report.request)`` gives the same values again).
    - ``architecture``: the ``model.architecture`` used, or None for a layer-by-layer request.
    - ``seed``: the seed the server used (drawn by it when none was given).
    - ``bytes``: bytes of tensor data received.
    - ``helper``: which ``init_`` made the report.
    """

    tensors: dict[str, dict] = dataclasses.field(default_factory=dict)
    skipped: dict[str, str] = dataclasses.field(default_factory=dict)
    untouched: list[str] = dataclasses.field(default_factory=list)
    guessed: list[str] = dataclasses.field(default_factory=list)
    request: dict = dataclasses.field(default_factory=dict)
    architecture: str | None = None
    seed: int | None = None
    bytes: int = 0
    helper: str = "initlab.init_"

    def summary(self, limit: int | None = 40) -> str:
        """A table: one row per tensor (name, scheme, its std or bound, where it came from)."""
        how = f"model {self.architecture}" if self.architecture else f"{len(self.request.get('layers', []))} layers"
        lines = [f"{self.helper}: {len(self.tensors)} tensors set ({how}, seed {self.seed}, "
                 f"{self.bytes / 2**20:.1f} MiB)"]
        rows = []
        for name, init in self.tensors.items():
            scheme = init.get("scheme", "?")
            if "tied_to" in init and init.get("tied_to") != name:
                scale, source = "", f"tied to {init['tied_to']}"
            else:
                if "std" in init:
                    scale = f"std={init['std']:.4g}"
                elif "bound" in init:
                    scale = f"bound={init['bound']:.4g}"
                elif scheme == "uniform" and "high" in init:
                    scale = f"[{init.get('low', 0):.4g}, {init['high']:.4g}]"
                elif scheme == "constant" and "value" in init:
                    scale = f"value={init['value']:.4g}"
                else:
                    scale = ""
                source = init.get("rule") or (f"override {init['override']}" if "override" in init else "") or (
                    f"preset {init['preset']}" if "preset" in init else "")
                if init.get("recipe"):
                    source = f"{source}; {init['recipe']}" if source else str(init["recipe"])
            rows.append((name, scheme, scale, source))
        shown = rows if limit is None else rows[:limit]
        if shown:
            w0 = max(len(r[0]) for r in shown)
            w1 = max(len(r[1]) for r in shown)
            w2 = max(len(r[2]) for r in shown)
            for r in shown:
                lines.append(f"  {r[0]:<{w0}}  {r[1]:<{w1}}  {r[2]:<{w2}}  {r[3]}".rstrip())
        if limit is not None and len(rows) > limit:
            lines.append(f"  ... {len(rows) - limit} more (report.summary(limit=None) lists all)")
        if self.untouched:
            lines.append(f"  kept as they were: {', '.join(self.untouched)}")
        if self.guessed:
            lines.append(f"  drawn as weights by their shape alone (check them; overrides= changes them): "
                         f"{', '.join(self.guessed)}")
        for path, reason in self.skipped.items():
            lines.append(f"  skipped {path or '(root)'}: {reason}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()
