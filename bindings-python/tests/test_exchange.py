"""The exchange export from Python: a workbook with a sheet per data set whose dates are real
Excel dates, and a zip of CSVs with the English keys. The columns and their rules are the
core's (core/tests/exchange.rs); these tests check that the call reaches the core and that
its bytes come back whole."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, timedelta, timezone

import pytest

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))
SETS = ["volunteers", "teams", "projects", "service_records", "training", "commendations", "evaluations"]


def district() -> vl.Ledger:
    """D > S1 > C1, D > S2; V0 (C1) served 06-02 and was trained, V1 (S2) commended by S2."""
    l = vl.Ledger.in_memory("L", "学田区", "admin")
    l.set_clock(datetime(2015, 6, 1, 8, tzinfo=CST))
    for o, parent, kind in [("D", None, "district"), ("S1", "D", "street"), ("S2", "D", "street"), ("C1", "S1", "community")]:
        l.register_org("admin", id=o, name=f"{o}名", kind=kind, parent=parent)  # type: ignore[arg-type]
    for v, home, number in [("V0", "C1", "11010519491231002X"), ("V1", "S2", "E10000001")]:
        kind = "resident_id" if number[0].isdigit() else "passport"
        l.register_volunteer("admin", id=v, name=f"张{v}", identity_kind=kind, identity_number=number, home_org=home)  # type: ignore[arg-type]
    l.create_team("admin", id="T1", org="C1", name="一队", leader="V0")
    l.set_clock(datetime(2015, 6, 3, 8, tzinfo=CST))
    l.add_record(
        "admin", id="R1", volunteer="V0", org="C1", minutes=170, content="助老服务",
        start=datetime(2015, 6, 2, 9), end=datetime(2015, 6, 2, 12),
    )
    l.record_training("admin", id="TR1", volunteer="V0", org="S1", title="急救", date=date(2015, 6, 1), minutes=90)
    l.record_commendation("admin", id="CM1", volunteer="V1", org="S2", title="优秀志愿者", date=date(2015, 6, 2))
    return l


def test_the_workbook_has_a_sheet_per_set_with_excel_dates() -> None:
    l = district()
    xlsx = l.export_exchange(org="D", period="2015-06")
    assert xlsx[:2] == b"PK"
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["志愿者", "志愿服务队", "志愿服务项目", "志愿服务记录", "培训情况", "表彰奖励情况", "评价情况"]
    records = book["志愿服务记录"]
    assert records.cell(2, 1).value == "记录编号"
    start = records.cell(3, 8)
    assert start.is_date and start.value == datetime(2015, 6, 2, 9, 0)
    assert start.number_format == "yyyy-mm-dd hh:mm"
    assert records.cell(3, 10).value == pytest.approx(2.83)
    trained = book["培训情况"].cell(3, 5)
    assert trained.is_date and trained.value == datetime(2015, 6, 1)
    assert trained.number_format == "yyyy-mm-dd"
    volunteers = book["志愿者"]
    cells = [c.value for row in volunteers.iter_rows() for c in row]
    assert vl.mask_identity("11010519491231002X") in cells
    assert "张V0" not in cells and "11010519491231002X" not in cells


def test_the_csv_zip_has_the_english_keys_and_the_subtree_only() -> None:
    l = district()
    data = l.export_exchange(org="S1", format="csv", language="en")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == [f"{s}.csv" for s in SETS]
        volunteers = list(csv.reader(io.StringIO(z.read("volunteers.csv").decode("utf-8-sig"))))
        records = list(csv.reader(io.StringIO(z.read("service_records.csv").decode("utf-8-sig"))))
        commendations = z.read("commendations.csv").decode("utf-8-sig")
    assert volunteers[0][:2] == ["volunteer_id", "masked_name"]
    assert [r[0] for r in volunteers[1:]] == ["V0"]
    assert records[1][:2] == ["R1", "V0"] and records[1][7] == "2015-06-02 09:00"
    assert commendations.strip() == "commendation_id,volunteer_id,masked_name,title,date,org_id,org_name"


def test_bad_arguments_are_refused() -> None:
    l = district()
    with pytest.raises(vl.NotFoundError):
        l.export_exchange(org="NOWHERE")
    with pytest.raises(vl.InputError):
        l.export_exchange(org="D", format="pdf")  # type: ignore[arg-type]
    with pytest.raises(vl.InputError):
        l.export_exchange(org="D", period="2015-13")
