"""Corrections of a volunteer from Python (docs/identity.md, "Corrections"): a misspelt name, a
wrong identity number, a new phone; the old values stay in the log, certificates that showed
them are superseded, and no message or file holds a number or a phone in clear."""

from __future__ import annotations

import gc
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))
NOW = datetime(2015, 6, 30, 12, 0, tzinfo=CST)
OLD = "11010519491231002X"
NEW = "440524198001010013"
OTHER = "44030419900307123X"
PHONE = "13800138000"
SEED = bytes([7]) * 32


def populate(l: vl.Ledger) -> vl.Ledger:
    l.set_clock(NOW)
    l.register_org("admin", id="D", name="学田区", kind="district")
    l.register_org("admin", id="C1", name="学田社区", kind="community", parent="D")
    l.register_volunteer("admin", id="V1", name="张三", identity_kind="resident_id", identity_number=OLD, home_org="C1")
    l.register_volunteer("admin", id="V2", name="李四", identity_kind="resident_id", identity_number=OTHER, home_org="C1")
    start = datetime(2015, 6, 2, 9, 0, tzinfo=CST)
    l.add_record("admin", id="R1", volunteer="V1", org="C1", start=start, end=start + timedelta(hours=2), minutes=120)
    l.set_signing_key("admin", SEED)
    return l


def certificate(l: vl.Ledger) -> vl.Certificate:
    return l.issue_certificate(
        "admin",
        volunteer="V1",
        period_from=date(2015, 1, 1),
        period_to=date(2015, 6, 30),
        issuing_org="C1",
        responsible_person="李主任",
        handler="王干事",
        contact="010-12345678",
    )


def test_a_correction_keeps_the_old_values_in_the_log_and_supersedes_certificates(tmp_path: Path) -> None:
    path = tmp_path / "district.db"
    l = populate(vl.Ledger.create(path, "xuetian", "学田区", "admin"))
    old = certificate(l)
    assert old.name == "张三" and old.identity_number == OLD
    receipt = l.correct_volunteer("admin", "V1", name="张叁", identity_number=NEW, phone="138 0013 8000", reason="录错")
    assert not receipt.duplicate
    v = l.volunteer("V1")
    assert (v.masked_name, v.masked_identity, v.masked_phone) == ("张*", "440524********0013", "138****8000")
    assert v.to_dict()["masked_phone"] == "138****8000"
    assert l.volunteer_phone("V1") == PHONE
    assert l.volunteer_phone("V2") is None
    check = l.verify_certificate(old.verification_code)
    assert check.status == "superseded"
    assert check.corrected == ["name", "identity_number"] and check.changed_records == []
    new = certificate(l)
    assert (new.name, new.identity_number) == ("张叁", NEW)
    assert l.verify_certificate(new.verification_code).status == "valid"
    # The old number is free again, the new one held.
    with pytest.raises(vl.ConflictError) as info:
        l.register_volunteer("admin", id="V8", name="王五", identity_kind="resident_id", identity_number=NEW)
    assert info.value.code == "E_DUPLICATE_IDENTITY"
    l.register_volunteer("admin", id="V9", name="王五", identity_kind="resident_id", identity_number=OLD, home_org="C1")
    l.close()
    del l
    gc.collect()
    # The log keeps the old name and the old number's mask, and no file holds a number or a
    # phone in clear.
    with sqlite3.connect(path) as db:
        rows = list(db.execute("SELECT kind, body FROM entries ORDER BY seq"))
    log = b"\n".join(b if isinstance(b, bytes) else str(b).encode() for (_, b) in rows)
    assert "张三".encode() in log and b"110105********002X" in log
    assert [k for (k, _) in rows].count("volunteer_corrected") == 1
    for p in path.parent.iterdir():
        data = p.read_bytes()
        for clear in (OLD, NEW, PHONE):
            assert clear.encode() not in data, f"{clear} in clear in {p.name}"
    again = vl.Ledger.open(path)
    again.verify()
    assert again.volunteer("V1").masked_identity == "440524********0013"
    assert again.volunteer_phone("V1") == PHONE


def test_refusals_name_no_value_and_store_nothing() -> None:
    l = populate(vl.Ledger.in_memory("xuetian", "学田区", "admin"))
    l.grant_role("admin", "rec", "recorder", "C1")
    count = len(l)

    def refused(kind: type[vl.LedgerError], code: str, actor: str = "admin", volunteer: str = "V1", **kw: object) -> None:
        kw.setdefault("reason", "录错")
        with pytest.raises(kind) as info:
            l.correct_volunteer(actor, volunteer, **kw)  # type: ignore[arg-type]
        e = info.value
        assert e.code == code
        text = f"{e} {e.message_en} {e.message_zh} {e.fields}"
        for value in (OLD, NEW, OTHER, PHONE, "张叁", "张三", "李四"):
            assert value not in text, f"{code} quotes a value"
        assert len(l) == count

    refused(vl.ConflictError, "E_DUPLICATE_IDENTITY", identity_number=OTHER)
    refused(vl.InputError, "E_FIELD", identity_number=OLD)
    refused(vl.InputError, "E_FIELD", name="张三")
    refused(vl.InputError, "E_FIELD")
    refused(vl.InputError, "E_FIELD", name="张叁", reason="")
    refused(vl.InputError, "E_FIELD", phone="138-0013-800x")
    refused(vl.NotFoundError, "E_UNKNOWN_VOLUNTEER", volunteer="V7", name="张叁")
    refused(vl.AuthorizationError, "E_FORBIDDEN", actor="rec", name="张叁")
    l.erase_identity("admin", "V1")
    count = len(l)
    refused(vl.StateError, "E_IDENTITY_ERASED", identity_number=NEW)
    refused(vl.StateError, "E_IDENTITY_ERASED", phone=PHONE)
    l.correct_volunteer("admin", "V1", name="张叁", reason="错字")
    assert l.volunteer("V1").masked_name == "张*"
