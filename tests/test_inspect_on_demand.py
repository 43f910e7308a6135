"""``dataclasses`` imported without ``inspect`` (``inspect_on_demand``) must behave as the
real thing: a class without a docstring still gets dataclasses' ``__doc__`` (the one call
it makes to ``inspect``), and every other importer of ``inspect`` gets the real module.
Each case is a fresh interpreter, as the console script's is."""

from __future__ import annotations

import json
import subprocess
import sys

_CASE = """
import json, sys
from meshify.injector.inspect_on_demand import import_dataclasses
import_dataclasses()
after_import = sorted(name for name in ("inspect", "ast", "dis", "tokenize") if name in sys.modules)
import dataclasses

@dataclasses.dataclass
class NoDocstring:
    a: int
    b: str = "x"

import inspect
print(json.dumps({
    "after_import": after_import,
    "doc": NoDocstring.__doc__,
    "real": type(inspect).__name__ == "module" and inspect.__name__ == "inspect" and hasattr(inspect, "signature"),
    "forwarded": dataclasses.inspect.signature is inspect.signature,
    "in_sys_modules": sys.modules["inspect"] is inspect,
}))
"""


def _run(code: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return json.loads(result.stdout)


def test_dataclasses_without_inspect_until_a_class_without_a_docstring_needs_it():
    assert _run(_CASE) == {"after_import": [], "doc": "NoDocstring(a: int, b: str = 'x')", "real": True,
                           "forwarded": True, "in_sys_modules": True}


def test_a_process_that_imported_inspect_already_is_left_as_it_is():
    report = _run("import inspect\n" + _CASE)
    assert report["after_import"] == ["ast", "dis", "inspect", "tokenize"]
    assert report["doc"] == "NoDocstring(a: int, b: str = 'x')"
    assert report["forwarded"] is True


def test_the_stand_in_asked_during_the_import_loads_the_real_module():
    """Were the stand-in asked while it is still ``sys.modules["inspect"]`` (a ``dataclasses``
    that used ``inspect`` at import), it takes itself out first instead of returning itself."""
    code = """
import json, sys
from meshify.injector import inspect_on_demand
stand_in = inspect_on_demand._Inspect("inspect")
sys.modules["inspect"] = stand_in
signature = stand_in.signature
import inspect
print(json.dumps({"real": signature is inspect.signature and inspect is not stand_in}))
"""
    assert _run(code) == {"real": True}
