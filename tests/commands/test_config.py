"""Configuration discovery and precedence, per-file ignores, YAML suppressions."""

from __future__ import annotations

from conftest import run_meshify
from golden_cases import SHOP_WEIGHTS_AT


def _break_weights(shop, comment: str = "") -> None:
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("weight: 90\n", f"weight: 9{comment}\n"))


def test_pyproject_table_is_read_from_a_parent_directory(shop):
    _break_weights(shop)
    (shop / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.meshify]\nfail-on = "warning"\n')
    (shop / "sub").mkdir()
    result = run_meshify("lint", "--manifest", "../meshify.yaml", cwd=shop / "sub")
    assert result.returncode == 1  # fail-on warning, from the parent's pyproject.toml
    assert result.stdout.startswith(f"../{SHOP_WEIGHTS_AT}: M102 warning:")


def test_meshify_toml_wins_over_pyproject_in_the_same_directory_and_options_win(shop):
    _break_weights(shop)
    (shop / "pyproject.toml").write_text('[tool.meshify]\nfail-on = "warning"\n')
    (shop / "meshify.toml").write_text('fail-on = "error"\n')
    assert run_meshify("lint", cwd=shop).returncode == 0
    assert run_meshify("lint", "--fail-on", "warning", cwd=shop).returncode == 1


def test_nearest_configuration_wins(shop):
    _break_weights(shop)
    (shop / "meshify.toml").write_text('ignore = ["M102"]\n')
    nested = shop / "nested"
    nested.mkdir()
    (nested / "meshify.toml").write_text('manifest = "../meshify.yaml"\nfail-on = "warning"\n')
    result = run_meshify("lint", cwd=nested)
    assert result.returncode == 1  # the nested file: M102 not ignored, fails on warnings
    assert result.stdout.startswith(f"../{SHOP_WEIGHTS_AT}: M102 warning")


def test_select_and_ignore_from_configuration_and_options(shop):
    _break_weights(shop)
    (shop / "meshify.toml").write_text('select = ["T"]\nfail-on = "warning"\n')
    assert run_meshify("lint", cwd=shop).stdout == ""
    assert run_meshify("lint", "--select", "M", cwd=shop).returncode == 1


def test_per_file_ignores(shop):
    (shop / "meshify.toml").write_text('[per-file-ignores]\n"taskdefs/shop-*.json" = ["T201"]\n')
    result = run_meshify("lint", "taskdefs/shop-ingress.json", "taskdefs/prices-api.json", cwd=shop)
    assert [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()] == ["T204", "T201"]
    assert "shop-ingress" not in result.stdout


def test_envoy_image_from_configuration(shop):
    (shop / "meshify.toml").write_text('envoy-image = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.39.1.0-prod"\n')
    result = run_meshify("inject", "taskdefs/shop-ingress.json", "--patch", cwd=shop)
    assert '"image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.39.1.0-prod"' in result.stdout


def test_suppression_on_the_line_and_above(shop):
    _break_weights(shop, "  # meshify: ignore[M102] a 9/1 split written on purpose")
    assert run_meshify("lint", "--fail-on", "info", cwd=shop).stdout == ""
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace(
        "  # meshify: ignore[M102] a 9/1 split written on purpose", "").replace(
        "          - node: products-v1\n", "          - node: products-v1\n            # meshify: ignore[M102] on purpose\n"))
    assert run_meshify("lint", "--fail-on", "info", cwd=shop).stdout == ""


def test_unused_and_reasonless_suppressions_are_reported(shop):
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("egressFilter: DROP_ALL",
                                                     "egressFilter: DROP_ALL  # meshify: ignore[M110] old"))
    _break_weights(shop, "  # meshify: ignore[M102]")
    result = run_meshify("lint", "--fail-on", "info", cwd=shop)
    assert result.returncode == 1
    assert result.stdout == (
        "meshify.yaml:9:27: S001 info: suppression of M110 suppresses nothing here: remove it\n"
        f"{SHOP_WEIGHTS_AT}: M102 warning: route `default` of router `products-router`: the weights add up to 19, not "
        "100; they are relative, so the traffic splits products-v1 47.4%, products-v2 52.6%\n"
        "meshify.yaml:86:24: S001 info: suppression of M102 gives no reason, so it suppresses nothing: say why\n")
    # A suppression of a rule that did not run is not reported.
    assert run_meshify("lint", "--fail-on", "info", "--ignore", "M110,M102", cwd=shop).stdout == (
        "meshify.yaml:86:24: S001 info: suppression of M102 gives no reason, so it suppresses nothing: say why\n")


def test_malformed_configuration_exits_2(shop):
    (shop / "meshify.toml").write_text('select = ["T2"\n')
    result = run_meshify("lint", cwd=shop)
    assert result.returncode == 2
    assert result.stderr == "meshify.toml:1:15: invalid TOML: Unclosed array\n"
    (shop / "meshify.toml").write_text('selct = ["T2"]\n')
    result = run_meshify("lint", cwd=shop)
    assert (result.returncode, result.stderr) == (2, "meshify.toml:1: unknown key 'selct' (expected one of: "
                                                     "manifest, select, ignore, fail-on, per-file-ignores, envoy-image)\n")
    (shop / "meshify.toml").write_text('fail-on = "sometimes"\n')
    assert run_meshify("lint", cwd=shop).returncode == 2


def test_configs_methods_written_by_hand_are_dataclasses():
    """Config writes its __init__, __repr__ and __eq__ (start-up round 6): they must be what
    dataclasses writes for its fields (a field added without them fails here)."""
    import dataclasses
    import inspect
    from typing import Any

    from meshify.injector.config import Config

    fields = dataclasses.fields(Config)
    namespace: dict[str, Any] = {"__annotations__": {f.name: f.type for f in fields}}
    for f in fields:
        namespace[f.name] = (dataclasses.field(default=f.default) if f.default is not dataclasses.MISSING else
                             dataclasses.field(default_factory=f.default_factory))
    reference = dataclasses.dataclass(slots=True)(type("Config", (), namespace))

    def parameters(function: Any) -> list[tuple[str, object, str]]:
        return [(p.name, p.annotation, repr(p.default)) for p in inspect.signature(function).parameters.values()]

    assert parameters(Config) == parameters(reference)
    assert Config.__hash__ is None and Config.__match_args__ == reference.__match_args__
    assert repr(Config()) == repr(reference()) and Config() == Config()
    first, second = Config(), Config()
    assert all(getattr(first, f.name) is not getattr(second, f.name) for f in fields if f.name in (
        "select", "ignore", "per_file_ignores"))  # a new object from each factory
    values = {f.name: [f.name] for f in fields}
    made = Config(**values)
    assert all(getattr(made, name) is value for name, value in values.items())
    assert repr(made) == repr(reference(**values)) and made == Config(**{n: list(v) for n, v in values.items()})
    assert all(made != Config(**{**values, name: ["other"]}) for name in values)
    assert made.__eq__(reference(**values)) is NotImplemented
