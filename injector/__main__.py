"""``python -m meshify.injector`` runs the CLI."""

from meshify.injector.console import entry_point

entry_point()
