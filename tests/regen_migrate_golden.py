"""Regenerate the golden migrate outputs: ``python tests/regen_migrate_golden.py``.

Review every diff (``git diff fixtures/golden/migrate-*``) before committing it: a golden
file is a claim about what users get.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from migrate_cases import CASES, README, golden_dir, migrate_into, readme_with


def main() -> int:
    for name, fixture, taskdefs in CASES:
        with tempfile.TemporaryDirectory() as scratch:
            out, status, stdout, _ = migrate_into(name, fixture, taskdefs, Path(scratch) / name)
            target = golden_dir(name)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(out, target)
            (target / "stdout.txt").write_text(stdout)
            print(f"wrote {target.name} (exit {status})")
            if name == "shop":
                README.write_text(readme_with(stdout))
                print("wrote the shop report into README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
