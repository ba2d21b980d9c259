"""docs/schema.md promises that any program can check a ledger file's chain with SQL and
SHA-256 alone. This does it with nothing but Python's sqlite3, json and hashlib — no call
into the library — on a file holding every common kind of entry and awkward text."""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))
RECORD_KEYS = (
    "activity", "content", "end", "id", "job_duty", "minutes", "org", "paid",
    "public_benefit", "source", "start", "team", "volunteer",
)


def canonical(row: tuple[int, int, str, str, bytes], prev: str) -> bytes:
    seq, time, actor, kind, body = row
    value: Any = json.loads(body)
    if kind == "record_added":
        assert isinstance(value, list) and len(value) == len(RECORD_KEYS)
        value = dict(zip(RECORD_KEYS, value))
    # docs/log-format.md: a sealed registration (its body has `identity`) is version 2.
    version = 2 if kind == "volunteer_registered" and "identity" in value else 1
    entry = {"actor": actor, "body": value, "kind": kind, "prev": prev, "seq": seq,
             "time": time, "v": version}
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.encode("utf-8")


def test_the_chain_of_a_file_checks_with_sql_and_sha256_alone(tmp_path: Path) -> None:
    path = tmp_path / "chain.db"
    l = vl.Ledger.create(path, "xuetian", "学田区", "admin")
    l.set_clock(datetime(2015, 6, 30, 12, 0, tzinfo=CST))
    l.register_org("admin", id="D", name="学田区", kind="district")
    l.register_org("admin", id="C1", name='学田"社区"\\', kind="community", parent="D")
    for v in ("V1", "V2"):
        l.register_volunteer("admin", id=v, name="张三", identity_kind="resident_id",
                             identity_number="11010519491231002X" if v == "V1" else "110105194912310038",
                             home_org="C1")
    start = datetime(2015, 6, 2, 9, 0, tzinfo=CST)
    texts = ["巡逻", 'a "quoted"\\ line\nnext\ttab\x01', "普通"]
    l.add_records("admin", [
        dict(id=f"R{i}", volunteer="V1" if i % 2 else "V2", org="C1",
             start=start + timedelta(days=i), end=start + timedelta(days=i, hours=2),
             minutes=90, content=t)
        for i, t in enumerate(texts)
    ])
    l.revoke_record("admin", "R0", reason="录入错误")
    head = l.head()
    del l
    gc.collect()

    with sqlite3.connect(path) as c:
        rows = c.execute("SELECT seq, time, actor, kind, body, hash FROM entries ORDER BY seq").fetchall()
    assert {r[3] for r in rows} >= {"ledger_created", "org_registered", "volunteer_registered",
                                   "record_added", "record_revoked"}
    prev = "0" * 64
    for i, (seq, time, actor, kind, body, stored) in enumerate(rows):
        assert seq == i
        digest = hashlib.sha256(canonical((seq, time, actor, kind, body), prev)).hexdigest()
        assert digest == bytes(stored).hex(), f"entry {seq} ({kind})"
        prev = digest
    assert (len(rows) - 1, prev) == (head[0], head[1])

    # And a forged row does not check: the record's minutes (the sixth value) made 900.
    seq, time, actor, kind, body = next(r[:5] for r in rows if r[3] == "record_added")
    values = json.loads(body)
    values[5] = 900
    forged = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    stored = next(r[5] for r in rows if r[0] == seq)
    prev_hash = "0" * 64 if seq == 0 else bytes(rows[seq - 1][5]).hex()
    assert hashlib.sha256(canonical((seq, time, actor, kind, forged), prev_hash)).hexdigest() != bytes(stored).hex()
