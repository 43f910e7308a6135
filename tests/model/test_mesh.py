"""The mesh model: ARNs by partition, explicit ARNs, shared-mesh owners, Envoy images."""

from __future__ import annotations

import json

import pytest
from meshify.injector.documents.document import JsonDocument
from meshify.injector.inputs.manifest import build, validate


def _mesh(region: str, **extra):
    manifest = {"version": 1, "mesh": {"name": "shop", "region": region, "account": "111122223333", **extra},
                "nodes": {"api": {}, "shared": {"arn": "arn:aws:appmesh:eu-west-1:999999999999:mesh/shop/virtualNode/x"}},
                "gateways": {"edge": {"listeners": [{"port": 8080, "protocol": "http"}]}}}
    document = JsonDocument("m.json", json.dumps(manifest))
    validate(document)
    return build(document)


@pytest.mark.parametrize(("region", "node_arn", "image"), [
    ("eu-west-1", "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/api",
     "840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.39.1.0-prod"),
    ("cn-north-1", "arn:aws-cn:appmesh:cn-north-1:111122223333:mesh/shop/virtualNode/api",
     "919366029133.dkr.ecr.cn-north-1.amazonaws.com.cn/aws-appmesh-envoy:v1.39.1.0-prod"),
    ("us-gov-west-1", "arn:aws-us-gov:appmesh:us-gov-west-1:111122223333:mesh/shop/virtualNode/api",
     "840364872350.dkr.ecr.us-gov-west-1.amazonaws.com/aws-appmesh-envoy:v1.39.1.0-prod"),
    ("me-south-1", "arn:aws:appmesh:me-south-1:111122223333:mesh/shop/virtualNode/api",
     "772975370895.dkr.ecr.me-south-1.amazonaws.com/aws-appmesh-envoy:v1.39.1.0-prod"),
])
def test_arns_and_images_follow_the_region(region, node_arn, image):
    mesh = _mesh(region)
    assert mesh.nodes["api"].arn == node_arn
    assert mesh.gateways["edge"].arn == node_arn.replace("virtualNode/api", "virtualGateway/edge")
    assert mesh.envoy.image == image


def test_explicit_arn_wins_and_owner_is_used_for_shared_meshes():
    mesh = _mesh("eu-west-1", owner="444455556666")
    assert mesh.nodes["shared"].arn == "arn:aws:appmesh:eu-west-1:999999999999:mesh/shop/virtualNode/x"
    assert mesh.nodes["api"].arn == "arn:aws:appmesh:eu-west-1:444455556666:mesh/shop/virtualNode/api"
