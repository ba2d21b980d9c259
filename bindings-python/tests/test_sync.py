"""Offline recording on a device ledger, synced to a server ledger, from Python."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))
SERVER_SEED = bytes([7] * 32)


def ledger(ledger_id: str, server_key: str | None = None, path: Path | None = None) -> vl.Ledger:
    """Community C1 with its recorder `leader` and volunteers V1, V2; the clock on 2015-06-12.
    The ledger `district` signs with SERVER_SEED; a device trusts `server_key` as district's.
    In memory, or a ledger file at `path`."""
    if path is None:
        l = vl.Ledger.in_memory(ledger_id, "某区", "admin")
    else:
        l = vl.Ledger.create(path, ledger_id, "某区", "admin")
    l.set_clock(datetime(2015, 6, 12, 12, tzinfo=CST))
    l.register_org("admin", id="C1", name="学田社区", kind="community")
    l.grant_role("admin", "leader", "recorder", "C1")
    l.register_volunteer(
        "admin", id="V1", name="张三", identity_kind="resident_id", identity_number="11010519491231002X", home_org="C1"
    )
    l.register_volunteer(
        "admin", id="V2", name="李四", identity_kind="passport", identity_number="E12345678", home_org="C1"
    )
    if ledger_id == "district":
        l.set_signing_key("admin", SERVER_SEED)
    if server_key is not None:
        l.trust_sync_server("district", server_key)
    return l


def server_and_phone(phone_id: str = "phone-1") -> tuple[vl.Ledger, vl.Ledger]:
    server = ledger("district")
    return server, ledger(phone_id, server.public_key())


def visit(l: vl.Ledger, actor: str, rid: str, volunteer: str, day: int) -> None:
    start = datetime(2015, 6, day, 9, tzinfo=CST)
    l.add_record(actor, id=rid, volunteer=volunteer, org="C1", start=start, end=start + timedelta(hours=2),
                 minutes=120, content="助老服务")


def test_a_phone_syncs_once_and_keeps_refusals() -> None:
    server, phone = server_and_phone()
    assert phone.sync_server() == ("district", server.public_key())
    visit(phone, "leader", "phone-1-1", "V1", 2)
    visit(phone, "leader", "phone-1-2", "V2", 3)
    phone.grant_role("admin", "helper", "recorder", "C1")  # the server never granted this
    visit(phone, "helper", "phone-1-3", "V1", 4)
    assert phone.sync_status("leader").unsent == 2

    batch = phone.sync_batch("leader")
    assert json.loads(batch)["format"] == "volunteer-ledger/sync-batch@2"
    receipt = server.import_sync_batch("leader", batch)
    assert [(r.record, r.outcome, r.state) for r in receipt.results] == [
        ("phone-1-1", "accepted", "confirmed"),
        ("phone-1-2", "accepted", "confirmed"),
    ]
    assert len(receipt.results[0].entry_hash or "") == 64
    assert (receipt.public_key, len(receipt.batch)) == (server.public_key(), 64)
    assert phone.apply_sync_receipt(receipt.json).acknowledged == 2
    assert json.loads(phone.sync_batch("leader"))["records"] == []

    # Sent again (the receipt was lost): nothing is recorded twice.
    head = server.head()
    again = server.import_sync_batch("leader", batch)
    assert [r.outcome for r in again.results] == ["already_had", "already_had"]
    assert server.head() == head

    helper = server.import_sync_batch("helper", phone.sync_batch("helper"))
    (refused,) = helper.results
    assert (refused.outcome, refused.code, refused.proof) == ("refused", "E_FORBIDDEN", None)
    assert "张" not in (refused.message_en or "") + (refused.message_zh or "")
    applied = phone.apply_sync_receipt(helper.json)
    assert [r.record for r in applied.refused] == ["phone-1-3"]
    status = phone.sync_status()
    assert (status.unsent, status.acknowledged, [r.code for r in status.refused]) == (0, 2, ["E_FORBIDDEN"])

    server.grant_role("admin", "helper", "recorder", "C1")
    assert phone.retry_sync("phone-1-3")
    retried = server.import_sync_batch("helper", phone.sync_batch("helper"))
    assert [r.outcome for r in retried.results] == ["accepted"]
    assert server.star_summary("V1").total_minutes == 240


def test_whole_batches_are_refused_with_stable_codes() -> None:
    server, phone = server_and_phone()
    visit(phone, "leader", "R1", "V1", 2)
    batch = phone.sync_batch("leader")
    head = server.head()
    e: pytest.ExceptionInfo[vl.LedgerError]
    with pytest.raises(vl.InputError) as e:
        server.import_sync_batch("leader", batch[: len(batch) // 2])
    assert e.value.code == "E_SYNC_FORMAT"
    with pytest.raises(vl.InputError) as e:
        server.import_sync_batch("leader", batch.replace("batch@2", "batch@7"))
    assert e.value.code == "E_SYNC_VERSION"
    with pytest.raises(vl.AuthorizationError) as e:
        server.import_sync_batch("admin", batch)
    assert e.value.code == "E_SYNC_ACTOR"
    assert server.head() == head
    with pytest.raises(vl.InputError) as e:
        server.import_sync_batch("leader", batch.replace('"minutes":120', '"minutes":120,"minutes_x":5'))
    assert e.value.code == "E_SYNC_FORMAT"
    assert "minutes_x" in str(e.value) and "R1" in str(e.value)
    assert server.head() == head
    receipt = server.import_sync_batch("leader", batch)
    with pytest.raises(vl.InputError) as e:
        ledger("phone-2", server.public_key()).apply_sync_receipt(receipt.json)
    assert e.value.code == "E_SYNC_DEVICE"
    with pytest.raises(vl.StateError) as e:
        ledger("city").import_sync_batch("leader", batch)
    assert e.value.code == "E_NO_SIGNING_KEY"


def test_receipts_the_device_cannot_trust_are_refused_and_the_record_still_sent() -> None:
    server, phone = server_and_phone()
    visit(phone, "leader", "R1", "V1", 2)
    batch = phone.sync_batch("leader")
    genuine = server.import_sync_batch("leader", batch).json
    forged = json.loads(genuine)
    forged["results"] = [{"outcome": "refused", "record": "R1", "code": "E_FORBIDDEN",
                          "message_en": "forbidden", "message_zh": "无权"}]
    unsigned = dict(forged, signature="")
    old = {k: v for k, v in forged.items() if k not in ("batch", "public_key", "signature")}
    old["format"] = "volunteer-ledger/sync-receipt@1"
    other = ledger("district")  # same id, another key
    other.set_signing_key("admin", bytes([9] * 32))
    cases: list[tuple[str, type[vl.LedgerError], str]] = [
        (json.dumps(forged), vl.IntegrityError, "E_BAD_SIGNATURE"),
        (json.dumps(unsigned), vl.IntegrityError, "E_SYNC_UNSIGNED"),
        (json.dumps(old), vl.IntegrityError, "E_SYNC_UNSIGNED"),
        (other.import_sync_batch("leader", batch).json, vl.AuthorizationError, "E_SYNC_UNTRUSTED_SERVER"),
        (server.import_sync_batch("mallory", batch.replace('"leader"', '"mallory"')).json,
         vl.IntegrityError, "E_SYNC_RECEIPT_BATCH"),
    ]
    for text, kind, code in cases:
        with pytest.raises(kind) as e:
            phone.apply_sync_receipt(text)
        assert e.value.code == code
        assert phone.sync_status().unsent == 1
    with pytest.raises(vl.StateError) as e:
        ledger("phone-1").apply_sync_receipt(genuine)
    assert e.value.code == "E_SYNC_NO_SERVER"
    assert phone.apply_sync_receipt(genuine).acknowledged == 1
    assert phone.sync_status().unsent == 0


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def root_of_path(entry_hash: str, proof: vl.InclusionProof, size: int) -> str:
    """The root (hex) that an entry's inclusion path leads to in a tree of `size` entries: RFC
    9162 section 2.1.3.2, by hand as docs/checkpoints.md shows (the binding checks signed heads,
    it does not expose the tree's functions)."""
    fn, sn = proof.index, size - 1
    assert 0 <= fn <= sn
    r = _sha256(b"\x00" + bytes.fromhex(entry_hash))
    for p in map(bytes.fromhex, proof.path):
        assert sn != 0
        if fn & 1 or fn == sn:
            r = _sha256(b"\x01" + p + r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _sha256(b"\x01" + r + p)
        fn, sn = fn >> 1, sn >> 1
    assert sn == 0
    return r.hex()


def assert_anchored(receipt: vl.SyncReceipt, server_key: str) -> None:
    """What anyone holding a receipt can check without the server: its head is the server's,
    signed with the server's key, and every entry it acknowledges is among those the head
    covers."""
    head = receipt.head
    head.check(server_key)
    assert (head.ledger_id, head.public_key) == (receipt.ledger, server_key)
    for r in receipt.results:
        if r.outcome == "refused":
            assert r.proof is None
            continue
        assert r.proof is not None and r.seq is not None and r.entry_hash is not None
        assert r.proof.index == r.seq < head.size
        assert root_of_path(r.entry_hash, r.proof, head.size) == head.root_hash
        head.check_inclusion(r.entry_hash, r.proof)
        # Another entry's hash does not lead to the root; text that is not a hash does not read.
        with pytest.raises(vl.IntegrityError) as e:
            head.check_inclusion("00" * 32, r.proof)
        assert e.value.code == "E_CHECKPOINT_MISMATCH"
        with pytest.raises(vl.IntegrityError) as e:
            head.check_inclusion("zz", r.proof)
        assert e.value.code == "E_CHECKPOINT_FORMAT"


def test_a_receipt_proves_offline_that_the_server_log_holds_the_records() -> None:
    server, phone = server_and_phone()
    for rid, day in (("R1", 2), ("R2", 3), ("R3", 4)):
        visit(phone, "leader", rid, "V1", day)
    assert phone.sync_server_head() is None
    key = server.public_key()
    assert key is not None
    batch = phone.sync_batch("leader", 2)
    receipt = server.import_sync_batch("leader", batch)
    assert json.loads(receipt.json)["format"] == "volunteer-ledger/sync-receipt@3"
    assert [r.outcome for r in receipt.results] == ["accepted", "accepted"]
    # The head is the server's once the batch was recorded.
    seq, last = server.head()
    assert (receipt.head.size, receipt.head.head_hash) == (seq + 1, last)
    assert_anchored(receipt, key)
    with pytest.raises(vl.AuthorizationError) as e:
        receipt.head.check("00" * 32)
    assert e.value.code == "E_UNTRUSTED_ISSUER"
    assert vl.SignedHead.from_json(json.dumps(json.loads(receipt.json)["head"])) == receipt.head
    d = receipt.to_dict()
    proof = receipt.results[0].proof
    assert proof is not None and d["head"] == receipt.head.to_dict()
    assert d["results"][0]["proof"] == {"index": proof.index, "path": proof.path}

    # Sent again (the receipt was lost): "already had", each with its proof.
    again = server.import_sync_batch("leader", batch)
    assert [r.outcome for r in again.results] == ["already_had", "already_had"]
    assert again.head.size == receipt.head.size
    assert_anchored(again, key)

    # The phone keeps the head of a receipt it applied, and the largest of them.
    assert phone.apply_sync_receipt(receipt.json).acknowledged == 2
    assert phone.sync_server_head() == receipt.head
    later = server.import_sync_batch("leader", phone.sync_batch("leader"))
    assert [r.outcome for r in later.results] == ["accepted"]
    assert_anchored(later, key)
    assert later.head.size > receipt.head.size
    assert phone.apply_sync_receipt(later.json).acknowledged == 1
    assert phone.sync_server_head() == later.head
    assert phone.apply_sync_receipt(receipt.json).ignored == 2
    assert phone.sync_server_head() == later.head

    # Later, the server shows that its log still begins with what the phone was told.
    visit(server, "leader", "R9", "V2", 5)
    kept = phone.sync_server_head()
    assert kept is not None
    assert server.verify_against([kept]).entries > kept.size


def test_a_receipt_edited_after_signing_is_refused_and_the_records_still_sent() -> None:
    server, phone = server_and_phone()
    visit(phone, "leader", "R1", "V1", 2)
    visit(phone, "leader", "R2", "V1", 3)
    genuine = server.import_sync_batch("leader", phone.sync_batch("leader"))
    proof = genuine.results[1].proof
    assert proof is not None and proof.path
    visit(server, "leader", "R9", "V2", 5)
    later_head = json.loads(server.signed_head().to_json())

    def edited(where: str, value: object) -> str:
        d = json.loads(genuine.json)
        *parents, last = where.split(".")
        target = d
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is None:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
        return json.dumps(d)

    # A changed proof is caught by the receipt's signature, which covers the proofs and the
    # head (re-signing it needs the server's key); a missing one does not read as a receipt.
    cases: list[tuple[str, type[vl.LedgerError], str]] = [
        (edited("results.1.proof.path.0", "cd" * 32), vl.IntegrityError, "E_BAD_SIGNATURE"),
        (edited("results.1.proof.index", proof.index - 1), vl.IntegrityError, "E_BAD_SIGNATURE"),
        (edited("results.0.entry_hash", "ab" * 32), vl.IntegrityError, "E_BAD_SIGNATURE"),
        (edited("head", later_head), vl.IntegrityError, "E_BAD_SIGNATURE"),
        (edited("head.size", genuine.head.size + 1), vl.IntegrityError, "E_BAD_SIGNATURE"),
        (edited("results.1.proof", None), vl.InputError, "E_SYNC_FORMAT"),
        (edited("head", None), vl.InputError, "E_SYNC_FORMAT"),
        (edited("format", "volunteer-ledger/sync-receipt@2"), vl.InputError, "E_SYNC_VERSION"),
    ]
    for text, kind, code in cases:
        assert json.loads(text) != json.loads(genuine.json)
        with pytest.raises(kind) as e:
            phone.apply_sync_receipt(text)
        assert e.value.code == code, text
        assert phone.sync_status().unsent == 2
        assert phone.sync_server_head() is None
    assert phone.apply_sync_receipt(genuine.json).acknowledged == 2
    assert phone.sync_server_head() == genuine.head


def test_the_server_file_keeps_its_head_and_the_phone_file_the_servers(tmp_path: Path) -> None:
    server = ledger("district", path=tmp_path / "district.db")
    phone = ledger("phone-1", server.public_key(), tmp_path / "phone.db")
    visit(phone, "leader", "R1", "V1", 2)
    receipt = server.import_sync_batch("leader", phone.sync_batch("leader"))
    assert server.kept_signed_head() == receipt.head
    assert phone.apply_sync_receipt(receipt.json).acknowledged == 1
    phone.close()
    server.close()
    with vl.Ledger.open(tmp_path / "phone.db") as reopened:
        assert reopened.sync_server_head() == receipt.head
    with vl.Ledger.open(tmp_path / "district.db") as reopened:
        assert reopened.kept_signed_head() == receipt.head
        assert reopened.verify_against([receipt.head]).entries == receipt.head.size


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_batches_never_crash(data: bytes) -> None:
    server = ledger("district")
    head = server.head()
    try:
        server.import_sync_batch("leader", data.decode("utf-8", errors="replace"))
    except vl.LedgerError as e:
        assert e.code.startswith("E_SYNC_")
        assert server.head() == head
