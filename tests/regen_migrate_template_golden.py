"""Regenerate the golden in-place migrations of templates that declare ECS services:
``python tests/regen_migrate_template_golden.py``.

Review every diff (``git diff fixtures/golden/migrate-templates``) before committing it: a
golden file is a claim about what users get.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from migrate_cases import TEMPLATE_CASES, migrate_templates_in_place, template_golden


def main() -> int:
    for name, files in TEMPLATE_CASES:
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch) / name
            status, _, stderr = migrate_templates_in_place(name, files, work)
            if status not in (0, 1):
                print(stderr, file=sys.stderr)
                return status
            target = template_golden(name)
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for file in files:
                shutil.copy(work / file, target / file)
            print(f"wrote {target} (exit {status})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
