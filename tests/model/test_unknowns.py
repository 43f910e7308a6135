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


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="${}<>_aZ9.- \n", max_size=12) | st.text(max_size=12))
def test_a_string_is_unknown_exactly_when_the_placeholder_search_finds_one(value):
    """The quick answer for strings with no "$", "<" or "{{" is the search's answer."""
    assert is_unknown(value) == (unknowns._PLACEHOLDER.search(value) is not None)
