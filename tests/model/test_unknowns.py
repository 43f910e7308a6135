"""Unknown values (formats.md, "References and unknown values"): which strings are
template placeholders."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.model import unknowns
from meshify.injector.model.unknowns import Unknown, is_unknown


@pytest.mark.parametrize("value", [
    "${ENVOY_IMAGE}", "<IMAGE1_NAME>", "{{ envoy_image }}", "$ENVOY_IMAGE", "${cpu}",
    "840364872350.dkr.ecr.${region}.amazonaws.com/aws-appmesh-envoy:${tag}", "repo/app:{{ .Tag }}",
    Unknown("!Ref EnvoyImage"),
])
def test_placeholders_are_unknown(value):
    assert is_unknown(value)


@pytest.mark.parametrize("value", [
    "840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.39.1.0-prod", "1337", "a<b", "price $5",
    "US$ENV", 8080, None, {"name": "x"},
])
def test_known_values_are_not(value):
    assert not is_unknown(value)


@pytest.mark.slow  # thousands of cases: the fast tier stays under 30 s
@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="${}<>_aZ9.- \n", max_size=12) | st.text(max_size=12))
def test_a_string_is_unknown_exactly_when_the_placeholder_search_finds_one(value):
    """The quick answer for strings with no "$", "<" or "{{" is the search's answer."""
    assert is_unknown(value) == (unknowns._PLACEHOLDER.search(value) is not None)


def test_one_intrinsic_in_one_template_compares_as_one_value():
    from meshify.injector.model.unknowns import comparable

    name = {"Fn::GetAtt": ["ColorServiceRegistry", "Name"]}
    assert comparable(name, "cfn.yaml") == comparable({"Fn::GetAtt": ["ColorServiceRegistry", "Name"]}, "cfn.yaml")
    assert comparable({"Fn::Sub": "${A}-${B}"}, "cfn.yaml") == comparable({"Fn::Sub": "${A}-${B}"}, "cfn.yaml")


@pytest.mark.parametrize(("first", "second"), [
    (({"Fn::GetAtt": ["ColorServiceRegistry", "Name"]}, "cfn.yaml"), ({"Fn::GetAtt": ["ColorServiceRegistry", "Name"]}, "v2.yaml")),
    (({"Fn::GetAtt": ["ColorServiceRegistry", "Name"]}, "cfn.yaml"), ({"Fn::GetAtt": ["V2Registry", "Name"]}, "cfn.yaml")),
    (({"Ref": "ColorName"}, "cfn.yaml"), ("ColorName", "cfn.yaml")),
])
def test_intrinsics_of_two_templates_or_two_expressions_are_not_one_value(first, second):
    from meshify.injector.model.unknowns import comparable

    assert comparable(*first) != comparable(*second)


@pytest.mark.parametrize("value", [Unknown("aws_service_discovery_service.color.name"), {"Fn::Sub": "x"}, {"a": 1}, None])
def test_what_cannot_be_compared_is_none(value):
    from meshify.injector.model.unknowns import comparable

    template = None if isinstance(value, dict) and "Fn::Sub" in value else "main.tf"
    assert comparable(value, template) is None


def test_a_written_name_compares_as_itself():
    from meshify.injector.model.unknowns import comparable

    assert comparable("color", "cfn.yaml") == comparable("color", "other.yaml") == "color"
