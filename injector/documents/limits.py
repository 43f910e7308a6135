"""How much of a file meshify agrees to read: the bounds that keep a hostile or mistaken
input (a YAML alias bomb, thousands of nested brackets, ``/dev/zero``, a FIFO, a 50 MB
dump) from hanging meshify or eating the machine's memory. Every loader of a document
(the JSON and YAML documents, and any editor that parses text again) checks these; the
numbers are far above any file a user keeps for ECS or App Mesh.
"""

from __future__ import annotations

# ECS caps a registered task definition at 64 KiB and CloudFormation a template at 1 MB
# (templates in S3); 4 MiB leaves room for any real manifest, template or Terraform plan.
MAX_FILE_BYTES = 4 * 1024 * 1024
# YAML loads some twenty times slower than JSON (about 2.5 s a MiB at worst, a long flat
# list): its cap keeps the worst accepted file to seconds, and is still twice the largest
# CloudFormation template.
MAX_YAML_BYTES = 2 * 1024 * 1024

# Nesting of mappings and sequences (JSON objects and arrays). A task definition nests
# about eight levels and a CloudFormation template about twenty; parsers recurse per
# level (libyaml's composer overflows the C stack at some 100,000).
MAX_DEPTH = 100

# YAML aliases are references: a few bytes can stand for a billion nodes (nine levels of
# ten aliases). This bounds the nodes that aliases add once expanded (every consumer of
# the data, from JSON Patch to the rules, sees the expanded tree).
MAX_ALIAS_NODES = 100_000

# Digits in one integer literal: Python refuses to convert more than 4,300 (CVE-2020-10735).
MAX_INTEGER_DIGITS = 4300
