"""The bytes the user wrote survive: line endings, byte-order marks, ``"k" : v`` spacing.
Each case injects a shop task definition written in that style and compares the file on
disk with the golden output written in the same style."""

from __future__ import annotations

import json

import pytest
from conftest import run_meshify
from golden_cases import GOLDEN

BOM = "\ufeff"


def _inject_in_place(shop, name: str, text: str) -> tuple[int, bytes]:
    path = shop / "taskdefs" / name
    path.write_bytes(text.encode("utf-8"))
    result = run_meshify("inject", f"taskdefs/{name}", "--in-place", cwd=shop)
    assert result.returncode == 0, result.stderr
    return result.returncode, path.read_bytes()


def test_crlf_json_stays_crlf(shop):
    original = (shop / "taskdefs/products-api.json").read_text()
    _, written = _inject_in_place(shop, "products-api.json", original.replace("\n", "\r\n"))
    expected = (GOLDEN / "shop-products-api.out.json").read_text().replace("\n", "\r\n")
    assert written == expected.encode("utf-8")
    assert b"\n" not in written.replace(b"\r\n", b"")


def test_an_injected_crlf_file_needs_nothing(shop):
    crlf = (GOLDEN / "shop-products-api.out.json").read_text().replace("\n", "\r\n")
    (shop / "taskdefs/products-api.json").write_bytes(crlf.encode())
    result = run_meshify("inject", "taskdefs/products-api.json", "--check", cwd=shop)
    assert (result.returncode, result.stdout) == (0, "")


def test_json_byte_order_mark_is_accepted_and_kept(shop):
    original = (shop / "taskdefs/products-api.json").read_text()
    _, written = _inject_in_place(shop, "products-api.json", BOM + original)
    assert written == (BOM + (GOLDEN / "shop-products-api.out.json").read_text()).encode("utf-8")


def test_json_byte_order_mark_does_not_move_columns(shop):
    plain = run_meshify("lint", "taskdefs/products-api.json", cwd=shop).stdout
    path = shop / "taskdefs/products-api.json"
    path.write_text(BOM + path.read_text())
    assert run_meshify("lint", "taskdefs/products-api.json", cwd=shop).stdout == plain
    assert plain.startswith("taskdefs/products-api.json:2:3: T204")


def test_yaml_byte_order_mark_is_kept(shop):
    original = (shop / "taskdefs/products-api-canary.yaml").read_text()
    _, written = _inject_in_place(shop, "products-api-canary.yaml", BOM + original)
    assert written == (BOM + (GOLDEN / "shop-products-api-canary.out.yaml").read_text()).encode("utf-8")


def test_crlf_json_with_a_byte_order_mark(shop):
    original = (shop / "taskdefs/prices-api.json").read_text().replace("\n", "\r\n")
    _, written = _inject_in_place(shop, "prices-api.json", BOM + original)
    expected = BOM + (GOLDEN / "shop-prices-api.out.json").read_text().replace("\n", "\r\n")
    assert written == expected.encode("utf-8")


@pytest.mark.parametrize("colon", [" : ", ":", " :  "], ids=["space-colon-space", "no-space", "wide"])
def test_new_members_follow_the_files_colon_spacing(shop, colon):
    original = (shop / "taskdefs/products-api.json").read_text()
    styled = original.replace('": ', '"' + colon)
    _, written = _inject_in_place(shop, "products-api.json", styled)
    expected = (GOLDEN / "shop-products-api.out.json").read_text().replace('": ', '"' + colon)
    assert written.decode("utf-8") == expected
    assert json.loads(written) == json.loads((GOLDEN / "shop-products-api.out.json").read_text())


def test_crlf_policy_file_gets_crlf_statements_and_a_minimal_diff(shop):
    policy = '{\r\n  "Version": "2012-10-17",\r\n  "Statement": []\r\n}\r\n'
    (shop / "role.json").write_bytes(policy.encode())
    result = run_meshify("inject", "taskdefs/products-api.json", "--diff", "--policy", "role.json", cwd=shop)
    assert result.returncode == 0
    policy_diff = result.stdout[result.stdout.index("--- a/role.json"):]
    assert policy_diff.splitlines(keepends=True)[3:6] == [' {\r\n', '   "Version": "2012-10-17",\r\n', '-  "Statement": []\r\n']
    written = run_meshify("inject", "taskdefs/products-api.json", "--in-place", "--policy", "role.json", cwd=shop)
    assert written.returncode == 0
    text = (shop / "role.json").read_bytes()
    assert b"\n" not in text.replace(b"\r\n", b"") and json.loads(text)["Statement"][0]["Action"]
