"""The report ``init_`` returns, shared by the framework helpers (no framework imported here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

__all__ = ["InitReport"]


@dataclass
class InitReport:
    """What one ``init_`` call set, and how.

    ``tensors``: each parameter set (by the framework's own name: a ``state_dict`` key, a Keras
    variable path) → its resolved init, as the server reports it (``scheme``, its parameters,
    ``fan_in``, ``fan_out``, ``gain``, ``std`` or ``bound``, and the ``preset`` or ``rule`` that
    chose it). ``skipped``: the layers or modules left as they were (``strict=False``), with why
    in ``reasons``. ``request``: the request body sent, to reproduce the values with
    ``initlab.generate(report.request)``. ``seed``: the seed used (drawn by the server when none
    was given).
    """

    tensors: Dict[str, Dict[str, Any]]
    skipped: List[str]
    request: Dict[str, Any]
    seed: Optional[int] = None
    reasons: Dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"InitReport({len(self.tensors)} tensors set, {len(self.skipped)} skipped, "
                f"seed={self.seed})")

    def summary(self) -> str:
        """One line per tensor (name, scheme and its main numbers), then the skipped ones."""
        lines = []
        for name, init in self.tensors.items():
            details = ", ".join(f"{k}={_short(init[k])}" for k in ("std", "bound", "gain", "value", "low", "high",
                                                                    "mean") if k in init)
            lines.append(f"{name}: {init.get('scheme', '?')}" + (f" ({details})" if details else ""))
        for name in self.skipped:
            lines.append(f"{name}: skipped ({self.reasons.get(name, 'not described')})")
        return "\n".join(lines)


def _short(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)
