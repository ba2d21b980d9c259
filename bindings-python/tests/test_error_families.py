"""The exception classes: one per error family of the core, the same at runtime, in the
stubs and in the ErrorFamily literal, and each family a Python user catches by a builtin is
that builtin too (ValueError, LookupError, PermissionError), LedgerError staying the base."""

from __future__ import annotations

import ast
import typing
from datetime import datetime
from pathlib import Path

import pytest

import volunteer_ledger as vl

STUBS = Path(vl.__file__).with_name("__init__.pyi")

BUILTINS: dict[str, type[Exception]] = {
    "input": ValueError,
    "validation": ValueError,
    "not_found": LookupError,
    "authorization": PermissionError,
}


def class_name(family: str) -> str:
    return "".join(part.title() for part in family.split("_")) + "Error"


def stub_classes() -> dict[str, list[str]]:
    """Each class of the stubs that derives from LedgerError, and its bases' names."""
    tree = ast.parse(STUBS.read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = [b.id for b in node.bases if isinstance(b, ast.Name)]
            if "LedgerError" in bases:
                out[node.name] = bases
    return out


def stub_literal(name: str) -> tuple[str, ...]:
    tree = ast.parse(STUBS.read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Subscript)
        ):
            value = ast.literal_eval(node.value.slice)
            return tuple(value)
    raise AssertionError(f"no {name} in the stubs")


def test_the_families_are_the_same_at_runtime_in_the_stubs_and_the_literal() -> None:
    families = vl.ERROR_FAMILIES
    assert "storage" in families and len(set(families)) == len(families)
    assert typing.get_args(vl.ErrorFamily) == families
    assert stub_literal("ErrorFamily") == families
    runtime = {
        name
        for name in vl.__all__
        if isinstance(getattr(vl, name), type)
        and issubclass(getattr(vl, name), vl.LedgerError)
        and getattr(vl, name) is not vl.LedgerError
    }
    assert runtime == {class_name(f) for f in families}
    assert set(stub_classes()) == runtime


def test_each_family_subclasses_ledger_error_and_its_builtin_in_the_stubs_too() -> None:
    stubbed = stub_classes()
    for family in vl.ERROR_FAMILIES:
        cls = getattr(vl, class_name(family))
        assert issubclass(cls, vl.LedgerError) and cls.__module__ == "volunteer_ledger"
        assert cls.__doc__ and f"'{family}'" in cls.__doc__
        builtin = BUILTINS.get(family)
        if builtin is None:
            assert cls.__bases__ == (vl.LedgerError,), family
            assert stubbed[cls.__name__] == ["LedgerError"]
        else:
            assert issubclass(cls, builtin), family
            assert stubbed[cls.__name__] == ["LedgerError", builtin.__name__]
    assert not issubclass(vl.ConflictError, ValueError)
    assert not issubclass(vl.LedgerError, ValueError)


def ledger() -> vl.Ledger:
    l = vl.Ledger.in_memory("L", "学田区", "admin")
    l.set_clock(datetime(2015, 6, 30, 12))
    l.register_org("admin", id="D", name="学田区", kind="district")
    l.register_volunteer(
        "admin", id="V1", name="张三", identity_kind="passport", identity_number="E10000001",
        home_org="D",
    )
    return l


def test_a_raised_refusal_is_caught_by_its_builtin_with_its_attributes() -> None:
    l = ledger()
    with pytest.raises(ValueError) as input_error:
        vl.validate_identity("resident_id", "123")
    assert isinstance(input_error.value, vl.InputError) and input_error.value.family == "input"
    with pytest.raises(LookupError) as missing:
        l.record("R404")
    assert isinstance(missing.value, vl.NotFoundError)
    assert missing.value.code == "E_UNKNOWN_RECORD" and "R404" in missing.value.message_en
    with pytest.raises(PermissionError) as forbidden:
        l.register_org("V1", id="S", name="街道", kind="street", parent="D")
    assert isinstance(forbidden.value, vl.AuthorizationError)
    assert forbidden.value.family == "authorization" and forbidden.value.message_zh
    assert str(forbidden.value) == forbidden.value.args[0]
    with pytest.raises(ValueError) as invalid:
        l.add_record(
            "admin", id="R1", volunteer="V1", org="D", minutes=0,
            start=datetime(2015, 6, 2, 9), end=datetime(2015, 6, 2, 10),
        )
    assert isinstance(invalid.value, vl.ValidationError)


def test_a_refusal_returned_by_a_bulk_call_is_the_same_class() -> None:
    got = ledger().confirm_records("admin", ["R404"])
    assert isinstance(got[0], vl.NotFoundError) and isinstance(got[0], LookupError)
