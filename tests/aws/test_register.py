"""Every injected task definition is valid input for ECS ``RegisterTaskDefinition``
(botocore's validator, from the shipped service model) and registers in moto's server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest
from golden_cases import CASES, golden_paths
from meshify.injector.documents.document import Document

pytestmark = pytest.mark.slow  # a real process, server or installation (ARCHITECTURE.md, Tests)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def moto_endpoint():
    """moto's real HTTP server on a loopback port, stopped after the module."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("moto server did not start")
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


def _ecs(endpoint: str):
    import boto3

    return boto3.client("ecs", region_name="eu-west-1", endpoint_url=endpoint,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


INJECTED = [(name, golden_paths(name, source)[1]) for name, source, _ in CASES]


@pytest.mark.parametrize(("name", "output"), INJECTED, ids=[name for name, _ in INJECTED])
def test_injected_task_definition_is_valid_register_input_and_registers(name, output, moto_endpoint):
    import botocore.session
    from botocore.validate import ParamValidator

    taskdef = Document.load(str(output)).data
    ecs = botocore.session.get_session().get_service_model("ecs")
    shape = ecs.operation_model("RegisterTaskDefinition").input_shape
    report = ParamValidator().validate(taskdef, shape)
    assert not report.has_errors(), report.generate_report()

    registered = _ecs(moto_endpoint).register_task_definition(**taskdef)["taskDefinition"]
    assert registered["family"] == taskdef["family"]
    names = [container["name"] for container in registered["containerDefinitions"]]
    assert names.count("envoy") == 1
    if "proxyConfiguration" in taskdef:
        assert registered["proxyConfiguration"]["type"] == "APPMESH"
