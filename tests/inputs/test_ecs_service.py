"""ECS service definitions: create-service / update-service input and describe-services
output become API-shaped services placed on the file's lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from meshify.injector.inputs.reader import read_input
from meshify.injector.model.ecs_service import family_of


def position(loc):
    return loc.document.position(loc.pointer)


SERVICES = Path(__file__).resolve().parents[2] / "fixtures" / "services"


def test_create_service_input():
    found = read_input(str(SERVICES / "products-service.json"))
    assert found.task_definitions == [] and len(found.services) == 1
    service = found.services[0]
    assert (service.service.name, service.task_definition, service.family) == ("products", "products-api:7", "products-api")
    assert service.service.service_connect_enabled
    assert service.service.namespace == "shop.local"
    assert position(service.loc("/serviceConnectConfiguration/services/0/portName")) == (18, 9)


def test_update_service_yaml():
    service = read_input(str(SERVICES / "frontend-service.yaml")).services[0]
    assert (service.service.name, service.family) == ("frontend", "frontend")
    assert position(service.loc("/serviceConnectConfiguration/namespace")) == (7, 3)


def test_describe_services_output_reads_the_primary_deployment():
    found = read_input(str(SERVICES / "described-services.json"))
    service = found.services[0]
    assert (service.service.name, service.family) == ("prices", "prices-api")
    assert service.data["serviceConnectConfiguration"]["services"][0]["portName"] == "prices-http"
    assert service.service.namespace == "ns-abc"
    assert position(service.loc("/serviceConnectConfiguration/services/0/portName")) == (22, 27)
    assert position(service.loc("/serviceName")) == (5, 7)


@pytest.mark.parametrize(("reference", "family"), [
    ("web", "web"), ("web:12", "web"),
    ("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:12", "web"),
    ("arn:aws-cn:ecs:cn-north-1:111122223333:task-definition/web-v2:1", "web-v2"),
])
def test_family_of_a_task_definition_reference(reference, family):
    assert family_of(reference) == family


def test_a_service_without_task_definition_is_not_a_service(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"serviceName": "a"}')
    with pytest.raises(Exception, match="not a task definition"):
        read_input(str(path))


@pytest.mark.parametrize(("name", "operation"), [("products-service.json", "CreateService"),
                                                 ("frontend-service.yaml", "UpdateService")])
def test_fixture_services_are_valid_api_input(name, operation):
    """botocore's own validator: the fixtures the C5xx tests start from are real input."""
    import botocore.session
    from botocore.validate import ParamValidator

    model = botocore.session.get_session().get_service_model("ecs")
    data = read_input(str(SERVICES / name)).services[0].data
    report = ParamValidator().validate(data, model.operation_model(operation).input_shape)
    assert not report.has_errors(), report.generate_report()
