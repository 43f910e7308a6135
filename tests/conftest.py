from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_cases import CORPUS, SHOP

MESHIFY = Path(sys.executable).with_name("meshify")
# The tests keep meshify's cache to themselves (never the developer's ~/.cache/meshify).
os.environ.setdefault("MESHIFY_CACHE_DIR", tempfile.mkdtemp(prefix="meshify-test-cache-"))


def run_meshify(*args: str, cwd: Path | str | None = None, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    env = {key: value for key, value in os.environ.items() if key != "MESHIFY_DEBUG"}
    return subprocess.run([str(MESHIFY), *args], cwd=cwd, capture_output=True, text=True, env=env,
                          input=input_text, timeout=60)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A writable copy of the shop example."""
    import shutil

    target = tmp_path / "shop"
    shutil.copytree(SHOP, target)
    return target


def corpus_file(relative: str) -> Path:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"the shared corpus is absent ({path}); it lives beside the checkout in ../shared")
    return path
