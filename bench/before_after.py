"""Before and after: ``bench/run.py`` on two versions of meshify, side by side, on this machine.

    python bench/before_after.py [--before REV] [--rounds 2] [--runs 3] [--only SECTION ...]

Issue 9 asks that a change of structure keep the benchmark's figures "as they are
(``bench/run.py`` before and after)". Seconds measured on different days cannot say that:
this shared machine's speed moves by a factor of two from one day to the next. So both
versions are measured here, in the same hour, alternately:

- ``--before`` (default ``e9903c3``: the first version, the last commit before issue 9's
  layout) is taken with ``git archive`` and installed in its own virtual environment;
- this checkout is installed in another (both with ``pip install``, not editable, so pip
  compiles their bytecode, as users get them);
- ``bench/run.py --installed --only SECTION`` runs with each, one section at a time (a
  section the old version cannot run is reported as such, not as a failure of the other),
  before, after, before, after... for ``--rounds`` rounds;
- each figure's median per version is printed side by side with the ratio after / before.

The exit status is 1 when a figure of the checkout is worse than before's by more than
``--tolerance`` (default 10 %, this machine's run-to-run spread), else 0. The comparison
with cfn-lint is left out (it needs this checkout's meshify to build its template, and it
is not a before-and-after figure).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_VERSION = "e9903c3"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import SECTIONS  # noqa: E402  (the sections of the benchmark beside this script)


def install(source: Path, venv: Path) -> Path:
    """``pip install`` of ``source`` into a new virtual environment; its Python."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    result = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(source)],
                            capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"pip install {source} failed:\n{result.stderr}")
    return python


def export(revision: str, directory: Path) -> Path:
    """The tree of ``revision`` of this repository, as files in ``directory``."""
    directory.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(directory)], input=archive, check=True)
    return directory


def measure(python: Path, section: str, runs: int, scratch: Path) -> tuple[dict, str]:
    """One section of the benchmark with the meshify installed beside ``python``: its
    figures (name -> measure, better) and, when it could not run, why."""
    output = scratch / f"{section}.json"
    output.unlink(missing_ok=True)
    result = subprocess.run([str(python), str(ROOT / "bench" / "run.py"), "--installed", "--no-cfn-lint",
                             "--only", section, "--runs", str(runs), "--json", str(output)],
                            capture_output=True, text=True)
    if not output.exists():
        lines = (result.stderr or result.stdout).strip().splitlines()
        return {}, lines[-1] if lines else f"exit status {result.returncode}"
    return json.loads(output.read_text()), ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=FIRST_VERSION, help=f"the version to compare with (default {FIRST_VERSION})")
    parser.add_argument("--rounds", type=int, default=2, help="before/after alternations (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measured command, passed to bench/run.py")
    parser.add_argument("--tolerance", type=float, default=0.10, help="worse by more than this fraction fails")
    parser.add_argument("--only", action="append", choices=SECTIONS, metavar="SECTION",
                        help=f"compare only these sections (repeatable): {', '.join(SECTIONS)}")
    arguments = parser.parse_args()
    sections = arguments.only or list(SECTIONS)

    with tempfile.TemporaryDirectory(prefix="meshify-before-after-") as scratch_name:
        scratch = Path(scratch_name)
        after_label = _head()  # what is installed as "after": the checkout as it is now
        versions = {
            "before": install(export(arguments.before, scratch / "before-src"), scratch / "before-venv"),
            "after": install(ROOT, scratch / "after-venv"),
        }
        seen: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
        better: dict[str, str] = {}
        refused: dict[tuple[str, str], str] = {}
        references: dict[str, list[float]] = {"before": [], "after": []}
        for round_number in range(arguments.rounds):
            for section in sections:
                for version, python in versions.items():
                    figures, why = measure(python, section, arguments.runs, scratch)
                    print(f"round {round_number + 1}, {section}, {version}: {why or 'measured'}", file=sys.stderr, flush=True)
                    if why:
                        refused[(section, version)] = why
                        continue
                    references[version].append(figures["reference"]["import typer"])
                    for name, figure in figures["figures"].items():
                        seen[version].setdefault(name, []).append(figure["measure"])
                        better[name] = figure["better"]

    print(f"meshify benchmark, before ({arguments.before}) and after ({after_label}), {arguments.rounds} rounds "
          f"alternated, medians; python -c 'import typer' took {statistics.median(references['after'] or [0]):.3f} s cpu")
    worse = []
    width = max((len(name) for name in better), default=10)
    for name in better:
        before, after = seen["before"].get(name), seen["after"].get(name)
        if not before or not after:
            print(f"  {name:<{width}}  {'not measured by both versions':>40}")
            continue
        before_median, after_median = statistics.median(before), statistics.median(after)
        ratio = after_median / before_median if before_median else float("inf")
        kept = ratio <= 1 + arguments.tolerance if better[name] == "lower" else ratio >= 1 - arguments.tolerance
        if not kept:
            worse.append(name)
        print(f"  {name:<{width}}  before {before_median:10.4f}  after {after_median:10.4f}  "
              f"after/before {ratio:6.2f} ({better[name]} is better)  {'kept' if kept else 'WORSE'}")
    for (section, version), why in sorted(refused.items()):
        print(f"  {section} could not run with {version}: {why}")
    if worse:
        print(f"worse than before: {', '.join(worse)}")
        return 1
    return 0


def _head() -> str:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return head.stdout.strip() + ("+changes" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())
