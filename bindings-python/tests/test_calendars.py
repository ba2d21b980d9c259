"""Working-day calendars from Python: the shipped State Council calendar, a year set by a
platform admin, the calendar in force and a day's answer. The rules are the core's
(core/tests/calendars.rs checks them); these tests check that each call reaches the core and
that its answer comes back whole."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Optional

import pytest

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))

NO_SHIPPED_CALENDAR = vl.policy_profile("mca").replace('calendar = "cn-state-council"\n', "")


def ledger(now: datetime, policy_toml: Optional[str] = None) -> vl.Ledger:
    l = vl.Ledger.in_memory("L", "某区", "admin", policy_toml=policy_toml)
    l.set_clock(datetime(2024, 1, 2, 9, tzinfo=CST))
    l.register_org("admin", id="C1", name="学田社区", kind="community")
    l.grant_role("admin", "rec", "recorder", "C1")
    for v in range(3):
        l.register_volunteer(
            "admin",
            id=f"V{v}",
            name="王",
            identity_kind="passport",
            identity_number=f"E1000000{v}",
            home_org="C1",
        )
    l.set_clock(now)
    return l


def service(l: vl.Ledger, rid: str, volunteer: str, day: date) -> vl.RecordReceipt:
    start = datetime(day.year, day.month, day.day, 9, tzinfo=CST)
    return l.add_record(
        "rec", id=rid, volunteer=volunteer, org="C1", minutes=120,
        start=start, end=start + timedelta(hours=2), content="助老服务",
    )


def test_the_shipped_calendar_is_there_and_judges_the_built_in_profiles() -> None:
    assert vl.SHIPPED_CALENDARS == ("cn-state-council",)
    c = vl.shipped_calendar("cn-state-council", 2024)
    assert c is not None and c.year == 2024
    assert date(2024, 2, 4) in c.working_days and date(2024, 2, 18) in c.working_days
    assert [d for d in c.holidays if d.month == 2] == [date(2024, 2, d) for d in range(10, 18)]
    assert c.to_dict()["year"] == 2024
    assert vl.shipped_calendar("cn-state-council", 2030) is None
    assert vl.shipped_calendar("elsewhere", 2024) is None
    assert 'calendar = "cn-state-council"' in vl.policy_profile("mca")
    # Friday 2024-02-09, entered Monday 02-26: 7th working day by the calendar, 11th by weekdays.
    now = datetime(2024, 2, 26, 10, tzinfo=CST)
    l = ledger(now)
    assert l.calendar(2024) == c
    assert l.is_working_day(date(2024, 2, 18)) and not l.is_working_day(date(2024, 2, 12))
    assert not service(l, "R1", "V0", date(2024, 2, 9)).make_up
    plain = ledger(now, NO_SHIPPED_CALENDAR)
    assert plain.calendar(2024).holidays == []
    r = service(plain, "R1", "V0", date(2024, 2, 9))
    assert r.make_up and r.state == "pending"


def test_a_year_set_later_judges_only_what_is_added_after_it() -> None:
    l = ledger(datetime(2024, 2, 26, 10, tzinfo=CST), NO_SHIPPED_CALENDAR)
    assert service(l, "R1", "V0", date(2024, 2, 9)).make_up
    c = vl.shipped_calendar("cn-state-council", 2024)
    assert c is not None
    with pytest.raises(vl.AuthorizationError) as e:
        l.set_calendar("rec", 2024, c.holidays, c.working_days)
    assert e.value.code == "E_FORBIDDEN"
    # Any order, datetimes as their local day.
    l.set_calendar(
        "admin", 2024, list(reversed(c.holidays)),
        [datetime(d.year, d.month, d.day, 12) for d in c.working_days],
    )
    assert l.calendar(2024) == c
    assert l.record("R1").make_up and l.record("R1").state == "pending"
    assert not service(l, "R2", "V1", date(2024, 2, 9)).make_up
    replayed = l.replay()
    assert replayed.state_digest() == l.state_digest()
    assert replayed.calendar(2024) == c


@pytest.mark.parametrize(
    "year, holidays, working_days, field",
    [
        (2027, [date(2026, 12, 31)], [], "holidays"),
        (2027, [date(2027, 2, 6)], [date(2027, 2, 6)], "working_days"),
        (2027, [], [date(2027, 2, 8)], "working_days"),  # a Monday
        (2027, [date(2027, 1, 1) + timedelta(days=n) for n in range(61)], [], "holidays"),
        (1969, [], [], "year"),
        (10**30, [], [], "year"),
    ],
)
def test_bad_calendars_are_refused_and_nothing_changes(
    year: int, holidays: list[date], working_days: list[date], field: str
) -> None:
    l = ledger(datetime(2024, 3, 1, 10, tzinfo=CST))
    digest, before = l.state_digest(), l.calendar(2027)
    with pytest.raises(vl.LedgerError) as e:
        l.set_calendar("admin", year, holidays, working_days)
    assert e.value.code == "E_FIELD"
    assert e.value.fields["field"] == field
    assert (l.state_digest(), l.calendar(2027)) == (digest, before)
