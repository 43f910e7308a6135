"""``connect_patch``: how migrate merges the Service Connect configuration it plans into one a
template already has: what the user wrote besides stays, unknowns are never overwritten, a
port the plan names differently is renamed, and the result of one run is a fixed point."""

from __future__ import annotations

import copy

import jsonpatch
from meshify.injector.documents.unknown import DefaultStr, Unknown
from meshify.injector.model.migration import connect_patch

WANTED = {"enabled": True, "namespace": "bank.local", "services": [
    {"portName": "http-8080", "discoveryName": "accounts",
     "clientAliases": [{"port": 8080, "dnsName": "accounts.bank.local"}],
     "timeout": {"perRequestTimeoutSeconds": 30}}]}


def _after(service: dict) -> dict:
    return jsonpatch.apply_patch(copy.deepcopy(service), connect_patch(service, WANTED))


def test_none_written_adds_it_whole_and_a_second_run_changes_nothing():
    service = {"serviceName": "accounts"}
    assert connect_patch(service, WANTED) == [{"op": "add", "path": "/serviceConnectConfiguration", "value": WANTED}]
    assert connect_patch(_after(service), WANTED) == []


def test_what_the_user_wrote_besides_stays():
    log = {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/accounts"}}
    service = {"serviceConnectConfiguration": {"enabled": False, "namespace": "bank.local", "logConfiguration": log}}
    assert connect_patch(service, WANTED) == [
        {"op": "replace", "path": "/serviceConnectConfiguration/enabled", "value": True},
        {"op": "add", "path": "/serviceConnectConfiguration/services", "value": WANTED["services"]}]
    assert _after(service)["serviceConnectConfiguration"]["logConfiguration"] == log


def test_unknowns_and_variable_defaults_are_never_overwritten():
    namespace = DefaultStr("bank-blue.local")
    namespace.variable = "var.namespace"
    service = {"serviceConnectConfiguration": {"enabled": Unknown("var.enabled"), "namespace": namespace,
                                               "services": [{"portName": "http-8080", "discoveryName": {"Ref": "Name"},
                                                             "clientAliases": Unknown('dynamic "client_alias"')}]}}
    assert connect_patch(service, WANTED) == [
        {"op": "add", "path": "/serviceConnectConfiguration/services/0/timeout", "value": {"perRequestTimeoutSeconds": 30}}]
    assert connect_patch({"serviceConnectConfiguration": Unknown('dynamic "service_connect_configuration"')},
                         WANTED) == []


def test_the_one_entry_the_user_wrote_is_the_planned_port_and_others_are_added_beside():
    service = {"serviceConnectConfiguration": {"enabled": True, "namespace": "bank.local", "services": [
        {"portName": "accounts-http", "clientAliases": [{"port": 80, "dnsName": "accounts"}]}]}}
    assert connect_patch(service, WANTED) == [
        {"op": "replace", "path": "/serviceConnectConfiguration/services/0/portName", "value": "http-8080"},
        {"op": "add", "path": "/serviceConnectConfiguration/services/0/discoveryName", "value": "accounts"},
        {"op": "replace", "path": "/serviceConnectConfiguration/services/0/clientAliases/0/port", "value": 8080},
        {"op": "replace", "path": "/serviceConnectConfiguration/services/0/clientAliases/0/dnsName",
         "value": "accounts.bank.local"},
        {"op": "add", "path": "/serviceConnectConfiguration/services/0/timeout", "value": {"perRequestTimeoutSeconds": 30}}]
    assert connect_patch(_after(service), WANTED) == []
    two = {"serviceConnectConfiguration": {"enabled": True, "namespace": "bank.local", "services": [
        {"portName": "admin"}, {"portName": "metrics"}]}}
    assert connect_patch(two, WANTED) == [
        {"op": "add", "path": "/serviceConnectConfiguration/services/-", "value": WANTED["services"][0]}]
