"""Moves, signed transfer packages between ledgers, and service certificates, from Python."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

import volunteer_ledger as vl

CST = timezone(timedelta(hours=8))
NOW = datetime(2015, 12, 20, 12, 0, tzinfo=CST)
ZHANG = "11010519491231002X"


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2015, month, day, hour, tzinfo=CST)


def district(ledger_id: str, seed: int | None, identity: str = ZHANG) -> vl.Ledger:
    """D > S1 > C1, D > S2 > C2 and a work unit U1; a recorder of D; volunteer V1 at C1; a
    signing key from 32 bytes of `seed`; the clock in December 2015."""
    l = vl.Ledger.in_memory(ledger_id, f"{ledger_id}区", "admin")
    l.set_clock(NOW)
    for org, parent, kind in [
        ("D", None, "district"),
        ("S1", "D", "street"),
        ("S2", "D", "street"),
        ("C1", "S1", "community"),
        ("C2", "S2", "community"),
        ("U1", "D", "work_unit"),
    ]:
        l.register_org("admin", id=org, name=f"{org}名", kind=kind, parent=parent)  # type: ignore[arg-type]
    l.grant_role("admin", "rec", "recorder", "D")
    l.register_volunteer(
        "admin", id="V1", name="张三", identity_kind="resident_id", identity_number=identity, home_org="C1"
    )
    if seed is not None:
        l.set_signing_key("admin", bytes([seed]) * 32)
    return l


def serve(l: vl.Ledger, rid: str, month: int, day: int, minutes: int, org: str = "C1") -> None:
    start = at(month, day)
    l.add_record(
        "admin",  # an org admin: older service is a make-up record (补录) that needs one
        id=rid,
        volunteer="V1",
        org=org,
        start=start,
        end=start + timedelta(hours=3),
        minutes=minutes,
        content="助老服务",
    )


# ---- keys and issuers ---------------------------------------------------------------------


def test_signing_key_and_issuer() -> None:
    l = district("A", None)
    assert l.public_key() is None
    info: pytest.ExceptionInfo[vl.LedgerError]
    with pytest.raises(vl.StateError) as info:
        l.issuer()
    assert (info.value.code, info.value.family) == ("E_NO_SIGNING_KEY", "state")
    with pytest.raises(vl.StateError) as info:
        l.export_transfer("admin", "V1")
    assert info.value.code == "E_NO_SIGNING_KEY"
    with pytest.raises(vl.InputError) as info:
        l.set_signing_key("admin", b"short")
    assert info.value.code == "E_FIELD"
    with pytest.raises(TypeError):
        l.set_signing_key("admin", "7" * 32)  # type: ignore[arg-type]

    first = l.set_signing_key("admin", bytes([7]) * 32)
    again = l.set_signing_key("admin", bytes([7]) * 32)
    assert not first.duplicate and again.duplicate and again.seq == first.seq
    key = l.public_key()
    assert key is not None and len(key) == 64
    issuer = l.issuer()
    assert issuer.to_dict() == {"ledger_id": "A", "name": "A区", "public_key": key}
    assert repr(issuer) == f"Issuer(ledger_id='A', name='A区', public_key='{key}')"


def test_trust_list() -> None:
    a, b = district("A", 1), district("B", 2)
    assert b.trusted_issuers() == []
    info: pytest.ExceptionInfo[vl.LedgerError]
    with pytest.raises(vl.AuthorizationError) as info:
        b.trust_issuer("rec", **a.issuer().to_dict())
    assert info.value.code == "E_FORBIDDEN"
    with pytest.raises(vl.InputError) as info:
        b.trust_issuer("admin", ledger_id="A", name="A区", public_key="not a key")
    assert info.value.code == "E_FIELD"
    b.trust_issuer("admin", **a.issuer().to_dict())
    assert b.trusted_issuers() == [("A", a.public_key())]


# ---- moves --------------------------------------------------------------------------------


def test_a_move_keeps_history() -> None:
    a = district("A", 1)
    serve(a, "R1", 3, 1, 120)
    view = a.volunteer("V1")
    assert (view.home_org, view.work_unit, view.carried_minutes, view.transferred_out) == ("C1", None, 0, False)

    a.move_volunteer("rec", "V1", home_org="C2", work_unit="U1")
    serve(a, "R2", 4, 1, 60, org="C2")
    view = a.volunteer("V1")
    assert (view.home_org, view.work_unit, view.total_minutes) == ("C2", "U1", 180)
    assert a.record("R1").org == "C1", "past records keep the org where they were served"
    assert a.leaderboard("2015", "org:S1").entries[0].minutes == 120
    assert a.leaderboard("2015", "org:S2").entries[0].minutes == 60

    info: pytest.ExceptionInfo[vl.LedgerError]
    with pytest.raises(vl.InputError) as info:
        a.move_volunteer("rec", "V1")
    assert info.value.code == "E_FIELD"
    with pytest.raises(vl.AuthorizationError) as info:
        a.move_volunteer("V1", "V1", home_org="C1")
    assert info.value.code == "E_FORBIDDEN"
    with pytest.raises(vl.NotFoundError):
        a.move_volunteer("rec", "V9", home_org="C1")


# ---- transfers between ledgers ------------------------------------------------------------


def test_export_import_continues_the_count() -> None:
    a, b = district("A", 1), district("B", 2)
    serve(a, "R1", 6, 2, 180)
    serve(a, "R2", 12, 5, 150)
    serve(b, "RB1", 12, 10, 60)

    text = a.export_transfer("rec", "V1", destination="B")
    assert isinstance(text, str) and text.startswith('{"package":{')
    gone = a.volunteer("V1")
    assert gone.transferred_out and gone.total_minutes == 330, "records stay at the source"
    info: pytest.ExceptionInfo[vl.LedgerError]
    with pytest.raises(vl.StateError) as info:
        a.export_transfer("rec", "V1", destination="B")
    assert info.value.code == "E_TRANSFERRED_OUT"
    with pytest.raises(vl.StateError) as info:
        serve(a, "R3", 12, 15, 60)
    assert info.value.code == "E_TRANSFERRED_OUT"

    # Opened without importing: the package as the source signed it.
    p = vl.open_package(text, [("A", a.public_key() or "")])
    assert (p.volunteer, p.destination, p.total_minutes, p.star_level, p.star_profile) == ("V1", "B", 330, 0, "mca")
    assert (p.masked_name, p.identity_kind, p.masked_identity) == ("张*", "resident_id", "110105********002X")
    assert p.issuer == a.issuer()
    assert p.issued_at == NOW and p.issued_at.utcoffset() == timedelta(0)
    assert [(r.ledger, r.record, r.org, r.minutes) for r in p.records] == [
        ("A", "R1", "C1", 180),
        ("A", "R2", "C1", 150),
    ]
    assert p.records[0].start == at(6, 2) and p.records[0].end == at(6, 2, 12)
    assert [(y.year, y.minutes) for y in p.year_totals] == [(2015, 330)]
    d = p.to_dict()
    assert d["issuer"] == a.issuer().to_dict()
    assert d["records"][1]["record"] == "R2" and d["year_totals"] == [{"year": 2015, "minutes": 330}]

    # Not yet trusted: refused, nothing written.
    before = (len(b), b.head())
    with pytest.raises(vl.AuthorizationError) as info:
        b.import_transfer("admin", text)
    assert (info.value.code, info.value.family) == ("E_UNTRUSTED_ISSUER", "authorization")
    assert (len(b), b.head()) == before

    b.trust_issuer("admin", **a.issuer().to_dict())
    receipt = b.import_transfer("rec", text)
    assert receipt.to_dict() == {
        "volunteer": "V1",
        "package_hash": vl.package_hash(text),
        "records_added": 2,
        "minutes_added": 330,
        "overlapping": [],
        "minutes_overlapping": 0,
        "seq": receipt.seq,
        "duplicate": False,
    }
    view = b.volunteer("V1")
    assert (view.total_minutes, view.carried_minutes, view.transferred_out) == (390, 330, False)
    assert b.star_summary("V1").total_minutes == 390
    # Carried history counts for the person, not for this ledger's boards.
    assert b.leaderboard("2015").entries[0].minutes == 60

    # A second import changes nothing.
    head = (len(b), b.head())
    again = b.import_transfer("rec", text)
    assert again.duplicate and (again.records_added, again.minutes_added) == (0, 0)
    assert (len(b), b.head()) == head
    assert b.volunteer("V1").total_minutes == 390

    # The imported history replays with the rest of the log.
    assert b.replay().state_digest() == b.state_digest()
    assert b.verify().entries == len(b)


def test_altered_and_misdirected_packages() -> None:
    a, b = district("A", 1), district("B", 2)
    serve(a, "R1", 6, 2, 180)
    text = a.export_transfer("rec", "V1", destination="B")
    b.trust_issuer("admin", **a.issuer().to_dict())
    trusted = b.trusted_issuers()

    cases = [
        (text.replace('"minutes":180', '"minutes":190'), vl.IntegrityError, "E_TRANSFER_FORMAT"),
        (text.replace("助老服务", "助残服务"), vl.IntegrityError, "E_BAD_SIGNATURE"),
        (text.replace(',"', ', "'), vl.IntegrityError, "E_TRANSFER_FORMAT"),
        (text.replace("transfer@2", "transfer@3"), vl.IntegrityError, "E_TRANSFER_VERSION"),
        (text.replace('"ledger_id":"A"', '"ledger_id":"Z"'), vl.AuthorizationError, "E_UNTRUSTED_ISSUER"),
        ("not a package", vl.IntegrityError, "E_TRANSFER_FORMAT"),
    ]
    before = (len(b), b.head())
    for altered, cls, code in cases:
        with pytest.raises(cls) as info:
            b.import_transfer("admin", altered)
        assert info.value.code == code, altered
        with pytest.raises(cls) as info:
            vl.open_package(altered, trusted)
        assert info.value.code == code
    assert (len(b), b.head()) == before
    with pytest.raises(vl.InputError) as info:
        vl.open_package(text, [("", "00")])
    assert info.value.code in vl.ERROR_CODES and info.value.family == "input"

    # Meant for B: another ledger that trusts A still refuses it.
    c = district("C", 3)
    c.trust_issuer("admin", **a.issuer().to_dict())
    with pytest.raises(vl.IntegrityError) as info:
        c.import_transfer("admin", text)
    assert info.value.code == "E_TRANSFER_DESTINATION"

    # A package for someone else under the same volunteer number.
    a2 = district("A2", 4)
    serve(a2, "R1", 6, 2, 60)
    other = a2.export_transfer("admin", "V1")
    d = district("D2", 5, identity="44030419900307123X")
    d.trust_issuer("admin", **a2.issuer().to_dict())
    with pytest.raises(vl.IntegrityError) as info:
        d.import_transfer("admin", other)
    assert info.value.code == "E_TRANSFER_IDENTITY"
    assert "44030419900307123X" not in str(info.value) and ZHANG not in str(info.value)


# ---- certificates -------------------------------------------------------------------------


def issue(l: vl.Ledger, actor: str = "admin") -> vl.Certificate:
    return l.issue_certificate(
        actor,
        volunteer="V1",
        period_from=date(2015, 1, 1),
        period_to=date(2015, 12, 31),
        issuing_org="C1",
        responsible_person="李主任",
        handler="王干事",
        contact="0791-12345678",
    )


def test_certificate_issued_verified_and_superseded() -> None:
    a = district("A", 1)
    serve(a, "R1", 6, 2, 180)
    serve(a, "R2", 12, 5, 150)

    cert = issue(a)
    assert (cert.number, cert.volunteer, cert.total_minutes, cert.issued_on) == (
        "A-2015-000001",
        "V1",
        330,
        date(2015, 12, 20),
    )
    assert (cert.name, cert.identity_kind, cert.identity_number) == ("张三", "resident_id", ZHANG)
    assert (cert.issuing_org, cert.issuing_org_name, cert.ledger_id, cert.notes) == ("C1", "C1名", "A", "")
    assert cert.public_key == a.public_key()
    assert [(r.record, r.date, r.minutes, r.org_name) for r in cert.records] == [
        ("R1", date(2015, 6, 2), 180, "C1名"),
        ("R2", date(2015, 12, 5), 150, "C1名"),
    ]
    d = cert.to_dict()
    assert d["identity_number"] == ZHANG and d["records"][0]["record"] == "R1"
    assert d["verification_code"] == cert.verification_code
    # Its repr names the certificate, not the person.
    assert repr(cert).startswith("Certificate(number='A-2015-000001', volunteer='V1'")
    assert ZHANG not in repr(cert) and "张三" not in repr(cert)

    # Online: by code, masked.
    check = a.verify_certificate(cert.verification_code)
    assert check.status == "valid" and check.changed_records == []
    assert (check.number, check.masked_name, check.masked_identity, check.total_minutes) == (
        "A-2015-000001",
        "张*",
        "110105********002X",
        330,
    )
    assert (check.period_from, check.period_to, check.issued_on) == (date(2015, 1, 1), date(2015, 12, 31), date(2015, 12, 20))
    assert ZHANG not in repr(check) and "张三" not in repr(check)
    assert a.verify_certificate(cert.verification_code.lower().replace("-", " ")) == check
    info: pytest.ExceptionInfo[vl.LedgerError]
    with pytest.raises(vl.NotFoundError) as info:
        a.verify_certificate("0000-0000-0000-0000")
    assert info.value.code == "E_UNKNOWN_CERTIFICATE"

    # Offline: the holder's JSON, against the issuer's public key.
    held = vl.Certificate.from_json(cert.to_json())
    assert held == cert and held is not cert
    vl.verify_certificate_offline(held, a.public_key() or "")  # raises unless genuine
    with pytest.raises(vl.AuthorizationError) as info:
        vl.verify_certificate_offline(held, district("B", 2).public_key() or "")
    assert info.value.code == "E_UNTRUSTED_ISSUER"
    forged = vl.Certificate.from_json(cert.to_json().replace('"total_minutes":330', '"total_minutes":630'))
    assert forged != cert
    with pytest.raises(vl.IntegrityError) as info:
        vl.verify_certificate_offline(forged, a.public_key() or "")
    assert info.value.code == "E_BAD_SIGNATURE"

    # A certified record revoked later: the certificate checks as superseded.
    a.revoke_record("admin", "R1", "录入错误")
    later = a.verify_certificate(cert.verification_code)
    assert (later.status, later.changed_records) == ("superseded", ["R1"])
    # Offline the signature still holds: only the ledger knows what changed since.
    vl.verify_certificate_offline(held, a.public_key() or "")  # raises unless genuine


def test_certificate_refusals() -> None:
    a = district("A", 1)
    info: pytest.ExceptionInfo[vl.LedgerError]
    with pytest.raises(vl.AuthorizationError) as info:
        issue(a, actor="rec")
    assert info.value.code == "E_FORBIDDEN"
    with pytest.raises(vl.InputError) as info:
        a.issue_certificate(
            "admin",
            volunteer="V1",
            period_from=date(2015, 12, 31),
            period_to=date(2015, 1, 1),
            issuing_org="C1",
            responsible_person="李主任",
            handler="王干事",
            contact="0791-12345678",
        )
    assert info.value.code == "E_FIELD"
    with pytest.raises(TypeError):
        a.issue_certificate(
            "admin",
            volunteer="V1",
            period_from="2015-01-01",  # type: ignore[arg-type]
            period_to=date(2015, 12, 31),
            issuing_org="C1",
            responsible_person="李主任",
            handler="王干事",
            contact="0791-12345678",
        )
    with pytest.raises(vl.StateError) as info:
        issue(district("N", None))
    assert info.value.code == "E_NO_SIGNING_KEY"
    with pytest.raises(vl.IntegrityError) as info:
        vl.Certificate.from_json('{"number": "' + ZHANG + '"}')
    assert info.value.code == "E_CERTIFICATE_FORMAT" and ZHANG not in str(info.value)
    # An org certifies only service done at it or below: with none, there is no certificate.
    with pytest.raises(vl.InputError) as info:
        issue(a)
    assert info.value.code == "E_FIELD"
    # Unknown fields are refused, so nothing can ride along unsigned.
    serve(a, "R9", 6, 2, 60)
    good = issue(a)
    extra = good.to_json()[:-1] + ', "stamp": "x"}'
    with pytest.raises(vl.IntegrityError) as info:
        vl.Certificate.from_json(extra)
    assert info.value.code == "E_CERTIFICATE_FORMAT"


def test_certificate_rendering() -> None:
    a = district("A", 1)
    serve(a, "R1", 6, 2, 150)
    cert = issue(a)
    text = vl.certificate_text(cert)
    assert text.startswith("志愿服务记录证明 / Certificate of Volunteer Service Record")
    assert "负责人（签字）" in text and "经办人（签字）" in text
    assert ZHANG in text and "张三" in text and cert.verification_code in text
    page = vl.certificate_html(cert, verify_url="https://example.invalid/verify")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "https://example.invalid/verify?code=" in page
    assert vl.certificate_html(cert).startswith("<!DOCTYPE html>")


def test_certificate_qr_and_a_districts_template() -> None:
    a = district("A", 1)
    serve(a, "R1", 6, 2, 150)
    cert = issue(a)
    # Without a verify URL the QR code holds a text that names this signed certificate.
    qr = vl.certificate_qr_payload(cert)
    assert qr.splitlines()[0] == "VLCERT/1" and f"code={cert.verification_code}" in qr
    assert qr.isascii() and ZHANG not in qr
    vl.check_certificate_qr(cert, qr)
    with pytest.raises(vl.IntegrityError) as info:
        vl.check_certificate_qr(cert, qr.replace("VLCERT/1", "VLCERT/9"))
    assert info.value.code == "E_CERTIFICATE_FORMAT"
    url = vl.certificate_qr_payload(cert, "https://example.invalid/verify")
    assert url == f"https://example.invalid/verify?code={cert.verification_code}"
    # The default layout is a template a district can start from; its own renders escaped.
    assert "{{ name }}" in vl.DEFAULT_CERTIFICATE_TEMPLATE
    page = vl.certificate_html_with_template(cert, vl.DEFAULT_CERTIFICATE_TEMPLATE)
    assert page == vl.certificate_html(cert)
    own = vl.certificate_html_with_template(cert, "<h1>{{ title_zh }}</h1>{{ '<' ~ name }}")
    assert own.startswith("<h1>志愿服务记录证明</h1>&lt;")
    with pytest.raises(vl.InputError) as bad:
        vl.certificate_html_with_template(cert, "<p>\n{{ nmae }}</p>", "https://example.invalid/v")
    assert bad.value.code == "E_CERTIFICATE_TEMPLATE"
    assert "line 2" in str(bad.value) and "第 2 行" in str(bad.value)
    assert "E_CERTIFICATE_TEMPLATE" in vl.ERROR_CODES
