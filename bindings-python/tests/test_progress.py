"""Progress callbacks on every call that can take seconds: told 0 of the total, every 1000
units, and the end; an exception from the callback is raised once the call is over."""

from __future__ import annotations

import io
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import volunteer_ledger as vl

ADMIN = "admin"


class Calls(list[tuple[int, int]]):
    """A progress callback that keeps what it was told."""

    def __call__(self, done: int, total: int) -> None:
        self.append((done, total))


def every_thousand(total: int) -> list[tuple[int, int]]:
    return [(0, total), *((d, total) for d in range(1000, total, 1000)), (total, total)]


def people(start: int, n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"V{v}",
            "name": "志愿者",
            "identity_kind": "passport",
            "identity_number": f"E{v:08}",
            "home_org": "C1",
        }
        for v in range(start, start + n)
    ]


def records(n: int, prefix: str = "R") -> list[dict[str, Any]]:
    return [
        {
            "id": f"{prefix}{v}",
            "volunteer": f"V{v}",
            "org": "C1",
            "start": datetime(2015, 6, 1 + v % 28, 8 + v % 5),
            "end": datetime(2015, 6, 1 + v % 28, 9 + v % 5),
            "minutes": 60,
        }
        for v in range(n)
    ]


def community(path: Path) -> vl.Ledger:
    l = vl.Ledger.create(path, "progress", "测试区", ADMIN)
    l.set_clock(datetime(2015, 6, 30, 12))
    l.register_org(ADMIN, id="C1", name="社区", kind="community")
    return l


def test_bulk_calls_and_sheets_report_their_progress(tmp_path: Path) -> None:
    l = community(tmp_path / "bulk.db")
    calls = Calls()
    answers = l.register_volunteers(ADMIN, people(0, 1500), progress=calls)
    assert all(isinstance(a, vl.Receipt) for a in answers)
    assert calls == every_thousand(1500)

    calls = Calls()
    added = l.add_records(ADMIN, records(1200), progress=calls)
    assert added.added == 1200
    assert calls == every_thousand(1200)

    sheet = "姓名,证件类型,证件号码,志愿者编号,所属组织\n" + "".join(
        f"志愿者,护照,E{v:08},V{v},C1\n" for v in range(1500, 2600)
    )
    calls = Calls()
    report = l.upload_volunteers(ADMIN, sheet.encode(), progress=calls)
    assert report.accepted == 1100
    assert calls == every_thousand(1100)

    calls = Calls()
    l.upload_orgs(ADMIN, "名称,类型,上级组织\n东社区,社区,C1\n".encode(), progress=calls)
    assert calls == [(0, 1), (1, 1)]


def test_frames_report_the_records_of_the_frame(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    l = community(tmp_path / "frame.db")
    l.register_volunteers(ADMIN, people(0, 2100))
    calls = Calls()
    added = l.add_records(ADMIN, pd.DataFrame(records(2100)), progress=calls)
    assert added.added == 2100
    assert calls == every_thousand(2100)


def test_a_copy_a_check_and_an_open_that_replays_report_entries(tmp_path: Path) -> None:
    l = community(tmp_path / "a.db")
    l.register_volunteers(ADMIN, people(0, 1200))
    entries = len(l)
    calls = Calls()
    l.verify(progress=calls)
    assert calls == every_thousand(entries)
    calls = Calls()
    l.verify_against([], progress=calls)
    assert calls == every_thousand(entries)

    calls = Calls()
    copy = l.save_as(tmp_path / "b.db", progress=calls)
    assert calls == every_thousand(entries)
    assert copy.state_digest() == l.state_digest()
    copy.close()

    calls = Calls()
    with vl.Ledger.open(tmp_path / "b.db", progress=calls) as opened:
        assert opened.replayed_at_open == 0
    assert calls == [(0, 0), (0, 0)]
    with sqlite3.connect(tmp_path / "b.db") as db:
        db.execute("DELETE FROM snapshot")
    db.close()
    calls = Calls()
    with vl.Ledger.open(tmp_path / "b.db", progress=calls) as opened:
        assert opened.replayed_at_open == entries
        assert opened.state_digest() == l.state_digest()
    assert calls == every_thousand(entries)


def test_a_callback_that_raises_is_raised_after_the_call_is_done(tmp_path: Path) -> None:
    l = community(tmp_path / "raise.db")
    told: list[int] = []

    def boom(done: int, total: int) -> None:
        told.append(done)
        raise KeyError(f"stop at {done} of {total}")

    with pytest.raises(KeyError, match="stop at 0 of 1500"):
        l.register_volunteers(ADMIN, people(0, 1500), progress=boom)
    # Told once: not called again after it raised. The call itself went to its end.
    assert told == [0]
    assert l.volunteer("V1499").id == "V1499"
    with pytest.raises(KeyError):
        l.verify(progress=boom)


def test_tqdm_progress_draws_one_bar_per_call() -> None:
    pytest.importorskip("tqdm")
    out = io.StringIO()
    report = vl.tqdm_progress("ledger", unit="entry", file=out, ascii=True)
    l = vl.Ledger.in_memory("progress", "测试区", ADMIN)
    l.register_org(ADMIN, id="C1", name="社区", kind="community")
    l.verify(progress=report)
    l.verify(progress=report)
    bars = [line for line in out.getvalue().replace("\r", "\n").splitlines() if line]
    assert bars[-1].startswith("ledger: 100%"), bars
    assert sum("2/2" in b for b in bars) >= 2, bars
