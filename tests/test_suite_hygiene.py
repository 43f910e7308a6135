"""The test suite cleans up after itself: a developer's or CI runner's temporary directory
does not fill up with one cache directory per run of the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.slow
def test_a_run_of_the_suite_leaves_no_cache_directory_behind(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "MESHIFY_CACHE_DIR"}
    env["TMPDIR"] = str(temporary)
    # One quick test of the suite, run by pytest with the suite's conftest, as a developer would.
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             str(HERE / "test_inspect_on_demand.py")],
                            cwd=HERE.parent, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(path.name for path in temporary.iterdir()) == []
