"""The JSON layout every fixture script here writes: top-level keys one per line, one list entry
per line, so a regenerated fixture gives small, stable diffs."""
import json


def dump(fixture):
    lines = ["{"]
    items = list(fixture.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(value, list):
            lines.append(f"  {json.dumps(key)}: [")
            for j, entry in enumerate(value):
                lines.append("    " + json.dumps(entry, allow_nan=False) + ("," if j < len(value) - 1 else ""))
            lines.append("  ]" + comma)
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"
