#!/usr/bin/env python3
"""Execute a notebook headless with nbclient; exit non-zero if any cell raises.

    INITLAB_URL=http://127.0.0.1:18080 python3 examples/run_notebook.py [NOTEBOOK] \
        [--timeout SECONDS] [--output EXECUTED.ipynb]

The notebook runs with its own directory as the working directory, in a `python3` kernel that
inherits this process's environment (so it sees INITLAB_URL). The source notebook is not
modified; --output saves the executed copy with its outputs.
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook", nargs="?", default=str(Path(__file__).with_name("quickstart.ipynb")))
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell (default 300)")
    parser.add_argument("--output", help="write the executed notebook here")
    args = parser.parse_args(argv)

    path = Path(args.notebook).resolve()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=args.timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.monotonic()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        print(f"FAIL: {path.name}: {e}", file=sys.stderr)
        return 1
    finally:
        if args.output:
            nbformat.write(nb, args.output)
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    print(f"ok   {path.name}: {cells} code cells ran in {time.monotonic() - started:.1f}s")
    for cell in nb.cells:  # echo what the cells printed, for the CI log
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                sys.stdout.write("     | " + out["text"].rstrip("\n").replace("\n", "\n     | ") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
