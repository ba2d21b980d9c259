"""Identity numbers sealed under the ledger key, erasure, signed heads and open warnings, from
Python (docs/identity.md, docs/checkpoints.md)."""

from __future__ import annotations

import gc
import json
import os
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import pytest

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))
NOW = datetime(2015, 6, 30, 12, 0, tzinfo=CST)
NUMBERS = {"V1": "11010519491231002X", "V2": "44030419900307123X"}
KEY = bytes(range(32))
SEED = bytes([7]) * 32


def populate(l: vl.Ledger) -> vl.Ledger:
    l.set_clock(NOW)
    l.register_org("admin", id="D", name="学田区", kind="district")
    l.register_org("admin", id="C1", name="学田社区", kind="community", parent="D")
    for vid, number in NUMBERS.items():
        l.register_volunteer(
            "admin", id=vid, name="张三", identity_kind="resident_id", identity_number=number, home_org="C1"
        )
    start = datetime(2015, 6, 2, 9, 0, tzinfo=CST)
    l.add_record(
        "admin", id="R1", volunteer="V1", org="C1", start=start, end=start + timedelta(hours=2), minutes=120
    )
    start += timedelta(days=1)
    l.add_record("admin", id="R2", volunteer="V2", org="C1", start=start, end=start + timedelta(hours=1), minutes=60)
    l.set_signing_key("admin", SEED)
    return l


def reopen(path: Path, key: Optional[bytes] = None, key_id: str = "k1") -> vl.Ledger:
    """Opens a file again; the signing key is the caller's to give again (a file keeps none)."""
    l = vl.Ledger.open(path, key=key, key_id=key_id)
    l.set_signing_key("admin", SEED)
    return l


def certificate(l: vl.Ledger, volunteer: str = "V1") -> vl.Certificate:
    return l.issue_certificate(
        "admin",
        volunteer=volunteer,
        period_from=date(2015, 1, 1),
        period_to=date(2015, 6, 30),
        issuing_org="C1",
        responsible_person="李四",
        handler="王五",
        contact="010-12345678",
    )


def closed(l: vl.Ledger) -> None:
    l.close()
    del l
    gc.collect()


def files_of(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


def assert_no_number_in(data: bytes, where: str) -> None:
    for number in NUMBERS.values():
        for form in (number.encode(), number.encode("utf-16-le")):
            assert form not in data, f"{number} in clear in {where}"


def test_a_file_ledger_holds_no_identity_number_in_clear(tmp_path: Path) -> None:
    path = tmp_path / "district.db"
    l = populate(vl.Ledger.create(path, "xuetian", "学田区", "admin"))
    assert l.has_identity_key
    assert certificate(l).identity_number == NUMBERS["V1"]
    # While open (the WAL holds the recent pages) and after closing.
    for when in ("open", "closed"):
        files = files_of(path)
        assert {"district.db", "district.db.key"} <= files.keys(), files.keys()
        for name, data in files.items():
            if not name.endswith(".key"):
                assert_no_number_in(data, f"{name} ({when})")
        if when == "open":
            assert "district.db-wal" in files
            closed(l)
    key_file = path.with_name("district.db.key")
    assert_no_number_in(key_file.read_bytes(), "the key file")
    if os.name == "posix":
        assert key_file.stat().st_mode & 0o777 == 0o600


def test_without_its_key_a_file_answers_masked_queries_and_refuses_certificates(tmp_path: Path) -> None:
    path = tmp_path / "district.db"
    closed(populate(vl.Ledger.create(path, "xuetian", "学田区", "admin")))
    path.with_name("district.db.key").rename(tmp_path / "elsewhere.key")
    l = reopen(path)
    assert not l.has_identity_key
    assert l.verify().entries > 0
    v = l.volunteer("V1")
    assert v.masked_identity == vl.mask_identity(NUMBERS["V1"]) and not v.identity_erased
    assert l.leaderboard("2015-06").entries[0].minutes == 120
    with pytest.raises(vl.StateError) as info:
        certificate(l)
    assert (info.value.code, info.value.family) == ("E_KEY_UNAVAILABLE", "state")
    assert NUMBERS["V1"] not in str(info.value)
    with pytest.raises(vl.StateError) as info:
        l.register_volunteer(
            "admin", id="V3", name="李四", identity_kind="resident_id", identity_number="11010519491231002X"
        )
    assert info.value.code == "E_KEY_UNAVAILABLE"
    closed(l)
    # The key back beside it: the numbers open again.
    (tmp_path / "elsewhere.key").rename(path.with_name("district.db.key"))
    again = reopen(path)
    assert again.has_identity_key and certificate(again).identity_number == NUMBERS["V1"]
    closed(again)


def test_a_platform_key_writes_no_key_file_and_opens_only_with_the_key(tmp_path: Path) -> None:
    path = tmp_path / "platform.db"
    l = populate(vl.Ledger.create(path, "xuetian", "学田区", "admin", key=KEY, key_id="hsm-1"))
    assert l.has_identity_key
    with pytest.raises(vl.StateError) as info:
        l.rotate_key()
    assert info.value.code == "E_KEY_UNAVAILABLE"
    closed(l)
    assert not path.with_name("platform.db.key").exists()
    assert not vl.Ledger.open(path).has_identity_key
    gc.collect()
    l = reopen(path, KEY, "hsm-1")
    assert certificate(l).identity_number == NUMBERS["V1"]
    closed(l)
    # Another key of the same id opens nothing.
    l = reopen(path, bytes(32), "hsm-1")
    with pytest.raises(vl.StateError) as info:
        certificate(l)
    assert info.value.code == "E_KEY_UNAVAILABLE"
    closed(l)


def test_a_key_provider_callable_serves_keys_by_id(tmp_path: Path) -> None:
    asked: list[str] = []

    def provider(key_id: str) -> Optional[bytes]:
        asked.append(key_id)
        return KEY if key_id == "kms-7" else None

    path = tmp_path / "kms.db"
    l = populate(vl.Ledger.create(path, "xuetian", "学田区", "admin", key_provider=provider, key_id="kms-7"))
    assert set(asked) == {"kms-7"}
    assert certificate(l).identity_number == NUMBERS["V1"]
    closed(l)
    assert not path.with_name("kms.db.key").exists()
    # The same key given as bytes opens what the provider sealed.
    l = reopen(path, KEY, "kms-7")
    assert certificate(l, "V2").identity_number == NUMBERS["V2"]
    closed(l)


def raises(key_id: str) -> bytes:
    raise RuntimeError("the keystore is locked")


def short(key_id: str) -> bytes:
    return b"\x01" * 31


def not_bytes(key_id: str) -> bytes:
    return "k" * 32  # type: ignore[return-value]


def none(key_id: str) -> Optional[bytes]:
    return None


@pytest.mark.parametrize("bad", [raises, short, not_bytes, none], ids=lambda f: f.__name__)
def test_a_failing_key_provider_refuses_with_key_unavailable_and_never_panics(
    tmp_path: Path, bad: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the provider raised is reported to sys.unraisablehook, never raised through.
    reported: list[BaseException] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(u.exc_value))
    path = tmp_path / "kms.db"
    closed(populate(vl.Ledger.create(path, "xuetian", "学田区", "admin", key=KEY, key_id="k1")))
    l = vl.Ledger.open(path, key_provider=bad, key_id="k1")  # type: ignore[arg-type]
    l.set_signing_key("admin", SEED)
    assert l.has_identity_key
    assert l.volunteer("V1").masked_identity == vl.mask_identity(NUMBERS["V1"])
    with pytest.raises(vl.StateError) as info:
        certificate(l)
    assert info.value.code == "E_KEY_UNAVAILABLE"
    with pytest.raises(vl.StateError) as info:
        l.register_volunteer(
            "admin", id="V3", name="李四", identity_kind="resident_id", identity_number="110101199003074477"
        )
    assert info.value.code == "E_KEY_UNAVAILABLE"
    assert l.verify().entries > 0  # still usable
    closed(l)
    if bad in (raises, not_bytes):
        assert reported and all(isinstance(e, (RuntimeError, TypeError)) for e in reported)
    else:
        assert reported == []


def test_keys_are_given_one_way_only(tmp_path: Path) -> None:
    with pytest.raises(vl.InputError) as info:
        vl.Ledger.create(tmp_path / "x.db", "x", "区", "admin", key=KEY, mask_only=True)
    assert info.value.code == "E_FIELD"
    with pytest.raises(vl.InputError) as info:
        vl.Ledger.create(tmp_path / "y.db", "x", "区", "admin", key=b"short")
    assert info.value.code == "E_FIELD"
    assert list(tmp_path.iterdir()) == []


def test_a_mask_only_device_ledger_keeps_masks_and_no_key(tmp_path: Path) -> None:
    path = tmp_path / "phone.db"
    l = populate(vl.Ledger.create(path, "phone", "手机", "admin", mask_only=True))
    assert not l.has_identity_key
    assert l.volunteer("V2").masked_identity == vl.mask_identity(NUMBERS["V2"])
    closed(l)
    assert not path.with_name("phone.db.key").exists()
    for name, data in files_of(path).items():
        assert_no_number_in(data, name)
    again = vl.Ledger.open(path)
    assert not again.has_identity_key
    closed(again)


def test_rotating_the_key_file_keeps_numbers_readable(tmp_path: Path) -> None:
    path = tmp_path / "district.db"
    l = populate(vl.Ledger.create(path, "xuetian", "学田区", "admin"))
    assert l.rotate_key() == "k2"
    l.register_volunteer(
        "admin", id="V3", name="李四", identity_kind="resident_id", identity_number="110101199003074477"
    )
    closed(l)
    assert path.with_name("district.db.key").read_text().count("\n") == 3
    l = reopen(path)
    assert certificate(l).identity_number == NUMBERS["V1"]
    assert l.volunteer("V3").masked_identity == vl.mask_identity("110101199003074477")
    closed(l)


def test_erasing_an_identity_keeps_the_log_and_refuses_the_certificate(tmp_path: Path) -> None:
    path = tmp_path / "district.db"
    l = populate(vl.Ledger.create(path, "xuetian", "学田区", "admin"))
    receipt = l.erase_identity("admin", "V1")
    assert receipt.seq == l.head()[0]
    v = l.volunteer("V1")
    assert v.identity_erased and v.masked_identity == vl.mask_identity(NUMBERS["V1"])
    assert v.to_dict()["identity_erased"] is True
    assert not l.volunteer("V2").identity_erased
    with pytest.raises(vl.StateError) as info:
        certificate(l)
    assert (info.value.code, info.value.family) == ("E_IDENTITY_ERASED", "state")
    with pytest.raises(vl.StateError) as info:
        l.erase_identity("admin", "V1")
    assert info.value.code == "E_IDENTITY_ERASED"
    with pytest.raises(vl.AuthorizationError):
        l.erase_identity("V2", "V1")
    assert certificate(l, "V2").identity_number == NUMBERS["V2"]
    assert l.verify().entries == l.head()[0] + 1
    closed(l)
    l = reopen(path)
    assert l.volunteer("V1").identity_erased
    with pytest.raises(vl.StateError) as info:
        certificate(l)
    assert info.value.code == "E_IDENTITY_ERASED"
    closed(l)


def test_a_ledger_in_memory_holds_its_own_key() -> None:
    l = populate(vl.Ledger.in_memory("xuetian", "学田区", "admin"))
    assert l.has_identity_key
    assert l.rotate_key()
    assert certificate(l).identity_number == NUMBERS["V1"]
    assert l.kept_signed_head() is None and l.open_warnings() == []


# ---- signed heads -------------------------------------------------------------------------


def test_a_signed_head_is_kept_published_and_verified_against(tmp_path: Path) -> None:
    path = tmp_path / "district.db"
    l = populate(vl.Ledger.create(path, "xuetian", "学田区", "admin"))
    assert l.kept_signed_head() is None
    head = l.signed_head()
    n, last = l.head()
    assert (head.size, head.head_hash, head.ledger_id) == (n + 1, last, "xuetian")
    assert head.format == "volunteer-ledger/signed-head@1"
    assert head.public_key == l.public_key() and head.time == NOW
    assert head.time.utcoffset() == timedelta(0)
    head.check(head.public_key)
    text = head.to_json()
    assert json.loads(text)["root_hash"] == head.root_hash
    assert vl.SignedHead.from_json(text) == head
    assert head.to_dict()["size"] == head.size
    assert json.loads(head.signed_bytes()) == {k: v for k, v in json.loads(text).items() if k != "signature"}
    assert "SignedHead(" in repr(head)
    assert l.kept_signed_head() == head
    start = datetime(2015, 6, 9, 9, 0, tzinfo=CST)
    l.add_record("admin", id="R3", volunteer="V2", org="C1", start=start, end=start + timedelta(hours=1), minutes=60)
    later = l.signed_head()
    report = l.verify_against([head, later])
    assert report.entries == later.size
    assert l.verify_against([]) == l.verify()
    closed(l)
    l = reopen(path)
    assert l.kept_signed_head() == later and l.open_warnings() == []
    assert l.verify_against([vl.SignedHead.from_json(text)]).entries == later.size
    closed(l)


def test_a_head_of_another_history_is_refused(tmp_path: Path) -> None:
    a = populate(vl.Ledger.in_memory("xuetian", "学田区", "admin"))
    b = populate(vl.Ledger.in_memory("xuetian", "学田区", "admin"))
    start = datetime(2015, 6, 9, 9, 0, tzinfo=CST)
    b.add_record("admin", id="R9", volunteer="V2", org="C1", start=start, end=start + timedelta(hours=1), minutes=60)
    a.add_record("admin", id="R9", volunteer="V2", org="C1", start=start, end=start + timedelta(hours=1), minutes=50)
    # Same key, same size, another history: the root differs.
    with pytest.raises(vl.IntegrityError) as info:
        a.verify_against([b.signed_head()])
    assert (info.value.code, info.value.family) == ("E_CHECKPOINT_MISMATCH", "integrity")
    # A head edited after signing no longer verifies.
    edited = json.loads(a.signed_head().to_json())
    edited["size"] -= 1
    with pytest.raises(vl.IntegrityError) as info:
        vl.SignedHead.from_json(json.dumps(edited)).check(edited["public_key"])
    assert info.value.code == "E_BAD_SIGNATURE"
    with pytest.raises(vl.IntegrityError) as info:
        vl.SignedHead.from_json('{"format":"something else"}')
    assert info.value.code == "E_CHECKPOINT_FORMAT"


def test_a_ledger_without_a_signing_key_signs_no_head() -> None:
    l = vl.Ledger.in_memory("xuetian", "学田区", "admin")
    with pytest.raises(vl.StateError) as info:
        l.signed_head()
    assert info.value.code == "E_NO_SIGNING_KEY"


def test_the_new_codes_are_known() -> None:
    for code in ("E_KEY_UNAVAILABLE", "E_IDENTITY_ERASED", "E_CHECKPOINT_MISMATCH", "E_CHECKPOINT_FORMAT"):
        assert code in vl.ERROR_CODES


def test_certificates_and_packages_carry_a_head_and_a_proof_per_record() -> None:
    l = populate(vl.Ledger.in_memory("xuetian", "学田区", "admin"))
    cert = certificate(l)
    head = cert.checkpoint
    assert head is not None and head.public_key == l.public_key()
    head.check(cert.public_key)
    assert [r.proof is not None for r in cert.records] == [True]
    proof = cert.records[0].proof
    assert proof is not None and proof.index < head.size and all(len(h) == 64 for h in proof.path)
    d = cert.to_dict()
    assert d["checkpoint"] == head.to_dict()
    assert d["records"][0]["proof"] == {"index": proof.index, "path": proof.path}
    assert vl.Certificate.from_json(cert.to_json()).checkpoint == head
    vl.verify_certificate_offline(cert, cert.public_key)
    assert l.verify_against([head]).entries == l.head()[0] + 1

    text = l.export_transfer("admin", "V1")
    p = vl.open_package(text, [("xuetian", l.public_key() or "")])
    assert p.format == "volunteer-ledger/transfer@2" == vl.TRANSFER_FORMAT
    assert p.checkpoint is not None and p.checkpoint.ledger_id == "xuetian"
    assert [r.proof is not None for r in p.records] == [True]
    assert p.to_dict()["checkpoint"]["root_hash"] == p.checkpoint.root_hash
    # The preview is unsigned: neither head nor proofs.
    preview = l.transfer_package("V2")
    assert preview.checkpoint is None and all(r.proof is None for r in preview.records)
