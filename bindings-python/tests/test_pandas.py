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
from volunteer_ledger import _frames

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


def test_every_form_of_column_adds_what_the_dicts_add() -> None:
    """A frame's columns cross as packed bytes where they can (texts joined, with the rows
    missing an optional value; int64 seconds; flags) and as lists where they cannot (a NUL in
    a text, unsigned 64-bit or object columns, datetimes as objects); absent columns as their
    default. Each form adds exactly what the same records add as dicts, refusals in place."""
    def ledger() -> vl.Ledger:
        l = small()
        l.create_team("admin", id="T1", org="C1", name="一队", leader="V1", members=["V2"])
        return l

    n = 8
    base = datetime(2015, 6, 1, 8)
    # Fractions of a second, dropped towards the past on both paths.
    starts = [base + timedelta(days=i, microseconds=999_999 * (i % 2)) for i in range(n)]
    rows: list[dict[str, Any]] = [
        {
            "id": " F3" if i == 3 else f"F{i}",  # a malformed id: refused in its place
            "volunteer": ["V1", "V2", "V3"][i % 3],
            "org": "C1",
            "start": starts[i],
            "end": starts[i] + timedelta(minutes=60),
            "minutes": 60,
            "content": ["", "a\0b", "助老", "巡逻"][i % 4],  # a NUL: that column as a list
            "team": ["T1", None, "T9", None][i % 4],  # some missing, one unknown
            "activity": None,
            "source": ["entry", "import", "check_in", "entry"][i % 4],
            "paid": i == 5,
            "job_duty": i == 6,
        }
        for i in range(n)
    ]
    want = ledger()
    expected = [outcome(x) for x in want.add_records("admin", rows)]
    assert ("InputError", "E_FIELD") in expected
    assert any(isinstance(x, dict) for x in expected)

    frame = pd.DataFrame(rows)
    frame["start"] = frame["start"].astype("datetime64[ns]")
    frame["end"] = frame["end"].astype("datetime64[ns]")
    frame["minutes"] = frame["minutes"].astype("int32")
    frame["paid"] = frame["paid"].astype(bool)
    frame["job_duty"] = frame["job_duty"].astype(int).astype(object)  # read by Python truth
    aware = frame.assign(
        start=frame["start"].dt.tz_localize(CST), end=frame["end"].dt.tz_localize(CST)
    )
    as_objects = frame.assign(
        start=pd.Series(starts, dtype=object), end=pd.Series([s + timedelta(minutes=60) for s in starts], dtype=object)
    )
    forms = {
        "packed": frame,
        "no NUL": frame.assign(content=frame["content"].str.replace("\0", "")),
        "aware": aware,
        "objects": as_objects,
        "unsigned": frame.assign(minutes=frame["minutes"].astype("uint64")),
        "defaults": frame.drop(columns=["content", "team", "activity", "source", "paid", "job_duty"]),
    }
    # The forms cover each way across (the packing is internal, but this keeps the test honest).
    kinds = {k: type(v).__name__ for k, v in _frames.record_columns(frame, 480).items()}
    assert kinds == {
        "n": "int", "id": "bytes", "volunteer": "bytes", "org": "bytes", "start": "bytes",
        "end": "bytes", "minutes": "bytes", "content": "list", "team": "bytes",
        "team_missing": "bytes", "activity": "NoneType", "source": "bytes", "paid": "bytes",
        "job_duty": "list", "public_benefit": "bool",
    }
    assert type(_frames.record_columns(as_objects, 480)["start"]) is list
    assert type(_frames.record_columns(forms["unsigned"], 480)["minutes"]) is list
    for name, df in forms.items():
        l = ledger()
        got = [outcome(x) for x in l.add_records("admin", df)]
        if name == "no NUL":
            dicts = [{**r, "content": r["content"].replace("\0", "")} for r in rows]
        elif name == "defaults":
            dicts = [{k: r[k] for k in ("id", "volunteer", "org", "start", "end", "minutes")} for r in rows]
        else:
            dicts = rows
        one = ledger()
        assert got == [outcome(x) for x in one.add_records("admin", dicts)], name
        assert l.state_digest() == one.state_digest(), name
        if name in ("packed", "aware", "objects", "unsigned"):
            assert got == expected, name


def test_bulk_results_to_pandas() -> None:
    l = small()
    day = datetime(2015, 6, 2, 9)
    records = [
        {"id": rid, "volunteer": v, "org": "C1", "start": day, "end": day + timedelta(hours=1), "minutes": 60}
        for rid, v in [("P1", "V1"), ("P2", "V9"), ("P1", "V1"), ("", "V2")]
    ]
    got = l.add_records("admin", records)
    df = got.to_pandas()
    assert list(df.columns) == ["record", "state", "make_up", "seq", "duplicate", "code", "message"]
    assert df.index.tolist() == [0, 1, 2, 3]
    assert [None if pd.isna(c) else c for c in df["code"]] == [None, "E_UNKNOWN_VOLUNTEER", None, "E_FIELD"] == [
        None if isinstance(x, vl.RecordReceipt) else x.code for x in got
    ]
    for i, x in enumerate(got):
        row = df.iloc[i]
        if isinstance(x, vl.RecordReceipt):
            assert {k: row[k] for k in x.to_dict()} == x.to_dict() and pd.isna(row["message"])
        else:
            assert row["message"] == str(x) and row[["record", "state", "seq"]].isna().all()
    assert got.to_pandas().equals(df)
    empty = l.add_records("admin", []).to_pandas()
    assert list(empty.columns) == list(df.columns) and len(empty) == 0


def test_a_frame_that_is_not_records_raises_type_error() -> None:
    l = small()
    good = {"id": ["R1"], "volunteer": ["V1"], "org": ["C1"], "start": [datetime(2015, 6, 2, 9)],
            "end": [datetime(2015, 6, 2, 10)], "minutes": [60]}
    before = len(l)
    for bad in (
        {**good, "volunter": ["V1"]},
        {k: v for k, v in good.items() if k != "org"},
        {**good, "start": ["2015-06-02 09:00"]},
        {**good, "volunteer": [None]},
        {**good, "content": [float("nan")]},
        {**good, "start": [pd.NaT]},
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


def test_streamable_frames() -> None:
    """Only frames that cannot raise once an add has begun are prepared chunk by chunk."""
    start = pd.Series(pd.to_datetime(["2015-06-01 09:00"]))
    base = {
        "id": pd.Series(["R1"], dtype="string"),
        "volunteer": pd.Series(["V1"], dtype="string"),
        "org": pd.Series(["C1"], dtype="string"),
        "start": start,
        "end": start + pd.Timedelta(hours=1),
        "minutes": pd.Series([60], dtype="int64"),
    }
    assert _frames.streamable(pd.DataFrame(base))
    assert _frames.streamable(pd.DataFrame({**base, "team": pd.Series([None], dtype="string")}))
    for change in (
        {"id": pd.Series(["R1"], dtype=object)},  # texts as objects may hold anything
        {"volunteer": pd.Series([None], dtype="string")},  # a missing required text
        {"start": pd.Series([pd.NaT], dtype="datetime64[ns]")},
        {"minutes": pd.Series([60.0])},
        {"paid": pd.Series([0])},
        {"colour": pd.Series(["red"], dtype="string")},
    ):
        assert not _frames.streamable(pd.DataFrame({**base, **change}))
    assert not _frames.streamable(pd.DataFrame({k: v for k, v in base.items() if k != "org"}))


def test_a_frame_added_in_chunks_answers_as_one_prepared_whole() -> None:
    """More rows than one chunk (65,536), with refusals in several chunks: the same answers
    and the same ledger as the same frame prepared whole (object columns are never streamed)."""
    n, people = 70_000, 150
    k = pd.Series(range(n))
    j = k // people  # each volunteer's j-th record: three a day, two hours apart
    start = pd.Timestamp("2015-01-01 08:00") + pd.to_timedelta(j // 3, unit="D") + pd.to_timedelta((j % 3) * 2, unit="h")
    frame = pd.DataFrame({
        "id": ("R" + k.astype(str)).astype("string"),
        "volunteer": ("P" + (k % people).astype(str)).astype("string"),
        "org": pd.Series(["C1"] * n, dtype="string"),
        "start": start,
        "end": start + pd.Timedelta(hours=1),
        "minutes": pd.Series([60] * n, dtype="int64"),
        # rows 5, 40,000 and 69,999: an unknown source (refused by the binding); 66,000 a
        # bad id; 30,000 an unknown org (refused by the core)
        "source": pd.Series(["entry"] * n, dtype="string"),
    })
    frame.loc[[5, 40_000, 69_999], "source"] = "fax"
    frame.loc[66_000, "id"] = " bad id"
    frame.loc[30_000, "org"] = "C9"
    frame = frame.astype({"source": "string", "id": "string", "org": "string"})
    assert _frames.streamable(frame)
    whole = frame.astype({"content": object} if "content" in frame else {"org": object})
    assert not _frames.streamable(whole)
    a, b = small(), small()
    for l in (a, b):
        for v in range(people):
            l.register_volunteer("admin", id=f"P{v}", name="志愿者", identity_kind="passport",
                                 identity_number=f"P{v:08d}", home_org="C1")
    ra = a.add_records("admin", frame)
    rb = b.add_records("admin", whole)
    assert len(ra) == len(rb) == n
    assert (ra.added, ra.duplicates, ra.refused) == (rb.added, rb.duplicates, rb.refused)
    assert ra.refused == 5
    assert [(i, e.code) for i, e in ra.refusals()] == [(i, e.code) for i, e in rb.refusals()]
    assert [outcome(ra[i]) for i in (0, 5, 30_000, 65_535, 65_536, 66_000, n - 1)] == [
        outcome(rb[i]) for i in (0, 5, 30_000, 65_535, 65_536, 66_000, n - 1)
    ]
    assert a.state_digest() == b.state_digest()
