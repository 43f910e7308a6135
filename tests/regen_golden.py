"""Regenerate the golden inject outputs: ``python tests/regen_golden.py``.

Review every diff (``git diff fixtures/golden``) before committing it: a golden file is
a claim about what users get.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from conftest import run_meshify
from golden_cases import CASES, FIXTURES, GOLDEN, TERRAFORM_CASES, golden_paths
from meshify.injector.commands.inject import inject
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.inputs.task_definition import load_taskdef


def main() -> int:
    for name, source, manifest in CASES:
        if not source.exists():
            print(f"skipped {name}: {source} is absent", file=sys.stderr)
            continue
        injection = inject(load_manifest(str(manifest)), load_taskdef(str(source)))
        patch_path, output_path = golden_paths(name, source)
        patch_path.write_text(json.dumps(injection.patch, indent=2) + "\n")
        output_path.write_text(injection.edit().render())
        print(f"wrote {patch_path.name}, {output_path.name}")
    for golden, folder, name, commands in TERRAFORM_CASES:
        with tempfile.TemporaryDirectory() as work:
            copy = Path(work) / folder
            shutil.copytree(FIXTURES / "terraform" / folder, copy)
            for command in commands:
                result = run_meshify(*command, cwd=copy)
                if result.returncode != 0:
                    print(f"{golden}: meshify {' '.join(command)} exited {result.returncode}:\n{result.stderr}",
                          file=sys.stderr)
                    return 1
            (GOLDEN / "terraform" / golden).write_bytes((copy / name).read_bytes())
        print(f"wrote terraform/{golden}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
