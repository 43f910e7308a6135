"""The real files of ``../shared/corpus`` linted as users would; every finding reviewed.

Regenerate with ``python tests/corpus_snapshot.py`` and explain each new line."""

from __future__ import annotations

import pytest
from corpus_snapshot import UNREVIEWED, current_lines, read_snapshot
from golden_cases import CORPUS


def test_corpus_lint_matches_the_reviewed_snapshot():
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus is absent ({CORPUS}); it lives beside the checkout in ../shared")
    snapshot = read_snapshot()
    assert [finding for finding, _ in snapshot] == current_lines()
    unexplained = [finding for finding, why in snapshot if not why or why == UNREVIEWED]
    assert unexplained == []
