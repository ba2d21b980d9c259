"""The register in bulk from Python: volunteer and org-tree sheets, many volunteers from a
DataFrame or dicts, and record sheets that name people by identity number."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

import volunteer_ledger as vl

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"


def tree() -> vl.Ledger:
    """The sample district's orgs, no volunteers, on 2 July 2015."""
    doc = json.loads((DATA / "district.json").read_text(encoding="utf-8"))
    l = vl.Ledger.in_memory(doc["ledger"]["id"], doc["ledger"]["name"], "district-admin")
    l.set_clock(datetime(2015, 7, 2, 10))
    for o in doc["orgs"]:
        l.register_org("district-admin", **o)
    return l


def people() -> list[dict[str, str]]:
    with open(DATA / "volunteers.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def volunteer_sheet(rows: list[dict[str, str]], numbers: bool) -> str:
    head = "姓名,证件类型,证件号码,所属组织" + (",志愿者编号" if numbers else "")
    lines = [head]
    for p in rows:
        line = f"{p['name']},居民身份证,{p['identity_number']},{p['home_org']}"
        lines.append(line + (f",{p['id']}" if numbers else ""))
    return "\n".join(lines) + "\n"


def test_a_gbk_volunteer_sheet_registers_everyone_once() -> None:
    l = tree()
    sheet = volunteer_sheet(people(), numbers=True).encode("gbk")
    dry = l.upload_volunteers("district-admin", sheet, dry_run=True)
    assert dry.dry_run and dry.accepted == len(people())
    with pytest.raises(vl.NotFoundError):
        l.volunteer("XT00001")  # the dry run registered no one
    report = l.upload_volunteers("district-admin", sheet)
    assert (report.accepted, report.duplicates, report.refused) == (len(people()), 0, 0)
    assert l.volunteer("XT00003").home_org == "C0303"
    again = l.upload_volunteers("district-admin", sheet)
    assert (again.accepted, again.duplicates) == (0, len(people()))


def test_numbers_are_made_for_rows_without_one_and_bad_rows_are_reported() -> None:
    l = tree()
    rows = people()[:3]
    sheet = volunteer_sheet(rows, numbers=False) + "赵六,驾驶证,110105198001010016,C0101\n"
    report = l.upload_volunteers("district-admin", sheet.encode())
    assert [(a.row, a.id) for a in report.assigned] == [(2, "V00000001"), (3, "V00000002"), (4, "V00000003")]
    assert [(p.row, p.column, p.code) for p in report.rejected] == [(5, "证件类型", "E_UPLOAD_IDENTITY_KIND")]
    assert "赵六" not in report.rejected[0].message_zh
    frame = report.to_pandas()
    assert list(frame["code"]) == ["E_UPLOAD_IDENTITY_KIND"]


def test_an_org_tree_sheet_builds_the_tree() -> None:
    l = tree()
    sheet = "名称,类型,上级组织\n光明街道,街道,学田区\n光明社区,社区,光明街道\n"
    report = l.upload_orgs("district-admin", sheet.encode())
    assert report.accepted == 2 and [a.row for a in report.assigned] == [2, 3]
    street = report.assigned[0].id
    assert l.org(report.assigned[1].id).parent == street


def test_register_volunteers_takes_a_frame_or_dicts_and_answers_each() -> None:
    rows = people()
    l = tree()
    answers = l.register_volunteers("district-admin", pd.DataFrame(rows))
    assert all(isinstance(a, vl.Receipt) for a in answers)
    assert l.volunteer("XT00002").home_org == "C0101"
    m = tree()
    bad = dict(rows[0], identity_number="110105194912310021")
    answers = m.register_volunteers("district-admin", [bad, rows[1], dict(rows[1], id="XT99999")])
    assert isinstance(answers[0], vl.InputError) and answers[0].code == "E_IDENTITY_CHECKSUM"
    assert isinstance(answers[1], vl.Receipt)
    assert isinstance(answers[2], vl.LedgerError) and answers[2].code == "E_DUPLICATE_IDENTITY"
    with pytest.raises(TypeError):
        m.register_volunteers("district-admin", [dict(rows[0], nickname="x")])


def test_a_record_sheet_naming_people_by_identity_number_is_matched() -> None:
    l = tree()
    l.register_volunteers("district-admin", people())
    p = people()[0]
    sheet = (
        "姓名,证件号码,组织,服务日期,开始时间,结束时间\n"
        f"{p['name']},{p['identity_number']},学田社区,2015-06-02,9:00,11:00\n"
    )
    report = l.upload("district-admin", sheet.encode())
    assert (report.accepted, report.refused) == (1, 0), report.rejected
    assert l.volunteer(p["id"]).total_minutes == 120
    corrected = sheet.replace("11:00", "10:30") + f"{p['name']},{p['identity_number']},学田社区,2015-06-03,9:00,10:00\n"
    refused = l.upload("district-admin", corrected.encode(), dry_run=True)
    assert [r.code for r in refused.rejected] == ["E_OVERLAP"]
    amended = l.upload("district-admin", corrected.encode(), amend_changed=True)
    assert (amended.accepted, amended.amended, amended.refused) == (1, 1, 0)
    assert l.volunteer(p["id"]).total_minutes == 150
