"""The community features from Python: teams over time, projects and activities, evaluations and
complaints, training and commendations, team ratings, excellent volunteers, reporting in, four
eyes and anomaly flags. The rules are the core's (core/tests/teams.rs checks them); these tests
check that each call reaches the core and that its answer comes back whole."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Callable

import pytest

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))


def t(m: int, d: int, h: int) -> datetime:
    return datetime(2015, m, d, h, tzinfo=CST)


def district() -> vl.Ledger:
    """As core/tests/teams.rs: D > S1 > {C1, C2}, D > S2 > C3, D > U1. V0–V2 live in C1, V3
    in C2, V4 and V5 in C3. T1 at C1 (leader V0, member V1), T2 at C3 (leader V4)."""
    l = vl.Ledger.in_memory("L", "学田区", "admin")
    l.set_clock(t(1, 1, 8))
    for o, parent, kind in [
        ("D", None, "district"),
        ("S1", "D", "street"),
        ("S2", "D", "street"),
        ("C1", "S1", "community"),
        ("C2", "S1", "community"),
        ("C3", "S2", "community"),
        ("U1", "D", "work_unit"),
    ]:
        l.register_org("admin", id=o, name=f"{o}名", kind=kind, parent=parent)  # type: ignore[arg-type]
    l.grant_role("admin", "rec1", "recorder", "C1")
    l.grant_role("admin", "adm1", "org_admin", "S1")
    l.grant_role("admin", "adm2", "org_admin", "S1")
    l.grant_role("admin", "unitrec", "recorder", "U1")
    for v, home in [(0, "C1"), (1, "C1"), (2, "C1"), (3, "C2"), (4, "C3"), (5, "C3")]:
        l.register_volunteer(
            "admin",
            id=f"V{v}",
            name=f"志愿者{v}",
            identity_kind="passport",
            identity_number=f"E1000000{v}",
            home_org=home,
        )
    l.create_team("admin", id="T1", org="C1", name="T1队", leader="V0", members=["V1"])
    l.create_team("admin", id="T2", org="C3", name="T2队", leader="V4")
    l.set_clock(t(12, 31, 12))
    return l


def record(
    l: vl.Ledger,
    rid: str,
    v: str,
    start: datetime,
    minutes: int,
    *,
    actor: str = "admin",
    org: str = "C1",
    team: str | None = None,
    activity: str | None = None,
) -> vl.RecordReceipt:
    return l.add_record(
        actor,
        id=rid,
        volunteer=v,
        org=org,
        start=start,
        end=start + timedelta(minutes=minutes),
        minutes=minutes,
        content="服务",
        team=team,
        activity=activity,
    )


def refused(l: vl.Ledger, code: str, call: Callable[[], object]) -> vl.LedgerError:
    """Asserts a refusal with its code that wrote nothing and changed nothing."""
    before = (len(l), l.state_digest())
    with pytest.raises(vl.LedgerError) as e:
        call()
    assert e.value.code == code, str(e.value)
    assert (len(l), l.state_digest()) == before
    return e.value


def rated_year() -> vl.Ledger:
    """T1's 2015 as in core/tests/teams.rs: four activities, V1 leaves on 31 July."""
    l = district()
    for a, m, d in [("A1", 6, 6), ("A2", 7, 4), ("A3", 7, 20), ("A4", 8, 2)]:
        l.create_activity(
            "admin", id=a, org="C1", name=f"{a}活动", team="T1", start=t(m, d, 9), end=t(m, d, 12)
        )
    l.leave_team("admin", team="T1", volunteer="V1", date=date(2015, 7, 31))
    for r, v, a, m, d, minutes in [
        ("R1", "V0", "A1", 6, 6, 180),
        ("R2", "V1", "A1", 6, 6, 120),
        ("R3", "V2", "A1", 6, 6, 180),
        ("R4", "V0", "A2", 7, 4, 180),
        ("R5", "V1", "A3", 7, 20, 60),
        ("R6", "V1", "A4", 8, 2, 60),
    ]:
        record(l, r, v, t(m, d, 9), minutes, team="T1", activity=a)
    for score in [5, 4, 4]:
        l.evaluate_activity("rec1", activity="A1", score=score)
    l.record_complaint("rec1", activity="A2", reason="未按时开始")
    return l


def test_orgs_and_teams_as_registered() -> None:
    l = district()
    o = l.org("C1")
    assert (o.id, o.name, o.kind, o.parent) == ("C1", "C1名", "community", "S1")
    assert l.org("D").parent is None
    team = l.team("T1")
    # The leader is a member too, whether listed or not.
    assert (team.org, team.leader, sorted(team.members), team.name) == ("C1", "V0", ["V0", "V1"], "T1队")
    assert team.to_dict()["liaisons"] == []
    refused(l, "E_UNKNOWN_ORG", lambda: l.org("X9"))
    refused(l, "E_UNKNOWN_TEAM", lambda: l.team("X9"))


def test_members_join_and_leave_on_dates() -> None:
    l = district()
    l.join_team("admin", team="T2", volunteer="V5", date=date(2015, 3, 1))
    # A datetime's local day: 23:30 UTC on 31 March is 1 April in +08:00.
    l.leave_team(
        "admin", team="T2", volunteer="V5", date=datetime(2015, 3, 31, 23, 30, tzinfo=timezone.utc)
    )
    members = {m.volunteer: m for m in l.team_members("T2")}
    assert members["V5"].joined == date(2015, 3, 1)
    assert members["V5"].left == date(2015, 4, 1)
    assert members["V4"].left is None
    assert members["V5"].to_dict() == {
        "volunteer": "V5",
        "joined": date(2015, 3, 1),
        "left": date(2015, 4, 1),
    }
    refused(
        l,
        "E_UNKNOWN_TEAM",
        lambda: l.join_team("admin", team="NOPE", volunteer="V5", date=date(2015, 5, 1)),
    )


def test_a_claimed_project_and_its_activity() -> None:
    l = district()
    l.publish_project("admin", id="P1", org="C1", name="敬老", category="elderly care")
    assert l.project("P1").claimed_by is None
    l.claim_project("admin", project="P1", team="T1")
    p = l.project("P1")
    assert (p.id, p.org, p.category, p.claimed_by) == ("P1", "C1", "elderly care", "T1")
    l.create_activity(
        "admin", id="A1", org="C1", name="探访", project="P1", team="T1", start=t(6, 6, 9), end=t(6, 6, 12)
    )
    record(l, "R1", "V0", t(6, 6, 9), 120, team="T1", activity="A1")
    a = l.activity("A1")
    assert (a.project, a.category, a.records, a.counted_minutes) == ("P1", "elderly care", ["R1"], 120)
    assert a.start == t(6, 6, 9) and a.start.utcoffset() == timedelta(hours=8)
    assert "Activity(id='A1'" in repr(a)
    refused(l, "E_UNKNOWN_PROJECT", lambda: l.project("P9"))


def test_training_commendations_and_the_summary() -> None:
    l = district()
    l.record_training(
        "admin", id="TR1", volunteer="V1", org="C1", title="急救", date=date(2015, 4, 2), minutes=90
    )
    l.record_commendation(
        "admin", id="CM1", volunteer="V1", org="S1", title="优秀志愿者", date=date(2015, 12, 5)
    )
    s = l.volunteer_summary("V1")
    assert [x.title for x in s.training] == ["急救"]
    assert s.training[0].minutes == 90
    assert [(c.id, c.date) for c in s.commendations] == [("CM1", date(2015, 12, 5))]
    assert s.teams == ["T1"]
    assert s.volunteer.masked_name == "志*"
    d = s.to_dict()
    assert d["training"][0]["title"] == "急救"
    assert d["stars"]["level"] == 0
    assert d["volunteer"]["id"] == "V1"


def test_a_team_is_rated_with_its_breakdown() -> None:
    l = rated_year()
    f = l.team_facts("T1", 2015)
    assert (f.months_active, f.first_saturday_months, f.members, f.active_members) == (3, 2, 2, 2)
    assert (f.evaluations, f.evaluation_points, f.complaints) == (3, 13, 1)
    r = l.team_rating("T1", 2015)
    assert [x.points for x in r.score.lines] == [5, 2, 0, 2, 1, 10, 19, -4]
    assert (r.score.score, r.score.stars, r.team_name) == (35, 1, "T1队")
    assert "3 of 12" in r.score.lines[0].text_en
    assert r.to_dict()["score"]["lines"][6]["metric"] == "average_evaluation"
    g = l.team_rating_by("T1", 2015, "pvsa_group")
    assert (g.score.score, g.score.stars, g.score.scoring) == (0, 0, "pvsa_group")
    # A table given as a dict: the district table's dict gives the same rating.
    assert l.team_rating_by("T1", 2015, vl.team_scoring("district")) == r
    assert [x.team for x in l.team_ratings(2015, "org:S1")] == ["T1"]
    assert len(l.team_ratings(2015)) == 2
    with pytest.raises(vl.PolicyError):
        l.team_rating_by("T1", 2015, "no such table")
    with pytest.raises(vl.PolicyError):
        l.team_rating_by("T1", 2015, {"name": "broken"})


def test_excellent_candidates_with_reasons() -> None:
    l = rated_year()
    got = l.excellent_candidates(2015)
    for c in got:
        assert c.reason_en and c.reason_zh
        assert "志愿者" not in c.reason_zh
    assert all(isinstance(c, vl.ExcellentCandidate) for c in got)
    assert l.excellent_candidates(2015, "org:S2") == []


def test_a_unit_report_and_the_community_list() -> None:
    l = district()
    refused(
        l,
        "E_ORG_KIND",
        lambda: l.report_in(
            "admin", volunteer="V1", community="S1", work_unit="U1", date=date(2015, 3, 1)
        ),
    )
    # A unit's recorder takes nobody from their home org: V1 reports themselves in (报到).
    refused(
        l,
        "E_FORBIDDEN",
        lambda: l.report_in(
            "unitrec", volunteer="V1", community="C2", work_unit="U1", date=date(2015, 3, 1)
        ),
    )
    l.report_in("V1", volunteer="V1", community="C2", work_unit="U1", date=date(2015, 3, 1))
    l.report_in("rec1", volunteer="V2", community="C1", work_unit="U1", date=date(2015, 3, 1))
    record(l, "R1", "V1", t(5, 2, 9), 120, org="C2")
    record(l, "R2", "V1", t(7, 2, 9), 60, org="C2")
    r = l.unit_report("U1", "2015-05")
    assert [(s.volunteer, s.minutes, s.community) for s in r.staff] == [
        ("V1", 120, "C2"),
        ("V2", 0, "C1"),
    ]
    assert (r.served, r.total_minutes, r.period) == (1, 120, "2015-05")
    assert l.unit_report("U1", "2015").total_minutes == 180
    seen = [(c.volunteer, c.reported_in, c.masked_name) for c in l.community_volunteers("C2")]
    assert seen == [("V1", True, "志*"), ("V3", False, "志*")]


def test_a_large_entry_waits_for_a_second_admin() -> None:
    l = district()
    l.set_clock(t(6, 2, 20))
    assert record(l, "R1", "V1", t(6, 2, 8), 540, actor="adm1").state == "pending"
    e = refused(l, "E_FOUR_EYES", lambda: l.confirm_record("rec1", "R1"))
    assert isinstance(e, vl.AuthorizationError)
    refused(l, "E_SELF_CONFIRM", lambda: l.confirm_record("adm1", "R1"))
    l.confirm_record("adm2", "R1")
    assert l.record("R1").confirmed_by == "adm2"


def test_anomalies_are_flagged_with_reasons() -> None:
    l = district()
    l.set_clock(t(3, 2, 20))
    record(l, "S1", "V0", t(3, 2, 9), 60, actor="V0")
    l.set_clock(t(12, 31, 12))
    record(l, "L1", "V1", t(3, 3, 9), 60)
    flags = l.anomalies("2015")
    kinds = {(f.kind, f.record) for f in flags}
    assert ("self_recorded", "S1") in kinds
    assert ("late_entry", "L1") in kinds
    assert all(f.reason_en and f.reason_zh for f in flags)
    assert [f.day for f in flags if f.record == "S1"] == [date(2015, 3, 2)]
    assert l.anomalies("2015-01") == []
    with pytest.raises(vl.InputError):
        l.anomalies("2015-13")


def test_the_issue_5_answers_survive_a_file(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    l = rated_year()
    want = l.team_ratings(2015)
    saved = l.save_as(tmp_path / "rated.db")
    assert saved.path is not None and saved.path.endswith("rated.db")
    assert saved.state_digest() == l.state_digest()
    saved.close()
    with vl.Ledger.open(tmp_path / "rated.db") as again:
        assert again.replayed_at_open == 0
        assert again.team_ratings(2015) == want


def test_a_certificate_lists_training_and_commendations_when_asked() -> None:
    l = district()
    l.set_signing_key("admin", bytes(range(32)))
    l.record_training(
        "admin", id="TR1", volunteer="V1", org="C1", title="急救", date=date(2015, 4, 2), minutes=90
    )
    l.record_commendation(
        "admin", id="CM1", volunteer="V1", org="S1", title="优秀志愿者", date=date(2015, 12, 5)
    )
    record(l, "R1", "V1", t(6, 2, 9), 60)
    ask = dict(
        volunteer="V1",
        period_from=date(2015, 1, 1),
        period_to=date(2015, 12, 31),
        issuing_org="D",
        responsible_person="王主任",
        handler="李经办",
        contact="0791-1234567",
    )
    plain = l.issue_certificate("admin", **ask)  # type: ignore[arg-type]
    assert (plain.training, plain.commendations) == ([], [])
    full = l.issue_certificate("admin", with_training_and_commendations=True, **ask)  # type: ignore[arg-type]
    assert [(x.title, x.minutes, x.date) for x in full.training] == [("急救", 90, date(2015, 4, 2))]
    assert [x.title for x in full.commendations] == ["优秀志愿者"]
    assert full.to_dict()["training"][0]["org_name"] == "C1名"
    # The lists are signed with the rest: the JSON reads back and verifies offline.
    again = vl.Certificate.from_json(full.to_json())
    assert again == full
    key = l.public_key()
    assert key is not None
    vl.verify_certificate_offline(again, key)


def test_a_policy_given_as_toml() -> None:
    text = vl.policy_profile("beijing")
    l = vl.Ledger.in_memory("L", "L", "admin", policy_toml=text)
    assert "policy='beijing'" in repr(l)
    assert l.policy() == text
    assert vl.Ledger.in_memory("M", "M", "admin", policy_toml=l.policy()).policy("json") == l.policy("json")
    with pytest.raises(vl.InputError):
        l.policy("yaml")  # type: ignore[arg-type]
    with pytest.raises(vl.PolicyError):
        vl.Ledger.in_memory("L", "L", "admin", policy_toml="stars = 'many'")


def test_a_transfer_package_previews_the_export() -> None:
    l = rated_year()
    refused(l, "E_NO_SIGNING_KEY", lambda: l.transfer_package("V0"))
    l.set_signing_key("admin", bytes(range(32)))
    preview = l.transfer_package("V0", destination="OTHER")
    assert (preview.volunteer, preview.destination, preview.total_minutes) == ("V0", "OTHER", 360)
    assert [r.record for r in preview.records] == ["R1", "R4"]
    assert not l.volunteer("V0").transferred_out
