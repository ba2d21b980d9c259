"""Sheets in and files out from Python: upload with a dry run and progress, read_sheet,
leaderboard and record exports, and closing a ledger (the context manager)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))
DATA = Path(__file__).resolve().parents[2] / "examples" / "data"


def district(path: Path | None = None) -> vl.Ledger:
    """The sample district of examples/data, as of 2 July 2015 (the sheet's day)."""
    doc = json.loads((DATA / "district.json").read_text(encoding="utf-8"))
    args = (doc["ledger"]["id"], doc["ledger"]["name"], "district-admin")
    l = vl.Ledger.create(path, *args) if path else vl.Ledger.in_memory(*args)
    l.set_clock(datetime(2015, 1, 1, 8))
    for o in doc["orgs"]:
        l.register_org("district-admin", **o)
    with open(DATA / "volunteers.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            l.register_volunteer("district-admin", **row)  # type: ignore[arg-type]
    l.set_clock(datetime(2015, 7, 2, 10))
    return l


def test_upload_a_gbk_sheet_dry_run_then_for_real() -> None:
    l = district()
    data = (DATA / "upload_sample_gbk.csv").read_bytes()
    before = (len(l), l.state_digest())
    dry = l.upload("district-admin", data, dry_run=True)
    assert dry.dry_run and (len(l), l.state_digest()) == before
    calls: list[tuple[int, int]] = []
    report = l.upload("district-admin", data, progress=lambda done, total: calls.append((done, total)))
    assert (report.accepted, len(report.rejected)) == (dry.accepted, len(dry.rejected))
    assert report.accepted > 0 and report.rejected, report
    assert calls[-1] == (report.rows, report.rows)
    for p in report.rejected:
        # A row's code is the core's refusal, or one of the sheet reader's own (E_UPLOAD_*).
        assert p.code in vl.ERROR_CODES or p.code.startswith("E_UPLOAD_"), p.code
        assert p.message_en and p.message_zh
        assert p.row > 3
    again = l.upload("district-admin", data)
    assert (again.accepted, again.duplicates) == (0, report.accepted)
    assert "ImportReport(fingerprint=" in repr(report)
    assert report.to_dict()["rejected"][0]["code"] == report.rejected[0].code


def test_an_xlsx_sheet_reads_as_the_csv_does() -> None:
    csv_sheet = vl.read_sheet((DATA / "upload_sample_gbk.csv").read_bytes())
    xlsx_sheet = vl.read_sheet((DATA / "upload_sample.xlsx").read_bytes())
    # Record ids made up for rows without one name the file they came from; the rest is equal.
    def content(sheet: vl.Sheet) -> list[object]:
        return [
            {k: v for k, v in r.record.to_dict().items() if k != "id"} if r.record else r.problem
            for r in sheet.rows
        ]

    assert content(csv_sheet) == content(xlsx_sheet)
    assert ("志愿者编号", "volunteer") in csv_sheet.columns
    first = next(r.record for r in csv_sheet.rows if r.record is not None)
    assert first.start.utcoffset() == timedelta(hours=8)
    assert first.source == "import"
    problems = [r.problem for r in csv_sheet.rows if r.problem is not None]
    assert problems and all(p.code.startswith("E_") for p in problems)
    # A record read from a sheet is the keywords of add_record.
    l = district()
    got = l.add_record("district-admin", **first.to_dict())
    assert got.record == first.id


def test_a_file_that_is_not_a_sheet_is_refused() -> None:
    with pytest.raises(vl.InputError):
        vl.read_sheet(b"\x00\x01 nothing here", format="xlsx")
    with pytest.raises(vl.InputError) as e:
        vl.read_sheet(b"a,b\n", encoding="latin1")  # type: ignore[arg-type]
    assert e.value.code == "E_FIELD"
    l = district()
    before = l.state_digest()
    with pytest.raises(vl.LedgerError):
        l.upload("district-admin", b"\x00\x01", format="xlsx")
    assert l.state_digest() == before


def test_a_progress_callback_that_raises_is_raised() -> None:
    l = district()

    def boom(done: int, total: int) -> None:
        raise RuntimeError(f"stop at {done} of {total}")

    with pytest.raises(RuntimeError, match="stop at"):
        l.upload("district-admin", (DATA / "upload_sample_gbk.csv").read_bytes(), progress=boom)


def test_exports_of_a_board_and_of_records() -> None:
    l = district()
    l.upload("district-admin", (DATA / "upload_sample_gbk.csv").read_bytes())
    board = l.leaderboard("2015-06")
    text = l.export_leaderboard("2015-06", format="csv", language="en").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    ids = [row[1] for row in lines if row and row[0].isdigit()]
    assert ids == [e.id for e in board.entries]
    xlsx = l.export_leaderboard("2015-06")
    assert xlsx[:2] == b"PK"
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")

    sheet = pd.read_excel(io.BytesIO(xlsx), header=None)
    assert board.entries[0].name in sheet.astype(str).to_numpy().ravel().tolist()
    records = l.export_records(org="S01", period="2015-06", format="csv").decode("utf-8-sig")
    assert records.count("\n") > 2
    with pytest.raises(vl.InputError):
        l.export_records(period="2015-06")
    with pytest.raises(vl.InputError):
        l.export_leaderboard("2015-06", format="pdf")  # type: ignore[arg-type]
    with pytest.raises(vl.NotFoundError):
        l.export_records(volunteer="NOBODY1")


def test_with_block_checkpoints_and_closes(tmp_path: Path) -> None:
    path = tmp_path / "district.db"
    with district(path) as l:
        l.upload("district-admin", (DATA / "upload_sample_gbk.csv").read_bytes())
        digest = l.state_digest()
        assert not l.closed
    assert l.closed
    with pytest.raises(ValueError, match="closed"):
        l.leaderboard("2015")
    l.close()  # closing again does nothing
    # The checkpoint was written on exit: the next open replays nothing.
    with vl.Ledger.open(path) as again:
        assert again.replayed_at_open == 0
        assert again.state_digest() == digest


def test_with_block_closes_on_an_exception_and_lets_it_through(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    with pytest.raises(KeyError):
        with district(path) as l:
            raise KeyError("inside")
    assert l.closed
    with vl.Ledger.open(path) as again:
        assert again.record_count() == 0
