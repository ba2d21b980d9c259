"""polars DataFrames and pyarrow Tables in and out, beside pandas: add_records and
register_volunteers take all three; results give to_pandas(), to_polars() and to_arrow(), each
typed the same with rows or without; a missing library raises ImportError naming its extra."""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import volunteer_ledger as vl

from test_pandas import small

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

CST = timezone(timedelta(hours=8))
DAY = datetime(2015, 6, 2, 9)


def records(n: int = 3) -> dict[str, list[Any]]:
    return {
        "id": [f"R{i}" for i in range(n)],
        "volunteer": [f"V{i % 3 + 1}" for i in range(n)],
        "org": ["C1"] * n,
        "start": [DAY + timedelta(days=i) for i in range(n)],
        "end": [DAY + timedelta(days=i, hours=1) for i in range(n)],
        "minutes": [60] * n,
        "team": [None] * n,
    }


def added(l: vl.Ledger) -> list[dict[str, Any]]:
    return [r.to_dict() for v in ("V1", "V2", "V3") for r in l.records_of(v)]


def test_polars_and_arrow_frames_add_the_records_pandas_adds() -> None:
    data = records()
    want = small()
    assert all(isinstance(x, vl.RecordReceipt) for x in want.add_records("admin", pd.DataFrame(data)))
    for frame in (pl.DataFrame(data), pa.table(data), pa.Table.from_pydict(data).to_batches()[0]):
        l = small()
        got = l.add_records("admin", frame)
        assert [type(x) for x in got] == [vl.RecordReceipt] * 3, type(frame)
        assert added(l) == added(want), type(frame)
    # Aware times in any zone are the instants they name.
    aware = {**data, "start": [d.replace(tzinfo=CST) for d in data["start"]],
             "end": [d.replace(tzinfo=CST) for d in data["end"]]}
    l = small()
    l.add_records("admin", pl.DataFrame(aware).with_columns(pl.col("start", "end").dt.convert_time_zone("UTC")))
    assert added(l) == added(want)


def test_a_polars_frame_that_is_not_records_raises_type_error_and_adds_nothing() -> None:
    l = small()
    before = l.state_digest()
    with pytest.raises(TypeError):
        l.add_records("admin", pl.DataFrame({**records(), "colour": ["red"] * 3}))
    with pytest.raises(TypeError):
        l.add_records("admin", pa.table({k: v for k, v in records().items() if k != "org"}))
    assert l.state_digest() == before


def test_register_volunteers_takes_polars_and_arrow() -> None:
    people = {
        "id": ["W1", "W2"],
        "name": ["甲", "乙"],
        "identity_kind": ["passport", "passport"],
        "identity_number": ["E20000001", "E20000002"],
        "home_org": ["C1", None],
    }
    for frame in (pl.DataFrame(people), pa.table(people)):
        l = small()
        got = l.register_volunteers("admin", frame)
        assert [type(x) for x in got] == [vl.Receipt, vl.Receipt], type(frame)
        assert l.volunteer("W2").home_org is None
    with pytest.raises(TypeError, match="identity_number"):
        small().register_volunteers("admin", pl.DataFrame({k: v for k, v in people.items() if k != "identity_number"}))


def results_of_each_kind() -> list[tuple[str, Any, Any]]:
    """(name, a result with rows, the same kind of result without) for each to_pandas."""
    l = small()
    got = l.add_records("admin", [{**{k: v[0] for k, v in records().items()}}, {"id": "", "volunteer": "V1", "org": "C1", "start": DAY, "end": DAY, "minutes": 1}])
    header = "志愿者编号,服务日期,开始时间,结束时间,服务时长(小时),组织编号\n"
    sheet = vl.read_sheet((header + "V1,2015-06-03,9:00,10:00,1,C1\n").encode())
    upload = l.upload("admin", (header + "V1,2015-06-31,9:00,10:00,1,C1\n").encode())
    l.register_org("admin", id="U1", name="单位", kind="work_unit", parent="D")
    l.report_in("admin", volunteer="V1", community="C1", work_unit="U1", date=datetime(2015, 3, 1))
    l.register_org("admin", id="U2", name="单位二", kind="work_unit", parent="D")
    people = "姓名,证件类型,证件号码,所属组织\n丙,驾驶证,E1,C1\n"
    return [
        ("RecordResults", got, l.add_records("admin", [])),
        ("Leaderboard", l.leaderboard("2015-06"), l.leaderboard("2014-06")),
        ("Sheet", sheet, vl.read_sheet(header.encode())),
        ("ImportReport", upload, l.upload("admin", header.encode())),
        ("RegisterReport", l.upload_volunteers("admin", people.encode(), dry_run=True),
         l.upload_volunteers("admin", b"\xe5\xa7\x93\xe5\x90\x8d,\xe8\xaf\x81\xe4\xbb\xb6\xe7\xb1\xbb\xe5\x9e\x8b,\xe8\xaf\x81\xe4\xbb\xb6\xe5\x8f\xb7\xe7\xa0\x81\n", dry_run=True)),
        ("UnitReport", l.unit_report("U1", "2015"), l.unit_report("U2", "2015")),
    ]


def test_every_result_frame_is_typed_the_same_with_rows_or_without() -> None:
    for name, full, empty in results_of_each_kind():
        a, b = full.to_pandas(), empty.to_pandas()
        assert len(a) > 0 and len(b) == 0, name
        assert list(a.columns) == list(b.columns) and a.dtypes.to_dict() == b.dtypes.to_dict(), name
        assert a.index.name == b.index.name, name
        assert all(d != object for d in a.dtypes), (name, a.dtypes)
        p, q = full.to_polars(), empty.to_polars()
        assert isinstance(p, pl.DataFrame) and p.schema == q.schema and len(p) > 0 == len(q), name
        t, u = full.to_arrow(), empty.to_arrow()
        assert isinstance(t, pa.Table) and t.schema == u.schema and t.num_rows > 0 == u.num_rows, name
        # The three hold the same values.
        plain = a.reset_index() if a.index.name else a
        assert [str(c) for c in p.columns] == [str(c) for c in plain.columns] == t.column_names, name
        assert p["code" if "code" in p.columns else p.columns[0]].to_list() == t.column(0 if "code" not in p.columns else "code").to_pylist(), name


def test_bulk_results_in_polars_and_arrow_keep_the_refusals_in_place() -> None:
    l = small()
    got = l.add_records("admin", [
        {"id": "P1", "volunteer": "V1", "org": "C1", "start": DAY, "end": DAY + timedelta(hours=1), "minutes": 60},
        {"id": "P2", "volunteer": "V9", "org": "C1", "start": DAY, "end": DAY + timedelta(hours=1), "minutes": 60},
    ])
    p = got.to_polars()
    assert p["code"].to_list() == [None, "E_UNKNOWN_VOLUNTEER"]
    assert p["seq"].dtype == pl.Int64 and p["make_up"].dtype == pl.Boolean
    t = got.to_arrow()
    assert t.column("record").to_pylist() == ["P1", None]
    assert t.schema.field("duplicate").type == pa.bool_()
    df = got.to_pandas()
    assert str(df["seq"].dtype) == "Int64" and df["record"].isna().tolist() == [False, True]


def test_sheet_times_keep_the_sheets_offset_in_pandas_and_arrow() -> None:
    header = "志愿者编号,服务日期,开始时间,结束时间,服务时长(小时),组织编号\n"
    sheet = vl.read_sheet((header + "V1,2015-06-03,9:00,10:00,1,C1\n").encode())
    assert sheet.utc_offset_minutes == 480
    start = sheet.to_pandas()["start"].iloc[0]
    assert start.to_pydatetime() == datetime(2015, 6, 3, 9, tzinfo=CST) and start.utcoffset() == timedelta(hours=8)
    assert sheet.to_arrow().column("start").type == pa.timestamp("s", tz="+08:00")
    assert sheet.to_polars()["start"].to_list()[0] == datetime(2015, 6, 3, 1, tzinfo=timezone.utc)
    # What the frame gives back adds the record the sheet reads.
    l = small()
    assert [type(x) for x in l.add_records("admin", sheet.to_polars().drop("row"))] == [vl.RecordReceipt]


def test_module_functions_give_any_list_of_results_as_each_library() -> None:
    l = small()
    l.add_records("admin", pd.DataFrame(records()))
    held = l.records_of("V1")
    assert vl.to_polars(held)["id"].to_list() == vl.to_arrow(held).column("id").to_pylist() == ["R0"]


def test_a_missing_library_raises_import_error_naming_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def without(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.partition(".")[0] in ("polars", "pyarrow"):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args, **kwargs)

    import importlib
    import sys

    for gone in [m for m in sys.modules if m.partition(".")[0] in ("polars", "pyarrow")]:
        monkeypatch.delitem(sys.modules, gone)
    monkeypatch.setattr(builtins, "__import__", without)
    real_import_module = importlib.import_module

    def import_module(name: str, package: str | None = None) -> Any:
        if name.partition(".")[0] in ("polars", "pyarrow"):
            raise ImportError(f"No module named {name!r}")
        return real_import_module(name, package)

    monkeypatch.setattr(importlib, "import_module", import_module)
    board = small().leaderboard("2015-06")
    with pytest.raises(ImportError, match=r"pip install 'volunteer-ledger\[polars\]'"):
        board.to_polars()
    with pytest.raises(ImportError, match=r"pip install 'volunteer-ledger\[arrow\]'"):
        board.to_arrow()
    with pytest.raises(ImportError, match=r"volunteer-ledger\[arrow\]"):
        vl.to_arrow([])
