"""Every task definition ``meshify migrate`` writes registers in ECS (moto), with its named
ports and ``appProtocol`` kept and no Envoy left in a node's task."""

from __future__ import annotations

import pytest
from meshify.injector.documents.document import Document
from migrate_cases import CASES, golden_dir

pytestmark = pytest.mark.slow  # moto (ARCHITECTURE.md, Tests)

MIGRATED = [(name, path) for name, _, _ in CASES for path in sorted((golden_dir(name) / "taskdefs").iterdir())]


@pytest.mark.parametrize(("name", "path"), MIGRATED, ids=[f"{name}-{path.name}" for name, path in MIGRATED])
def test_migrated_task_definition_registers(name, path):
    import boto3
    from moto import mock_aws

    taskdef = Document.load(str(path)).data
    with mock_aws():
        ecs = boto3.client("ecs", region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        registered = ecs.register_task_definition(**taskdef)["taskDefinition"]
    assert registered["family"] == taskdef["family"]
    names = [container["name"] for container in registered["containerDefinitions"]]
    if path.name not in ("shop-ingress.json", "edge-gateway.json"):  # a gateway's task is left as it was
        assert "envoy" not in names and "proxyConfiguration" not in registered
    mappings = [m for c in registered["containerDefinitions"] for m in c.get("portMappings", [])]
    assert [m.get("name") for m in mappings] == [m.get("name") for c in taskdef["containerDefinitions"]
                                                 for m in c.get("portMappings", [])]
