"""Every result class's `to_dict()` and repr name its attributes in the stubs' order, whether
the class is one of the core's types (made a Python class by the core's `python` feature,
its attribute order declared in core/src/python.rs) or the binding's own: a field left out
of that declaration would silently drop a key from `to_dict()`."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta

import test_community as community
import test_sync as sync
import test_transfer as transfer
from test_stubs import stub_tree

import volunteer_ledger as vl

# Reprs that name only some attributes, so that they never show a person.
PARTIAL_REPR = {"Certificate", "SignedHead"}
# Made only when opening a ledger file sets a damaged snapshot aside.
NOT_MADE_HERE = {"LedgerWarning"}


def result_classes() -> dict[str, list[str]]:
    """Each stubbed class with a `to_dict()`: its properties, in the stubs' order."""
    out: dict[str, list[str]] = {}
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef):
            continue
        methods = [f for f in node.body if isinstance(f, ast.FunctionDef)]
        if any(f.name == "to_dict" for f in methods):
            out[node.name] = [
                f.name
                for f in methods
                if any(isinstance(d, ast.Name) and d.id == "property" for d in f.decorator_list)
            ]
    return out


def results() -> list[object]:
    """At least one object of every result class, from a rated year, a transfer, a certificate,
    a sync and a sheet."""
    l = community.rated_year()
    l.publish_project("admin", id="P1", org="C1", name="助老", category="elderly care")
    l.record_training("admin", id="TR1", volunteer="V0", org="C1", title="急救", date=date(2015, 5, 1), minutes=90)
    l.record_commendation("admin", id="CM1", volunteer="V0", org="C1", title="优秀", date=date(2015, 6, 1))
    l.report_in("rec1", volunteer="V2", community="C1", work_unit="U1", date=date(2015, 3, 1))
    for i in range(40):  # 160 hours: a star, and an excellent candidate
        community.record(l, f"B{i}", "V0", datetime(2015, 9, 1 + i % 28, 8 + i // 28 * 5, tzinfo=community.CST), 240)
    found: list[object] = [
        l.set_visibility("admin", "V2", "pseudonym", "小星"), l.org("C1"), l.team("T1"), l.team_members("T1"), l.volunteer("V2"), l.volunteer_summary("V0"),
        l.leaderboard("2015"), l.standing("V1", "2015"), l.team_rating("T1", 2015),
        l.excellent_candidates(2015), l.activity("A1"), l.anomalies("2015"), l.record("R1"),
        l.verify(), l.project("P1"), l.unit_report("U1", "2015"), l.community_volunteers("C1"),
        vl.period_info("2015-W23"), l.open_warnings(), l.calendar(2015),
    ]

    a, b = transfer.district("A", 1), transfer.district("B", 2)
    transfer.serve(a, "R1", 3, 2, 120)
    a.record_training("admin", id="TR1", volunteer="V1", org="C1", title="急救", date=date(2015, 5, 1), minutes=90)
    a.record_commendation("admin", id="CM1", volunteer="V1", org="C1", title="优秀", date=date(2015, 6, 1))
    cert = a.issue_certificate(
        "admin", volunteer="V1", period_from=date(2015, 1, 1), period_to=date(2015, 12, 31), issuing_org="C1",
        responsible_person="李主任", handler="王干事", contact="0791-12345678", with_training_and_commendations=True,
    )
    b.trust_issuer("admin", ledger_id="A", name="A区", public_key=a.public_key() or "")
    found += [cert, a.verify_certificate(cert.verification_code), a.transfer_package("V1", destination="B")]
    found.append(b.import_transfer("admin", a.export_transfer("admin", "V1", destination="B")))

    server, phone = sync.server_and_phone()
    sync.visit(phone, "leader", "phone-1-1", "V1", 2)
    phone.grant_role("admin", "helper", "recorder", "C1")  # the server never granted this
    sync.visit(phone, "helper", "phone-1-2", "V2", 3)
    for actor in ["leader", "helper"]:
        receipt = server.import_sync_batch(actor, phone.sync_batch(actor))
        found += [receipt, phone.apply_sync_receipt(receipt.json)]
    found.append(phone.sync_status())

    csv = "志愿者编号,开始时间,结束时间,服务时长（分钟）,服务内容,组织编号\n"
    csv += "V1,2015-06-02 09:00,2015-06-02 11:00,120,助老,C1\nV9,bad,,,x,C1\n"
    found += [vl.read_sheet(csv.encode()), server.upload("admin", csv.encode(), dry_run=True)]
    register = "姓名,证件号码,所属组织\n某人,110105198001010016,C1\n某人,110105198001010017,C1\n"
    found.append(server.upload_volunteers("admin", register.encode(), dry_run=True))
    start = datetime(2015, 6, 1, 9, tzinfo=community.CST)
    added = server.add_records(
        "admin", [dict(id="X1", volunteer="V1", org="C1", start=start, end=start + timedelta(hours=1), minutes=60)]
    )
    found.append(added[0])
    return found


def test_to_dict_and_repr_name_every_attribute_in_the_stubs_order() -> None:
    classes = result_classes()
    seen: set[str] = set()

    def check(obj: object) -> None:
        if isinstance(obj, list):
            for item in obj:
                check(item)
            return
        name = type(obj).__name__
        if name not in classes:
            return
        names = classes[name]
        assert list(getattr(obj, "to_dict")()) == names, name
        if name not in PARTIAL_REPR:
            shown = ", ".join(f"{n}={getattr(obj, n)!r}" for n in names)
            assert repr(obj) == f"{name}({shown})"
        seen.add(name)
        for n in names:
            check(getattr(obj, n))

    for obj in results():
        check(obj)
    assert seen == set(classes) - NOT_MADE_HERE


def test_docstrings_read_as_python_not_as_rustdoc() -> None:
    # The core's doc comments become the docstrings of its classes: a Rust path or an
    # intra-doc link in one would show in help() as markup a Python user cannot follow.
    rustdoc = ("[`", "`]", "crate::", "Self::", "](")
    found = []
    for name in result_classes():
        cls = getattr(vl, name)
        docs = {name: cls.__doc__ or ""}
        for attr, value in vars(cls).items():
            if not attr.startswith("__"):
                docs[f"{name}.{attr}"] = getattr(value, "__doc__", None) or ""
        found += [where for where, doc in docs.items() if any(m in doc for m in rustdoc)]
    assert found == []
