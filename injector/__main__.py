"""``python -m meshify.injector`` runs the CLI."""

from .cli import main

main()
