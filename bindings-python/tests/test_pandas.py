"""pandas in and out: DataFrames for bulk adds, to_pandas on boards, reports and records, and
the properties that bulk adds equal one-by-one adds and that to_pandas round trips. Skipped
only when pandas is not installed (run-tests.sh installs it)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Union

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import volunteer_ledger as vl

pd = pytest.importorskip("pandas")

CST = timezone(timedelta(hours=8))
NOW = datetime(2015, 6, 30, 12, 0, tzinfo=CST)
RECORD_COLUMNS = ["id", "volunteer", "org", "start", "end", "minutes", "content", "team", "activity", "source"]


def small() -> vl.Ledger:
    l = vl.Ledger.in_memory("L", "学田区", "admin")
    l.set_clock(NOW)
    l.register_org("admin", id="D", name="学田区", kind="district")
    l.register_org("admin", id="C1", name="学田社区", kind="community", parent="D")
    for i, number in enumerate(["E10000001", "E10000002", "E10000003"], start=1):
        l.register_volunteer(
            "admin", id=f"V{i}", name=f"志愿者{i}", identity_kind="passport",
            identity_number=number, home_org="C1",
        )
    return l


def plain(df: Any) -> list[dict[str, Any]]:
    """A frame's rows as dicts, pandas' missing values (NaN, NaT) as None."""
    rows: list[dict[str, Any]] = df.astype(object).where(df.notna(), None).to_dict("records")
    return rows


def outcome(x: Union[vl.RecordReceipt, vl.LedgerError]) -> Any:
    return x.to_dict() if isinstance(x, vl.RecordReceipt) else (type(x).__name__, x.code)


def _row(rid: str, volunteer: str, half_hours: int, minutes: int, content: str) -> dict[str, Any]:
    start = datetime(2015, 5, 25, 8) + timedelta(minutes=30 * half_hours)
    return {
        "id": rid,
        "volunteer": volunteer,
        "org": "C1",
        "start": start,
        "end": start + timedelta(minutes=minutes),
        "minutes": minutes,
        "content": content,
    }


# Records of a few volunteers around June 2015 (naive: +08:00), some overlapping, some
# repeated, some refused (an empty id, an unknown volunteer, in the future).
rows = st.lists(
    st.builds(
        _row,
        st.sampled_from(["R1", "R2", "R3", "R4", "R5", "R6", ""]),
        st.sampled_from(["V1", "V2", "V3", "V9"]),
        st.integers(0, 40 * 24 * 2),
        st.integers(1, 600),
        st.sampled_from(["", "助老", "巡逻"]),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_bulk_add_equals_one_by_one(records: list[dict[str, Any]]) -> None:
    one = small()
    singly = []
    for r in records:
        try:
            singly.append(outcome(one.add_record("admin", **r)))
        except vl.LedgerError as e:
            singly.append(outcome(e))
    from_list = small()
    from_frame = small()
    assert [outcome(x) for x in from_list.add_records("admin", records)] == singly
    frame = pd.DataFrame(records, columns=["id", "volunteer", "org", "start", "end", "minutes", "content"])
    assert [outcome(x) for x in from_frame.add_records("admin", frame)] == singly
    assert from_list.state_digest() == one.state_digest() == from_frame.state_digest()
    # A generator is an iterable too.
    from_gen = small()
    assert [outcome(x) for x in from_gen.add_records("admin", (r for r in records))] == singly


@settings(max_examples=25, deadline=None)
@given(rows)
def test_records_to_pandas_round_trip(records: list[dict[str, Any]]) -> None:
    l = small()
    l.add_records("admin", records)
    held = [r for v in ("V1", "V2", "V3") for r in l.records_of(v)]
    df = vl.to_pandas(held)
    assert len(df) == len(held)
    if held:
        assert list(df.columns) == list(held[0].to_dict())
        assert plain(df) == [r.to_dict() for r in held]
    # The record columns of that frame add the same records to another ledger.
    again = small()
    if held:
        got = again.add_records("admin", df[RECORD_COLUMNS])
        assert all(isinstance(x, vl.RecordReceipt) for x in got)
    # Equal but for the log entry that added each (the frame is in volunteer order).
    def content(r: vl.ServiceRecord) -> dict[str, Any]:
        return {k: v for k, v in r.to_dict().items() if k != "entry_seq"}

    assert [content(again.record(r.id)) for r in held] == [content(r) for r in held]


@settings(max_examples=20, deadline=None)
@given(rows)
def test_leaderboard_to_pandas_round_trip(records: list[dict[str, Any]]) -> None:
    l = small()
    l.add_records("admin", records)
    board = l.leaderboard("2015-06")
    df = board.to_pandas()
    assert list(df.columns) == ["rank", "id", "name", "minutes"]
    assert plain(df) == [e.to_dict() for e in board.entries]


def test_a_frame_reads_naive_datetimes_in_the_ledgers_offset() -> None:
    l = small()
    naive = datetime(2015, 6, 2, 9)
    frame = pd.DataFrame(
        {
            "id": ["N1", "A1"],
            "volunteer": ["V1", "V2"],
            "org": ["C1", "C1"],
            "start": [naive, naive],
            "end": [naive + timedelta(hours=1), naive + timedelta(hours=1)],
            "minutes": [60, 60],
        }
    )
    aware = frame.copy()
    aware["start"] = aware["start"].dt.tz_localize("Asia/Shanghai")
    aware["end"] = aware["end"].dt.tz_localize("Asia/Shanghai")
    aware["id"] = ["N2", "A2"]
    aware["volunteer"] = ["V3", "V3"]
    got = l.add_records("admin", frame) + l.add_records("admin", aware.iloc[:1])
    assert all(isinstance(x, vl.RecordReceipt) for x in got), got
    want = datetime(2015, 6, 2, 9, tzinfo=CST)
    assert l.record("N1").start == want == l.record("N2").start


def test_a_frame_that_is_not_records_raises_type_error() -> None:
    l = small()
    good = {"id": ["R1"], "volunteer": ["V1"], "org": ["C1"], "start": [datetime(2015, 6, 2, 9)],
            "end": [datetime(2015, 6, 2, 10)], "minutes": [60]}
    before = len(l)
    for bad in (
        {**good, "volunter": ["V1"]},
        {k: v for k, v in good.items() if k != "org"},
        {**good, "start": ["2015-06-02 09:00"]},
    ):
        with pytest.raises(TypeError):
            l.add_records("admin", pd.DataFrame(bad))
    assert len(l) == before


def test_reports_to_pandas() -> None:
    l = small()
    l.register_org("admin", id="U1", name="单位", kind="work_unit", parent="D")
    l.report_in("admin", volunteer="V1", community="C1", work_unit="U1", date=datetime(2015, 3, 1))
    report = l.unit_report("U1", "2015")
    assert report.to_pandas()["volunteer"].tolist() == ["V1"]
    sheet = vl.read_sheet(
        "志愿者编号,服务日期,开始时间,结束时间,服务时长(小时),组织编号\nV1,2015-06-02,9:00,10:00,1,C1\n"
        "V2,2015-06-31,9:00,10:00,1,C1\n".encode()
    )
    df = sheet.to_pandas()
    assert df.index.name == "row" and df.index.tolist() == [2]
    assert all(isinstance(x, vl.RecordReceipt) for x in l.add_records("admin", df))
    header = "志愿者编号,服务日期,开始时间,结束时间,服务时长(小时),组织编号\n"
    upload = l.upload("admin", (header + "V1,2015-06-31,9:00,10:00,1,C1\n").encode())
    assert upload.to_pandas()["code"].tolist() == [p.code for p in upload.rejected]
    assert upload.to_pandas()["row"].tolist() == [2]
    empty = l.upload("admin", header.encode())
    assert list(empty.to_pandas().columns) == ["row", "column", "code", "message_en", "message_zh"]
