"""``meshify placeholders``: the Cloud Map placeholder records the manifest needs, and with
``--apply`` the missing ones created."""

from __future__ import annotations

from meshify.injector.aws.live import apply_placeholders, read_placeholders
from meshify.injector.aws.session import AwsOptions
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.model.mesh import PLACEHOLDER_ADDRESS


def run(manifest_path: str, envoy_image: str | None, apply: bool, options: AwsOptions) -> int:
    mesh = load_manifest(manifest_path, envoy_image)
    found = read_placeholders(mesh, options)
    for entry in found.placeholders:
        state = {None: f"exists ({', '.join(entry.addresses)})", "instance": "missing: no instance",
                 "service": f"missing: no service {entry.service}",
                 "namespace": f"missing: no namespace {found.namespace}"}[found.missing(entry)]
        print(f"{entry.name}  {state}")
    if apply:
        created = apply_placeholders(mesh, options, found, PLACEHOLDER_ADDRESS)
        for item in created:
            print(f"created {item}")
        if not created:
            print("nothing to create")
    return 0
