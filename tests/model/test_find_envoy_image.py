"""``find_envoy`` (model/task_definition.py) tests ``"aws-appmesh-envoy" in image`` before
``ENVOY_IMAGE``'s search: every match of ``(^|/)aws-appmesh-envoy(:|@|$)`` contains the
literal, so the test only skips images the search cannot match, and an image holding the
literal is still searched. Held here to the search's own answer, on edge cases and on
generated images made of the pieces that matter."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.model.task_definition import ENVOY_IMAGE, find_envoy

LITERAL = "aws-appmesh-envoy"

EDGES: list[tuple[str, bool]] = [
    (LITERAL, True),
    (f"{LITERAL}:v1.39.1.0-prod", True),
    (f"{LITERAL}@sha256:abc", True),
    (f"840364872350.dkr.ecr.eu-west-1.amazonaws.com/{LITERAL}:v1.39.1.0-prod", True),
    (f"public.ecr.aws/appmesh/{LITERAL}", True),
    (f"{LITERAL}\n", True),  # "$" matches before a final newline
    (f"x{LITERAL}", False),  # the literal, but not after "/" or at the start
    (f"{LITERAL}x", False),  # the literal, but followed by neither ":", "@" nor the end
    (f"{LITERAL}-custom:v1", False),
    (f"registry/x{LITERAL}:v1", False),
    (f"{LITERAL}\nx", False),
    ("AWS-APPMESH-ENVOY", False),
    ("aws-appmesh-envo", False),
    ("envoyproxy/envoy:v1.29", False),
    ("", False),
]


def answer(image: object) -> int | None:
    taskdef = {"containerDefinitions": [{"name": "app", "image": image}]}
    return find_envoy(taskdef, "envoy")


@pytest.mark.parametrize(("image", "matches"), EDGES, ids=[repr(image) for image, _ in EDGES])
def test_edges(image, matches):
    assert bool(ENVOY_IMAGE.search(image)) is matches  # the cases are what they say
    assert answer(image) == (0 if matches else None)


@pytest.mark.parametrize("image", [None, 3, ["aws-appmesh-envoy"], {"aws-appmesh-envoy": 1}])
def test_an_image_not_a_string_is_no_envoy(image):
    assert answer(image) is None


PIECES = st.sampled_from([LITERAL, "aws-appmesh-envo", "ws-appmesh-envoy", "/", ":", "@", "\n", "x", "-", "envoy", ""])


@settings(max_examples=2000, deadline=None)
@given(st.lists(PIECES, max_size=8).map("".join) | st.text(max_size=40))
def test_same_answer_as_the_search(image):
    assert answer(image) == (0 if ENVOY_IMAGE.search(image) else None)
