"""Regenerate the golden graphs: ``python tests/regen_graphs.py``.

Review every diff (``git diff fixtures/graphs``) before committing it: a golden file is a
claim about what users get.
"""

from __future__ import annotations

import sys

from conftest import run_meshify
from graph_cases import CASES, EXTENSIONS, GRAPHS, golden_graph


def main() -> int:
    GRAPHS.mkdir(exist_ok=True)
    for name, (cwd, args) in CASES.items():
        if not cwd.exists():
            print(f"skipped {name}: {cwd} is absent", file=sys.stderr)
            continue
        for fmt in EXTENSIONS:
            result = run_meshify(*args, "--format", fmt, cwd=cwd)
            if result.returncode != 0:
                print(f"{name}: {result.stderr}", file=sys.stderr)
                return 1
            golden_graph(name, fmt).write_text(result.stdout)
            print(f"wrote {golden_graph(name, fmt).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
