"""The Python face of the ledger: the smoke path, exceptions, datetimes, result objects."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))
NOW = datetime(2015, 6, 20, 12, 0, tzinfo=CST)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A June 2015 instant in +08:00."""
    return datetime(2015, 6, day, hour, minute, tzinfo=CST)


@pytest.fixture
def ledger() -> vl.Ledger:
    """A small district: D > S1 > C1, a recorder of C1, two volunteers."""
    l = vl.Ledger.in_memory("xuetian", "学田区", "admin")
    l.set_clock(NOW)
    l.register_org("admin", id="D", name="学田区", kind="district")
    l.register_org("admin", id="S1", name="学田街道", kind="street", parent="D")
    l.register_org("admin", id="C1", name="学田社区", kind="community", parent="S1")
    l.grant_role("admin", "oa-S1", "org_admin", "S1")
    l.grant_role("oa-S1", "rec-C1", "recorder", "C1")
    l.register_volunteer(
        "rec-C1",
        id="V1",
        name="张三",
        identity_kind="resident_id",
        identity_number="11010519491231002X",
        home_org="C1",
    )
    l.register_volunteer(
        "rec-C1",
        id="V2",
        name="李四",
        identity_kind="resident_id",
        identity_number="44030419900307123X",
        home_org="C1",
    )
    return l


def add(l: vl.Ledger, rid: str, volunteer: str, start: datetime, minutes: int, **kw: Any) -> vl.RecordReceipt:
    return l.add_record(
        kw.pop("actor", "rec-C1"),
        id=rid,
        volunteer=volunteer,
        org=kw.pop("org", "C1"),
        start=start,
        end=start + timedelta(minutes=minutes),
        minutes=minutes,
        content="社区服务",
        **kw,
    )


# ---- the smoke path -----------------------------------------------------------------------


def test_smoke_path(ledger: vl.Ledger) -> None:
    r = add(ledger, "R1", "V1", at(15, 9), 120)
    assert (r.record, r.state, r.make_up, r.duplicate) == ("R1", "confirmed", False, False)
    again = add(ledger, "R1", "V1", at(15, 9), 120)
    assert again.duplicate and again.seq == r.seq

    # A volunteer's own report waits for the organiser, who confirms it.
    own = add(ledger, "R2", "V2", at(16, 9), 180, actor="V2")
    assert own.state == "pending"
    assert not ledger.record("R2").counted
    ledger.confirm_record("rec-C1", "R2")
    rec = ledger.record("R2")
    assert (rec.state, rec.counted, rec.confirmed_by, rec.recorded_by) == (
        "confirmed",
        True,
        "rec-C1",
        "V2",
    )

    board = ledger.leaderboard("2015-06")
    assert (board.period, board.scope, board.kind, board.ranked) == ("2015-06", "all", "volunteers", 2)
    assert [(e.rank, e.id, e.name, e.minutes) for e in board.entries] == [
        (1, "V2", "李*", 180),
        (2, "V1", "张*", 120),
    ]
    assert ledger.leaderboard("2015-06", "org:S1", "orgs").entries[0].to_dict() == {
        "rank": 1,
        "id": "C1",
        "name": "学田社区",
        "minutes": 300,
    }

    stars = ledger.star_summary("V2")
    assert (stars.total_minutes, stars.level, stars.next_level, stars.minutes_to_next) == (
        180,
        0,
        1,
        100 * 60 - 180,
    )
    standing = ledger.standing("V1", "2015-W25")
    assert (standing.minutes, standing.rank, standing.ranked) == (120, 2, 2)

    view = ledger.volunteer("V1")
    assert (view.masked_name, view.masked_identity, view.total_minutes) == ("张*", "110105********002X", 120)
    assert view.visibility == "public" and view.pseudonym is None

    report = ledger.verify()
    assert report.entries == len(ledger)
    assert ledger.head() == (len(ledger) - 1, report.head_hash)
    assert ledger.record_count() == 2
    assert [r.id for r in ledger.records_of("V2")] == ["R2"]


def test_stars_are_reached_on_the_day_of_service(ledger: vl.Ledger) -> None:
    ledger.set_clock(datetime(2016, 1, 1, tzinfo=CST))
    # 100 hours for one star: twenty 5-hour days in October 2015 (below the policy's
    # four-eyes threshold, so each is confirmed as it is entered).
    for day in range(1, 21):
        ledger.add_record(
            "admin",
            id=f"S{day}",
            volunteer="V1",
            org="C1",
            start=datetime(2015, 10, day, 8, tzinfo=CST),
            end=datetime(2015, 10, day, 13, tzinfo=CST),
            minutes=300,
        )
    s = ledger.star_summary("V1")
    assert s.level == 1
    assert [x.to_dict() for x in s.reached] == [{"level": 1, "date": date(2015, 10, 20)}]
    assert s.to_dict()["reached"] == [{"level": 1, "date": date(2015, 10, 20)}]


def test_amend_dispute_and_visibility(ledger: vl.Ledger) -> None:
    add(ledger, "R1", "V1", at(15, 9), 120)
    r = ledger.amend_record(
        "rec-C1",
        "R1",
        "实际服务1小时",
        id="R1b",
        volunteer="V1",
        org="C1",
        start=at(15, 9),
        end=at(15, 10),
        minutes=60,
    )
    assert (r.record, r.state) == ("R1b", "confirmed")
    old, new = ledger.record("R1"), ledger.record("R1b")
    assert (old.state, old.counted, old.superseded_by) == ("amended", False, "R1b")
    assert (new.amends, new.minutes) == ("R1", 60)

    ledger.dispute_record("V1", "R1b", "时长有误")
    assert ledger.record("R1b").state == "disputed"
    ledger.resolve_dispute("oa-S1", "R1b", "维持")
    assert ledger.record("R1b").state == "confirmed"

    ledger.set_visibility("V1", "V1", "pseudonym", "小蜜蜂")
    entry = ledger.leaderboard("2015-06").entries[0]
    assert (entry.id, entry.name, entry.minutes) == (None, "小蜜蜂", 60)
    assert ledger.volunteer("V1").pseudonym == "小蜜蜂"
    ledger.set_visibility("V1", "V1", "hidden")
    assert ledger.leaderboard("2015-06").ranked == 0
    assert ledger.standing("V1", "2015-06").minutes == 60

    ledger.revoke_record("rec-C1", "R1b", "活动取消")
    assert ledger.record("R1b").reason == "活动取消"
    assert ledger.volunteer("V1").total_minutes == 0


def test_leaderboard_as_of_shows_a_published_board_again(ledger: vl.Ledger) -> None:
    add(ledger, "R1", "V1", at(15, 9), 120)
    published = ledger.leaderboard("2015-06")
    add(ledger, "R2", "V2", at(16, 9), 180)
    assert ledger.leaderboard("2015-06") != published
    again = ledger.leaderboard_as_of(published.as_of_seq, "2015-06")
    assert again == published
    with pytest.raises(vl.NotFoundError) as info:
        ledger.leaderboard_as_of(10_000, "2015-06")
    assert info.value.code == "E_UNKNOWN_ENTRY"


def test_add_records_in_bulk(ledger: vl.Ledger) -> None:
    def row(rid: str, start: datetime, minutes: int, **kw: Any) -> dict[str, Any]:
        return {"id": rid, "volunteer": "V1", "org": "C1", "start": start,
                "end": start + timedelta(minutes=minutes), "minutes": minutes, **kw}

    rows = [
        row("B1", at(15, 9), 60, content="助老"),
        row("B2", at(15, 9, 30), 60),  # overlaps B1
        row("B3", at(16, 9), 60, source="import", team=None),
        row("B1", at(15, 9), 60, content="助老"),  # the same row again
        row("", at(17, 9), 60),  # a malformed id
    ]
    before = len(ledger)
    got = ledger.add_records("rec-C1", rows)
    assert [type(x) for x in got] == [vl.RecordReceipt, vl.ValidationError, vl.RecordReceipt, vl.RecordReceipt, vl.InputError]
    assert isinstance(got[1], vl.LedgerError) and got[1].code == "E_OVERLAP"
    assert isinstance(got[4], vl.LedgerError) and got[4].code == "E_FIELD"
    assert isinstance(got[3], vl.RecordReceipt) and got[3].duplicate
    assert len(ledger) == before + 2
    assert ledger.record("B3").source == "import"

    not_a_datetime = {**row("B9", at(18, 9), 60), "start": "2015-06-18T09:00:00+08:00"}
    for bad in ({**row("B9", at(18, 9), 60), "volunter": "V1"}, {"id": "B9"}, not_a_datetime):
        with pytest.raises(TypeError):
            ledger.add_records("rec-C1", [row("B8", at(18, 9), 60), bad])
    assert len(ledger) == before + 2, "a malformed batch adds nothing"


def test_add_records_results_are_a_lazy_sequence(ledger: vl.Ledger) -> None:
    def row(rid: str, start: datetime) -> dict[str, Any]:
        return {"id": rid, "volunteer": "V1", "org": "C1", "start": start,
                "end": start + timedelta(minutes=60), "minutes": 60}

    rows = [row("B1", at(15, 9)), row("B2", at(15, 9, 30)), row("B3", at(16, 9)), row("B1", at(15, 9)), row("", at(17, 9))]
    got = ledger.add_records("rec-C1", rows)
    assert isinstance(got, vl.RecordResults) and isinstance(got, Sequence)
    assert repr(got) == "RecordResults(len=5, added=2, duplicates=1, refused=2)"
    assert (len(got), got.added, got.duplicates, got.refused) == (5, 2, 1, 2)
    assert [(i, e.code) for i, e in got.refusals()] == [(1, "E_OVERLAP"), (4, "E_FIELD")]
    # Indexing from either end, slices and reversal agree with the list of the results.
    items = list(got)
    assert len(items) == 5 and [x for x in got] == items
    assert [got[i] for i in range(-5, 0)] == items == [got[i] for i in range(5)]
    assert got[1:4] == items[1:4] and got[::-2] == items[::-2] and got[7:] == []
    assert list(reversed(got)) == items[::-1]
    for bad in (5, -6):
        with pytest.raises(IndexError):
            got[bad]
    # A receipt is made afresh but equal each time; a refusal is the same exception object.
    assert got[0] == got[0] and got[0] is not got[0]
    assert got[1] is got[1] is got.refusals()[0][1]
    assert got[0] in got and got[4] in got and got.index(got[4]) == 4
    assert got.index(got[2], 1, -1) == 2 and got.count(got[0]) == 1
    with pytest.raises(ValueError):
        got.index(got[0], 1)
    # Adding to a list gives a list, as when the results were one.
    assert got + [] == items == [] + got and got + got == items + items
    empty = ledger.add_records("rec-C1", [])
    assert len(empty) == 0 and list(empty) == [] and empty.refusals() == []
    assert repr(empty) == "RecordResults(len=0, added=0, duplicates=0, refused=0)"


# ---- exceptions ---------------------------------------------------------------------------


def test_exception_hierarchy() -> None:
    families = [
        vl.InputError,
        vl.ValidationError,
        vl.AuthorizationError,
        vl.NotFoundError,
        vl.ConflictError,
        vl.StateError,
        vl.IntegrityError,
        vl.PolicyError,
        vl.StorageError,
    ]
    assert issubclass(vl.LedgerError, Exception)
    for cls in families:
        assert issubclass(cls, vl.LedgerError)
        assert cls.__module__ == "volunteer_ledger"
        assert cls.__doc__
    assert len(set(families)) == 9
    assert len(vl.ERROR_CODES) == len(set(vl.ERROR_CODES)) >= 30


@pytest.mark.parametrize(
    ("call", "cls", "code", "family"),
    [
        (lambda l: vl.validate_identity("resident_id", "110105194912310021"), vl.InputError, "E_IDENTITY_CHECKSUM", "input"),
        (lambda l: l.leaderboard("2015-13"), vl.InputError, "E_PERIOD", "input"),
        (lambda l: l.leaderboard("2015", "planet:X"), vl.InputError, "E_FIELD", "input"),
        (lambda l: l.leaderboard("2015", "all", "planets"), vl.InputError, "E_FIELD", "input"),
        (lambda l: l.register_org("admin", id="X", name="x", kind="planet"), vl.InputError, "E_FIELD", "input"),
        (lambda l: l.grant_role("admin", "x", "king"), vl.InputError, "E_FIELD", "input"),
        (lambda l: l.grant_role("admin", "x", "recorder"), vl.InputError, "E_FIELD", "input"),
        (lambda l: l.set_visibility("V1", "V1", "pseudonym"), vl.InputError, "E_FIELD", "input"),
        (lambda l: l.volunteer(""), vl.InputError, "E_FIELD", "input"),
        (lambda l: add(l, "R9", "V1", at(15, 9), 60, source="carrier_pigeon"), vl.InputError, "E_FIELD", "input"),
        (lambda l: add(l, "R9", "V1", at(15, 9), 60, paid=True), vl.ValidationError, "E_PAID_SERVICE", "validation"),
        (lambda l: add(l, "R9", "V1", at(21, 9), 60), vl.ValidationError, "E_FUTURE", "validation"),
        (lambda l: add(l, "R9", "V1", at(15, 9), 60, actor="V2"), vl.AuthorizationError, "E_FORBIDDEN", "authorization"),
        (lambda l: l.volunteer("V404"), vl.NotFoundError, "E_UNKNOWN_VOLUNTEER", "not_found"),
        (lambda l: l.record("R404"), vl.NotFoundError, "E_UNKNOWN_RECORD", "not_found"),
        (lambda l: l.register_org("admin", id="C1", name="again", kind="community", parent="S1"), vl.ConflictError, "E_DUPLICATE", "conflict"),
        (lambda l: vl.Ledger.in_memory("x", "x", "admin", policy="nowhere"), vl.PolicyError, "E_POLICY", "policy"),
        (lambda l: vl.stars_for_minutes("nowhere", 1), vl.PolicyError, "E_POLICY", "policy"),
        (lambda l: vl.Ledger.in_memory("x", "x", "admin", utc_offset_minutes=15 * 60), vl.InputError, "E_FIELD", "input"),
        (lambda l: vl.Certificate.from_json("not a certificate"), vl.IntegrityError, "E_CERTIFICATE_FORMAT", "integrity"),
        (lambda l: vl.Ledger.open("/nonexistent/dir/ledger.db"), vl.StorageError, "E_STORAGE", "storage"),
        (lambda l: l.issuer(), vl.StateError, "E_NO_SIGNING_KEY", "state"),
        (lambda l: l.team_rating("T404", 2015), vl.NotFoundError, "E_UNKNOWN_TEAM", "not_found"),
        (lambda l: l.confirm_record("rec-C1", "R404"), vl.NotFoundError, "E_UNKNOWN_RECORD", "not_found"),
    ],
)
def test_errors_map_to_their_family(ledger: vl.Ledger, call: Any, cls: type, code: str, family: str) -> None:
    before = ledger.head()
    with pytest.raises(cls) as info:
        call(ledger)
    e = info.value
    assert type(e) is cls
    assert isinstance(e, vl.LedgerError)
    assert (e.code, e.family) == (code, family)
    assert e.code in vl.ERROR_CODES
    assert str(e) and e.args == (str(e),)
    assert ledger.head() == before


def test_every_family_is_mapped_above() -> None:
    """The table above reaches every error family the core has."""
    marks = test_errors_map_to_their_family.pytestmark
    families = {case[3] for mark in marks if mark.name == "parametrize" for case in mark.args[1]}
    assert families == {
        "input", "validation", "authorization", "not_found", "conflict", "state",
        "integrity", "policy", "storage",
    }


def test_state_error_and_message(ledger: vl.Ledger) -> None:
    add(ledger, "R1", "V1", at(15, 9), 60)
    ledger.revoke_record("rec-C1", "R1", "重复")
    with pytest.raises(vl.StateError) as info:
        ledger.revoke_record("rec-C1", "R1", "again")
    assert info.value.code == "E_INVALID_STATE"
    assert "R1" in str(info.value)


def test_errors_carry_both_messages_and_their_values(ledger: vl.Ledger) -> None:
    add(ledger, "R1", "V1", at(15, 9), 60)
    with pytest.raises(vl.ValidationError) as info:
        add(ledger, "R2", "V1", at(15, 9), 60)
    e = info.value
    assert e.code == "E_OVERLAP"
    assert e.message_en == "record R2: overlaps record R1 of the same volunteer"
    assert e.message_zh == "服务记录 R2：与同一志愿者的服务记录 R1 时间重叠"
    assert str(e) == f"{e.message_en} / {e.message_zh}"
    assert e.fields == {"record": "R2", "other": "R1"}
    assert e.record == "R2"
    # The Chinese half gives the English half's details; an error about no record has none.
    with pytest.raises(vl.NotFoundError) as missing:
        ledger.volunteer("V404")
    assert "V404" in missing.value.message_en and "V404" in missing.value.message_zh
    assert missing.value.fields == {"id": "V404"} and missing.value.record is None


def test_messages_carry_no_personal_data(ledger: vl.Ledger) -> None:
    with pytest.raises(vl.ConflictError) as info:
        ledger.register_volunteer(
            "rec-C1",
            id="V9",
            name="王小明",
            identity_kind="resident_id",
            identity_number="11010519491231002X",
            home_org="C1",
        )
    assert info.value.code == "E_DUPLICATE_IDENTITY"
    assert "11010519491231002X" not in str(info.value)
    assert "王小明" not in str(info.value)


def test_wrong_python_types_raise_type_error(ledger: vl.Ledger) -> None:
    untyped: Any = ledger  # the calls below are wrong on purpose
    fields = {"id": "R1", "volunteer": "V1", "org": "C1", "end": at(15, 10), "minutes": 60}
    with pytest.raises(TypeError):
        untyped.add_record("rec-C1", start="2015-06-15T09:00:00+08:00", **fields)
    with pytest.raises(TypeError):
        untyped.add_record("rec-C1", start=date(2015, 6, 15), **fields)
    with pytest.raises(TypeError):
        untyped.register_org("admin", "X", "x", "community")  # keyword-only
    assert ledger.record_count() == 0


@pytest.mark.parametrize("minutes", [-1, -(2**70), 2**32, 2**70])
def test_out_of_range_ints_get_the_cores_codes_not_overflow_error(ledger: vl.Ledger, minutes: int) -> None:
    # The core decides about every number, whatever its size: a stable code, not OverflowError.
    fields: dict[str, Any] = {"id": "R1", "volunteer": "V1", "org": "C1", "start": at(15, 9), "end": at(15, 10)}
    with pytest.raises(vl.LedgerError) as info:
        ledger.add_record("rec-C1", **fields, minutes=minutes)
    expected = "E_FIELD" if minutes < 0 else "E_MINUTES_EXCEED_SPAN"
    assert info.value.code == expected
    for huge in (-1, 2**70, -(2**70)):
        with pytest.raises(vl.InputError) as info:
            ledger.leaderboard("2015-06", limit=huge)
        assert info.value.code == "E_FIELD"
        with pytest.raises(vl.InputError) as info:
            ledger.record_training("admin", id="T1", volunteer="V1", org="C1", title="急救", date=date(2015, 6, 1), minutes=huge)
        assert info.value.code == "E_FIELD"
        try:  # any year is a question: an answer or the core's refusal, never OverflowError
            assert ledger.team_ratings(huge) == []
        except vl.LedgerError as e:
            assert e.code == "E_FIELD"
    with pytest.raises(vl.InputError) as info:
        vl.Ledger.in_memory("x", "区", "admin", utc_offset_minutes=2**70)
    assert info.value.code == "E_FIELD"
    assert ledger.record_count() == 0


# ---- datetimes ----------------------------------------------------------------------------


def test_naive_datetimes_are_read_in_the_ledger_offset(ledger: vl.Ledger) -> None:
    add(ledger, "R1", "V1", datetime(2015, 6, 15, 9, 0), 60)
    r = ledger.record("R1")
    assert r.start == at(15, 9)
    assert r.start.utcoffset() == timedelta(hours=8)
    assert r.start.isoformat() == "2015-06-15T09:00:00+08:00"
    # The same instant written in UTC is the same record: a duplicate.
    again = add(ledger, "R1", "V1", datetime(2015, 6, 15, 1, 0, tzinfo=timezone.utc), 60)
    assert again.duplicate


def test_other_offsets_and_fractions_of_a_second() -> None:
    l = vl.Ledger.in_memory("utc", "UTC ledger", "admin", utc_offset_minutes=0)
    assert l.utc_offset_minutes == 0
    l.set_clock(datetime(2015, 6, 3, 12, 0, 30, 999_999))
    assert l.now() == datetime(2015, 6, 3, 12, 0, 30, tzinfo=timezone.utc)
    l.set_clock(datetime(2015, 6, 3, 20, 0, tzinfo=CST))
    assert l.now() == datetime(2015, 6, 3, 12, 0, tzinfo=timezone.utc)
    assert l.now().utcoffset() == timedelta(0)


def test_zoneinfo_datetimes() -> None:
    # run-tests.sh installs tzdata, so the time zone database is there on every machine.
    import zoneinfo

    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    l = vl.Ledger.in_memory("x", "x", "admin")
    l.set_clock(datetime(2015, 6, 3, 12, 0, tzinfo=shanghai))
    assert l.now() == datetime(2015, 6, 3, 4, 0, tzinfo=timezone.utc)


def test_system_clock(ledger: vl.Ledger) -> None:
    ledger.set_clock(None)
    now = datetime.now(timezone.utc)
    assert abs(ledger.now() - now) < timedelta(seconds=5)


def test_periods_of_reads_naive_instants_in_the_given_offset() -> None:
    assert vl.periods_of(datetime(2016, 1, 1, 4, 0), 480) == ["2015-W53", "2016-01", "2016"]
    assert vl.periods_of(datetime(2015, 12, 31, 20, 0, tzinfo=timezone.utc), 480) == ["2015-W53", "2016-01", "2016"]
    assert vl.periods_of(datetime(2015, 12, 31, 20, 0, tzinfo=timezone.utc), 0) == ["2015-W53", "2015-12", "2015"]


@settings(max_examples=200, deadline=None)
@given(
    local=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)),
    offset=st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_naive_equals_aware_in_the_same_offset(local: datetime, offset: int) -> None:
    aware = local.replace(tzinfo=timezone(timedelta(minutes=offset)))
    assert vl.periods_of(local, offset) == vl.periods_of(aware, offset)
    assert vl.periods_of(aware, offset) == vl.periods_of(aware.astimezone(timezone.utc), offset)


@given(st.lists(st.tuples(st.text(min_size=1, max_size=4), st.integers(0, 10_000)), max_size=30, unique_by=lambda p: p[0]))
def test_rank_pairs_properties(pairs: list[tuple[str, int]]) -> None:
    ranked = vl.rank_pairs(pairs)
    assert sorted(i for i, m in pairs if m > 0) == sorted(i for _, i, _ in ranked)
    for (r1, _, m1), (r2, _, m2) in zip(ranked, ranked[1:]):
        assert m1 >= m2
        assert (r1 == r2) if m1 == m2 else (r1 < r2)
    if ranked:
        assert ranked[0][0] == 1


# ---- result objects -----------------------------------------------------------------------


def test_repr_and_to_dict(ledger: vl.Ledger) -> None:
    r = add(ledger, "R1", "V1", at(15, 9), 60)
    assert repr(r) == f"RecordReceipt(record='R1', state='confirmed', make_up=False, seq={r.seq}, duplicate=False)"
    assert r.to_dict() == {"record": "R1", "state": "confirmed", "make_up": False, "seq": r.seq, "duplicate": False}

    rec = ledger.record("R1")
    d = rec.to_dict()
    assert d["start"] == at(15, 9) and d["minutes"] == 60 and d["source"] == "entry"
    assert repr(rec).startswith("ServiceRecord(id='R1', volunteer='V1', org='C1', team=None")

    board = ledger.leaderboard("2015-06", limit=1)
    assert repr(board) == (
        "Leaderboard(period='2015-06', scope='all', kind='volunteers', "
        f"as_of_seq={board.as_of_seq}, ranked=1, "
        "entries=[BoardEntry(rank=1, id='V1', name='张*', minutes=60)])"
    )
    assert board.to_dict()["entries"] == [{"rank": 1, "id": "V1", "name": "张*", "minutes": 60}]

    info = vl.period_info("2015-W53")
    assert info.to_dict() == {
        "text": "2015-W53",
        "kind": "week",
        "first_day": date(2015, 12, 28),
        "last_day": date(2016, 1, 3),
        "previous": "2015-W52",
        "next": "2016-W01",
    }
    assert "Ledger(ledger_id='xuetian'" in repr(ledger)


def test_results_are_frozen_and_comparable(ledger: vl.Ledger) -> None:
    add(ledger, "R1", "V1", at(15, 9), 60)
    a, b = ledger.record("R1"), ledger.record("R1")
    assert a == b and a is not b
    with pytest.raises(AttributeError):
        a.minutes = 1  # type: ignore[misc]
    assert vl.stars_for_minutes("mca", 6000) == vl.stars_for_minutes("mca", 6000)
    assert vl.stars_for_minutes("mca", 6000) != vl.stars_for_minutes("beijing", 6000)


def test_policy_profiles() -> None:
    assert vl.PROFILES == ("mca", "beijing")
    assert "thresholds_hours = [100, 300, 600, 1000, 1500]" in vl.policy_profile("mca")
    assert '"daily_cap_minutes": 720' in vl.policy_profile("beijing", "json")
    with pytest.raises(vl.InputError):
        vl.policy_profile("mca", "yaml")  # type: ignore[arg-type]
    l = vl.Ledger.in_memory("b", "Beijing", "admin", policy="beijing")
    assert "policy='beijing'" in repr(l)


def test_threads_share_one_ledger(ledger: vl.Ledger) -> None:
    errors: list[BaseException] = []

    def work(volunteer: str, day: int) -> None:
        try:
            for h in range(8, 18):
                add(ledger, f"{volunteer}-{day}-{h}", volunteer, at(day, h), 30)
                ledger.leaderboard("2015-06")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(v, d)) for v in ("V1", "V2") for d in (15, 16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ledger.record_count() == 40
    assert [e.minutes for e in ledger.leaderboard("2015-06").entries] == [600, 600]
    ledger.verify()
