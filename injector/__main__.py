"""``python -m meshify.injector`` runs the CLI."""

from meshify.injector.cli import entry_point

entry_point()
