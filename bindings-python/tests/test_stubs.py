"""The hand-kept stubs (__init__.pyi) say what the native module has: every class, function
and method, and nothing it lacks. mypy --strict checks the tests against the stubs; this
checks the stubs against the module."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import volunteer_ledger as vl

STUBS = Path(vl.__file__).with_name("__init__.pyi")


def stub_tree() -> ast.Module:
    return ast.parse(STUBS.read_text(encoding="utf-8"))


def stub_all() -> list[str]:
    for node in stub_tree().body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return [str(v) for v in value]
    raise AssertionError("no __all__ in the stubs")


def public(names: object) -> set[str]:
    return {n for n in dir(names) if not n.startswith("_")}


def test_the_stubs_export_what_the_package_exports() -> None:
    assert sorted(stub_all()) == sorted(vl.__all__)
    for name in vl.__all__:
        assert hasattr(vl, name), name


def test_every_class_in_the_stubs_has_the_runtime_members() -> None:
    classes = {n.name: n for n in stub_tree().body if isinstance(n, ast.ClassDef)}
    for name in vl.__all__:
        obj = getattr(vl, name)
        if not inspect.isclass(obj) or issubclass(obj, BaseException):
            continue
        assert name in classes, f"{name} has no stub"
        stubbed = {f.name for f in classes[name].body if isinstance(f, ast.FunctionDef)}
        runtime = public(obj)
        assert runtime - stubbed == set(), f"{name}: not in the stubs: {runtime - stubbed}"
        only_stubbed = {n for n in stubbed - runtime if not n.startswith("__")}
        assert only_stubbed == set(), f"{name}: in the stubs only: {only_stubbed}"
