"""S001: a suppression comment that suppresses nothing, or gives no reason.

What: a ``# meshify: ignore[ID] reason`` comment in a YAML file that covers no finding of
the rules it names (on its own line, or on the line below when the comment stands
alone), or that gives no reason. Only rules that ran count: a suppression of a rule
turned off with ``--select``/``--ignore`` is not reported.

Why: a suppression outlives the problem it hid; left behind, it will hide the next one.
A suppression without a reason cannot be reviewed.

Fails:
    weight: 90   # meshify: ignore[M102]               (no reason; or nothing to suppress)

Passes:
    weight: 9    # meshify: ignore[M102] 9/1 split on purpose, see ADR-12

Fix: remove the comment, or say why it is there.
"""

from meshify.injector.engine import rule


@rule("S001", "info", "Suppression that suppresses nothing or gives no reason", scope="suppressions")
def check(context):
    """Findings of this rule are made by the lint run itself (meshify.injector.suppress)."""
    return iter(())
