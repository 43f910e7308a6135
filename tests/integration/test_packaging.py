"""meshify installs under the ``meshify`` namespace only, editable and not, in a fresh
virtual environment, and works from a directory outside the checkout.

``injector`` and ``rules`` are taken on PyPI: they must never be importable top-level."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from golden_cases import GOLDEN, ROOT, SHOP

pytestmark = pytest.mark.slow  # a real process, server or installation (ARCHITECTURE.md, Tests)

CHECK_IMPORTS = """
import importlib.util, json, meshify.injector, meshify.rules
print(json.dumps({
    "injector": meshify.injector.__file__,
    "top_level_injector": importlib.util.find_spec("injector") is not None,
    "top_level_rules": importlib.util.find_spec("rules") is not None,
}))
"""


@pytest.mark.parametrize("editable", [False, True], ids=["wheel", "editable"])
def test_fresh_virtual_environment(tmp_path, editable):
    import json

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    install += ["-e", str(ROOT)] if editable else [str(ROOT)]
    subprocess.run(install, check=True, cwd=tmp_path, timeout=900)

    outside = tmp_path / "elsewhere"
    shutil.copytree(SHOP, outside)
    imports = json.loads(subprocess.run([str(python), "-c", CHECK_IMPORTS], cwd=outside, check=True,
                                        capture_output=True, text=True).stdout)
    assert imports["top_level_injector"] is False
    assert imports["top_level_rules"] is False
    installed_from = Path(imports["injector"]).resolve()
    if editable:
        assert installed_from == (ROOT / "injector" / "__init__.py").resolve()
    else:
        assert venv.resolve() in installed_from.parents

    result = subprocess.run([str(venv / "bin" / "meshify"), "inject", "taskdefs/products-api.json"],
                            cwd=outside, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (GOLDEN / "shop-products-api.out.json").read_text()
    rules = subprocess.run([str(python), "-c", "from meshify.injector.engine import all_rules; print(len(all_rules()))"],
                           cwd=outside, capture_output=True, text=True, check=True)
    from meshify.injector.engine import all_rules

    assert int(rules.stdout) == len(all_rules())  # every rule module shipped
