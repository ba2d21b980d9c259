"""Volunteer service records (志愿服务记录) from Python.

The rules live in the Rust core; this package is a thin binding of it::

    from datetime import datetime, timezone, timedelta
    import volunteer_ledger as vl

    ledger = vl.Ledger.in_memory("district", "某区", "admin")
    ledger.set_clock(datetime(2015, 6, 3, 12, 0))          # naive: read in the ledger's +08:00
    ledger.register_org("admin", id="D", name="某区", kind="district")
    ledger.register_volunteer("admin", id="V1", name="张三", identity_kind="resident_id",
                              identity_number="11010519491231002X", home_org="D")
    ledger.add_record("admin", id="R1", volunteer="V1", org="D", minutes=180,
                      start=datetime(2015, 6, 2, 9), end=datetime(2015, 6, 2, 12))
    ledger.leaderboard("2015-06").entries[0]   # BoardEntry(rank=1, id='V1', name='张*', minutes=180)

Datetimes: an aware ``datetime`` is the instant it names; a naive one is read in the
ledger's UTC offset (``utc_offset_minutes``, +08:00 by default). Returned datetimes are aware,
in the ledger's offset; the ledger keeps whole seconds.

Transfers and certificates: a ledger given a signing key (``set_signing_key``) exports a
volunteer's history as a signed package (``export_transfer``) that a ledger trusting it
imports once (``import_transfer``), and issues certificates (``issue_certificate``) that
anyone checks by code (``Ledger.verify_certificate``) or offline against the issuer's public
key (``Certificate.from_json`` and ``verify_certificate_offline``).

Files and closing: ``Ledger.create(path, ...)`` and ``Ledger.open(path)`` keep the ledger in
one SQLite file; ``with vl.Ledger.open(path) as ledger:`` writes a checkpoint and closes it at
the end of the block, after which every call raises ``ValueError``.

Progress: the calls that can take seconds — uploads, ``add_records``,
``register_volunteers``, ``open`` (the entries it replays), ``save_as`` and ``verify`` — take
``progress``, a callable told ``(done, total)``: ``0`` of the total first, then every 1000
rows, records or entries, and ``total`` of ``total`` at the end. It runs with the GIL, maybe
on another thread, must not call the same ledger, and an exception it raises is raised when
the call is over (the call is not cut short). ``tqdm_progress()`` makes one drawing a tqdm bar.

Data work: ``upload`` (CSV/XLSX bytes, dry run, ``progress``), ``read_sheet``,
``export_leaderboard`` / ``export_records`` (XLSX or CSV bytes), ``add_records`` from any
iterable of dicts, a pandas or polars DataFrame or a pyarrow Table (a lazy ``RecordResults``
sequence back, with counts, ``refusals()`` and ``to_pandas()``), ``confirm_records`` (many at
once, each on its own), and ``to_pandas()``, ``to_polars()`` and ``to_arrow()`` on boards,
reports and sheets (``vl.to_pandas(results)`` … for any list of results); each library is an
optional extra: ``volunteer-ledger[pandas]``, ``[polars]``, ``[arrow]``. A sheet is bytes, a
path or a file opened in binary mode.

Errors: every refusal raises a subclass of :class:`LedgerError` — one per error family
(``ERROR_FAMILIES``) — with the core's stable ``code`` (such as ``"E_OVERLAP"``), its
``family`` and the core's message. The families a Python user catches by a builtin are also
that builtin: ``InputError`` and ``ValidationError`` are ``ValueError``, ``NotFoundError`` a
``LookupError``, ``AuthorizationError`` a ``PermissionError``.
"""

import os as _os
from collections.abc import Sequence as _Sequence
from typing import Literal, Protocol, Union

from ._frames import to_arrow, to_pandas, to_polars
from ._progress import tqdm_progress
from ._native import (
    DEFAULT_CERTIFICATE_TEMPLATE,
    ERROR_CODES,
    ERROR_FAMILIES,
    PROFILES,
    SHIPPED_CALENDARS,
    TRANSFER_FORMAT,
    Activity,
    Anomaly,
    AssignedId,
    AuthorizationError,
    BoardEntry,
    CalendarYear,
    Certificate,
    CertificateCheck,
    CertificateCommendation,
    CertificateRecord,
    CertificateTraining,
    Commendation,
    CommunityVolunteer,
    ConflictError,
    CriterionLine,
    ExcellentCandidate,
    ImportReport,
    InclusionProof,
    InputError,
    IntegrityError,
    Issuer,
    Leaderboard,
    Ledger,
    LedgerError,
    LedgerWarning,
    LevelReached,
    MemberPeriod,
    NotFoundError,
    Org,
    PeriodInfo,
    PolicyError,
    Project,
    Receipt,
    RecordReceipt,
    RecordResults,
    RegisterReport,
    RowProblem,
    ServiceRecord,
    Sheet,
    SignedHead,
    SheetRecord,
    SheetRow,
    Standing,
    StarSummary,
    StateError,
    StorageError,
    SyncApplied,
    SyncReceipt,
    SyncRefusal,
    SyncResult,
    SyncStatus,
    Team,
    TeamFacts,
    TeamRating,
    TeamScore,
    Training,
    TransferPackage,
    TransferReceipt,
    TransferRecord,
    UnitReport,
    UnitStaffLine,
    ValidationError,
    VerifyReport,
    VolunteerSummary,
    VolunteerView,
    YearTotal,
    certificate_html,
    certificate_html_with_template,
    certificate_qr_payload,
    certificate_text,
    check_certificate_qr,
    mask_identity,
    mask_name,
    open_package,
    package_hash,
    period_info,
    periods_of,
    policy_profile,
    rank_pairs,
    rate_team,
    read_sheet,
    shipped_calendar,
    stars_for_minutes,
    team_scoring,
    validate_identity,
    verify_certificate_offline,
    __version__,
)

# add_records' results are a sequence: isinstance(results, Sequence) holds, as for a list.
_Sequence.register(RecordResults)

# The names the API takes and returns, for annotations (the stubs use the same aliases).
OrgKind = Literal[
    "district",
    "street",
    "community",
    "neighbourhood",
    "block",
    "work_unit",
    "volunteer_org",
    "other",
]
IdentityKind = Literal["resident_id", "passport", "hk_macau_permit", "taiwan_permit"]
RoleName = Literal["platform_admin", "org_admin", "recorder"]
RecordSource = Literal["entry", "check_in", "import", "transfer"]
RecordState = Literal["pending", "confirmed", "amended", "revoked", "disputed"]
BoardKind = Literal["volunteers", "teams", "orgs"]
VisibilityMode = Literal["public", "hidden", "pseudonym"]
CertificateStatus = Literal["valid", "superseded"]


class _BinaryFile(Protocol):
    def read(self, size: int, /) -> bytes: ...


# A sheet's contents, as upload, upload_volunteers, upload_orgs and read_sheet take them.
SheetData = Union[bytes, bytearray, memoryview, str, "_os.PathLike[str]", _BinaryFile]
ErrorFamily = Literal[
    "input",
    "validation",
    "authorization",
    "not_found",
    "conflict",
    "state",
    "integrity",
    "policy",
    "storage",
]

__all__ = [
    "DEFAULT_CERTIFICATE_TEMPLATE",
    "ERROR_CODES",
    "ERROR_FAMILIES",
    "PROFILES",
    "SHIPPED_CALENDARS",
    "TRANSFER_FORMAT",
    "Activity",
    "Anomaly",
    "AssignedId",
    "AuthorizationError",
    "BoardEntry",
    "CalendarYear",
    "Certificate",
    "CertificateCheck",
    "CertificateCommendation",
    "CertificateRecord",
    "CertificateTraining",
    "Commendation",
    "CommunityVolunteer",
    "ConflictError",
    "CriterionLine",
    "ExcellentCandidate",
    "ImportReport",
    "InclusionProof",
    "InputError",
    "IntegrityError",
    "Issuer",
    "Leaderboard",
    "Ledger",
    "LedgerError",
    "LedgerWarning",
    "LevelReached",
    "MemberPeriod",
    "NotFoundError",
    "Org",
    "PeriodInfo",
    "PolicyError",
    "Project",
    "Receipt",
    "RecordReceipt",
    "RecordResults",
    "RegisterReport",
    "RowProblem",
    "ServiceRecord",
    "Sheet",
    "SignedHead",
    "SheetRecord",
    "SheetRow",
    "Standing",
    "StarSummary",
    "StateError",
    "StorageError",
    "SyncApplied",
    "SyncReceipt",
    "SyncRefusal",
    "SyncResult",
    "SyncStatus",
    "Team",
    "TeamFacts",
    "TeamRating",
    "TeamScore",
    "Training",
    "TransferPackage",
    "TransferReceipt",
    "TransferRecord",
    "UnitReport",
    "UnitStaffLine",
    "ValidationError",
    "VerifyReport",
    "VolunteerSummary",
    "VolunteerView",
    "YearTotal",
    "__version__",
    "certificate_html",
    "certificate_html_with_template",
    "certificate_qr_payload",
    "certificate_text",
    "check_certificate_qr",
    "mask_identity",
    "mask_name",
    "open_package",
    "package_hash",
    "period_info",
    "periods_of",
    "policy_profile",
    "rank_pairs",
    "rate_team",
    "read_sheet",
    "shipped_calendar",
    "stars_for_minutes",
    "team_scoring",
    "to_arrow",
    "to_pandas",
    "to_polars",
    "tqdm_progress",
    "validate_identity",
    "verify_certificate_offline",
]
