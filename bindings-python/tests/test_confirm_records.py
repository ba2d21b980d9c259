"""Confirming many records at once: each on its own, in input order, refusals returned in
place (not raised), one transaction in a file ledger."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

import volunteer_ledger as vl

DAY = datetime(2015, 6, 2, 9)


def with_reports(path: Path | None = None) -> vl.Ledger:
    """Three volunteers, each with a pending report of their own (R1, R2, R3)."""
    args = ("L", "学田区", "admin")
    l = vl.Ledger.create(path, *args) if path else vl.Ledger.in_memory(*args)
    l.set_clock(datetime(2015, 6, 30, 12))
    l.register_org("admin", id="C1", name="学田社区", kind="community")
    for i in (1, 2, 3):
        l.register_volunteer("admin", id=f"V{i}", name="志愿者", identity_kind="passport",
                             identity_number=f"E1000000{i}", home_org="C1")
        got = l.add_record(f"V{i}", id=f"R{i}", volunteer=f"V{i}", org="C1", minutes=60,
                           start=DAY, end=DAY + timedelta(hours=1))
        assert got.state == "pending"
    return l


def test_each_record_is_confirmed_or_refused_in_place(tmp_path: Path) -> None:
    l = with_reports(tmp_path / "l.db")
    before = len(l)
    got = l.confirm_records("admin", ["R1", "R404", "", "R3", "R1"])
    assert [type(x).__name__ for x in got] == [
        "Receipt", "NotFoundError", "InputError", "Receipt", "StateError"
    ]
    refused = [x for x in got if isinstance(x, vl.LedgerError)]
    assert [e.code for e in refused] == ["E_UNKNOWN_RECORD", "E_FIELD", "E_INVALID_STATE"]
    assert len(l) == before + 2
    assert [l.record(r).state for r in ("R1", "R2", "R3")] == ["confirmed", "pending", "confirmed"]
    l.close()
    with vl.Ledger.open(tmp_path / "l.db") as again:
        assert again.record("R3").state == "confirmed"


def test_any_iterable_of_ids_but_not_one_string() -> None:
    l = with_reports()
    assert all(isinstance(x, vl.Receipt) for x in l.confirm_records("admin", iter(("R1", "R2"))))
    assert l.confirm_records("admin", []) == []
    with pytest.raises(TypeError, match="not one str"):
        l.confirm_records("admin", "R3")


def test_the_owner_of_a_report_confirms_none_and_nothing_changes() -> None:
    l = with_reports()
    before = l.state_digest()
    got = l.confirm_records("V1", ["R1"])
    assert isinstance(got[0], vl.AuthorizationError) and isinstance(got[0], PermissionError)
    assert l.state_digest() == before
