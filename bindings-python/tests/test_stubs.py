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


def test_the_documented_defaults_are_the_cores() -> None:
    # The signatures help() shows are written by hand; the values a call takes come from the
    # core. A ledger made without the keywords, and a record without its optional fields,
    # must be what the signatures say.
    import inspect

    from volunteer_ledger import _frames

    made = inspect.signature(vl.Ledger.in_memory).parameters
    ledger = vl.Ledger.in_memory("d", "区", "admin")
    assert ledger.utc_offset_minutes == made["utc_offset_minutes"].default
    assert ledger.policy("json") == vl.Ledger.in_memory(
        "d", "区", "admin", policy=made["policy"].default
    ).policy("json")
    # (a comparison that can fail: another profile gives another policy)
    assert ledger.policy("json") != vl.Ledger.in_memory(
        "d", "区", "admin", policy="beijing"
    ).policy("json")

    added = inspect.signature(vl.Ledger.add_record).parameters
    for field, default in _frames.DEFAULTS.items():
        assert added[field].default == default, field
    assert list(added)[2:] == [*_frames.REQUIRED, *_frames.DEFAULTS]
