"""The file ledger from Python: create, reopen, read the projections with sqlite3, refusals."""

from __future__ import annotations

import gc
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))
NOW = datetime(2015, 6, 30, 12, 0, tzinfo=CST)


def small(path: Path) -> vl.Ledger:
    l = vl.Ledger.create(path, "xuetian", "学田区", "admin")
    l.set_clock(NOW)
    l.register_org("admin", id="D", name="学田区", kind="district")
    l.register_org("admin", id="C1", name="学田社区", kind="community", parent="D")
    l.register_volunteer(
        "admin",
        id="V1",
        name="张三",
        identity_kind="resident_id",
        identity_number="11010519491231002X",
        home_org="C1",
    )
    start = datetime(2015, 6, 2, 9, 0, tzinfo=CST)
    l.add_record(
        "admin",
        id="R1",
        volunteer="V1",
        org="C1",
        start=start,
        end=start + timedelta(hours=2),
        minutes=120,
        content="巡逻",
    )
    return l


def test_a_file_ledger_reopens_the_same_and_sql_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "district.db"
    l = small(path)
    assert l.path == str(path)
    digest, head = l.state_digest(), l.head()
    del l
    gc.collect()
    again = vl.Ledger.open(path)
    assert (again.state_digest(), again.head()) == (digest, head)
    assert again.verify().entries == head[0] + 1
    with sqlite3.connect(path) as c:
        rows = c.execute("SELECT id, volunteer, minutes, state, service_date FROM records").fetchall()
        assert rows == [("R1", "V1", 120, "confirmed", "2015-06-02")]
        (name,) = c.execute("SELECT masked_name FROM volunteers").fetchone()
        assert name != "张三" and name.startswith("张")
    assert vl.Ledger.in_memory("x", "区", "admin").path is None


def test_file_refusals(tmp_path: Path) -> None:
    path = tmp_path / "district.db"
    small(path).checkpoint()
    e: pytest.ExceptionInfo[vl.LedgerError]
    with pytest.raises(vl.StorageError) as e:
        vl.Ledger.create(path, "xuetian", "学田区", "admin")
    assert e.value.code == "E_STORAGE" and e.value.family == "storage"
    with pytest.raises(vl.StorageError):
        vl.Ledger.open(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE t (x)")
    with pytest.raises(vl.IntegrityError) as e:
        vl.Ledger.open(other)
    assert e.value.code == "E_NOT_A_LEDGER"
    gc.collect()
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA user_version = 7")
    with pytest.raises(vl.IntegrityError) as e:
        vl.Ledger.open(path)
    assert e.value.code == "E_SCHEMA_VERSION"
