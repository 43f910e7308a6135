"""The Service Connect name rules: lengths read from the ecs model's documentation, and the
character rules that documentation states."""

from __future__ import annotations

import pytest
from meshify.injector.model.service_connect import documented_length, name_problem, unsupported_controllers
from meshify.injector.model.service_models import shapes


def test_lengths_come_from_the_model_documentation():
    assert documented_length("PortMapping", "name") == 64
    assert documented_length("ServiceConnectService", "discoveryName") == 64
    assert documented_length("ServiceConnectClientAlias", "dnsName") == 127


@pytest.mark.parametrize(("shape", "member", "words"), [
    ("PortMapping", "name", "lowercase letters, numbers, underscores (_), and hyphens (-)"),
    ("ServiceConnectService", "discoveryName", "lowercase letters, numbers, underscores (_), and hyphens (-)"),
    ("ServiceConnectClientAlias", "dnsName", "lowercase letters, numbers, underscores (_), hyphens (-), and periods (.)"),
])
def test_the_patterns_are_the_documentation_words(shape, member, words):
    documentation = shapes("ecs")[shape]["members"][member]["documentation"]
    assert words in documentation and "can't start with a hyphen" in documentation


@pytest.mark.parametrize(("value", "dns", "problem"), [
    ("products-http", False, None), ("p_1", False, None), ("-p", False, "may only hold"), ("P", False, "may only hold"),
    ("a.b", False, "may only hold"), ("a.b", True, None), ("x" * 64, False, None), ("x" * 65, False, "65 characters"),
    (7, False, None),
])
def test_name_problem(value, dns, problem):
    found = name_problem(value, "ServiceConnectClientAlias" if dns else "PortMapping", "dnsName" if dns else "name", dns)
    assert (found is None) if problem is None else (problem in found)


def test_unsupported_controllers_are_the_model_enum_but_ecs():
    assert unsupported_controllers() == ["CODE_DEPLOY", "EXTERNAL"]
