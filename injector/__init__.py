"""meshify's core: loaders, the mesh model, the rule engine, patching, reporters, the CLI."""

__version__ = "0.1.0"
