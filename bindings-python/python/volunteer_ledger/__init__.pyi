# Hand-kept type stubs of volunteer_ledger (the native module volunteer_ledger._native).
# Keep in step with bindings-python/src/.

import os
from collections.abc import Sequence
from datetime import date, datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Optional, Protocol, Union, final, overload

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

# A frame of records or volunteers: a pandas or polars DataFrame, or a pyarrow Table.
_Frame = Union["pd.DataFrame", "pl.DataFrame", "pa.Table"]

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

__version__: str
PROFILES: tuple[str, ...]
SHIPPED_CALENDARS: tuple[str, ...]
ERROR_CODES: tuple[str, ...]
ERROR_FAMILIES: tuple[ErrorFamily, ...]
"""Every error family, in the core's order; each has its exception class ('not_found':
NotFoundError)."""
TRANSFER_FORMAT: str
DEFAULT_CERTIFICATE_TEMPLATE: str

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

SheetData = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", _BinaryFile]
"""A sheet's contents: bytes, a path (str or os.PathLike) or a file opened in binary mode.
A path or file is read to at most sheet_limits' MAX_UPLOAD_BYTES (256 MiB) + 1 bytes; more is
refused (InputError E_UPLOAD_TOO_LARGE); a missing file or a file opened in text mode raises
InputError (E_FIELD) naming the argument; another type raises TypeError."""

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

# ---- exceptions ----------------------------------------------------------------------------

class LedgerError(Exception):
    """Base class of every refusal of the ledger."""

    code: str
    """The core's stable error code, such as 'E_OVERLAP'."""
    family: ErrorFamily
    """The error family, one per subclass."""
    message_en: str
    """The message in English (no personal data)."""
    message_zh: str
    """The message in Chinese, with the same details."""
    fields: dict[str, str]
    """The error's values by name ('record', 'actor', 'seq', 'detail' ...), as text."""
    record: str | None
    """The record the error is about, if it is about one."""

class InputError(LedgerError, ValueError):
    """A value passed in is malformed (family 'input'); also a ValueError."""

class ValidationError(LedgerError, ValueError):
    """A service record breaks a rule of the policy (family 'validation'); also a ValueError."""

class AuthorizationError(LedgerError, PermissionError):
    """The actor may not make this change (family 'authorization'); also a PermissionError."""

class NotFoundError(LedgerError, LookupError):
    """Something named does not exist (family 'not_found'); also a LookupError."""

class ConflictError(LedgerError):
    """Something with this id exists already, with other content (family 'conflict')."""

class StateError(LedgerError):
    """The change does not fit the record's current state (family 'state')."""

class IntegrityError(LedgerError):
    """The log is damaged or does not replay (family 'integrity')."""

class PolicyError(LedgerError):
    """A policy is malformed or unknown (family 'policy')."""

class StorageError(LedgerError):
    """A ledger file could not be opened, read or written (family 'storage')."""

# ---- result objects ------------------------------------------------------------------------

@final
class Receipt:
    @property
    def seq(self) -> int: ...
    @property
    def hash(self) -> str: ...
    @property
    def duplicate(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class RecordReceipt:
    @property
    def record(self) -> str: ...
    @property
    def state(self) -> RecordState: ...
    @property
    def make_up(self) -> bool: ...
    @property
    def seq(self) -> int: ...
    @property
    def duplicate(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class RecordResults(Sequence[Union[RecordReceipt, LedgerError]]):
    """What ``Ledger.add_records`` did: one result per input record, in input order — a
    RecordReceipt for each record added (or repeated), the LedgerError (not raised) for each
    record refused. A read-only sequence (len, index, slice, iterate, ``in``) that makes each
    result's object when asked: a receipt is a new, equal object each time; a refusal is the
    same exception object each time. ``results + a_list`` is a list."""

    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: int) -> Union[RecordReceipt, LedgerError]: ...
    @overload
    def __getitem__(self, index: slice) -> list[Union[RecordReceipt, LedgerError]]: ...
    def __iter__(self) -> Iterator[Union[RecordReceipt, LedgerError]]: ...
    def __reversed__(self) -> Iterator[Union[RecordReceipt, LedgerError]]: ...
    def __contains__(self, value: object) -> bool: ...
    def index(self, value: Any, start: int = 0, stop: Optional[int] = None) -> int: ...
    def count(self, value: Any) -> int: ...
    def __add__(
        self, other: Union[RecordResults, list[Union[RecordReceipt, LedgerError]]]
    ) -> list[Union[RecordReceipt, LedgerError]]: ...
    def __radd__(
        self, other: list[Union[RecordReceipt, LedgerError]]
    ) -> list[Union[RecordReceipt, LedgerError]]: ...
    @property
    def added(self) -> int:
        """Records added (new to the ledger)."""
    @property
    def duplicates(self) -> int:
        """Records recorded before with the same content: nothing was written."""
    @property
    def refused(self) -> int:
        """Records refused."""
    def refusals(self) -> list[tuple[int, LedgerError]]:
        """The refusals, each with the record's place in the input."""
    def to_pandas(self) -> pd.DataFrame:
        """One row per input record (index: its place): record, state, make_up, seq,
        duplicate, then the refusal's code and message; a value a row lacks is NA. Typed
        (string, Int64, boolean) even when empty; needs pandas."""
    def to_polars(self) -> pl.DataFrame:
        """to_pandas' columns and types as a polars DataFrame; needs polars."""
    def to_arrow(self) -> pa.Table:
        """to_pandas' columns and types as a pyarrow Table; needs pyarrow."""

@final
class ServiceRecord:
    @property
    def id(self) -> str: ...
    @property
    def volunteer(self) -> str: ...
    @property
    def org(self) -> str: ...
    @property
    def team(self) -> Optional[str]: ...
    @property
    def activity(self) -> Optional[str]: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def minutes(self) -> int: ...
    @property
    def content(self) -> str: ...
    @property
    def source(self) -> RecordSource: ...
    @property
    def paid(self) -> bool: ...
    @property
    def job_duty(self) -> bool: ...
    @property
    def public_benefit(self) -> bool: ...
    @property
    def state(self) -> RecordState: ...
    @property
    def counted(self) -> bool: ...
    @property
    def make_up(self) -> bool: ...
    @property
    def recorded_by(self) -> str: ...
    @property
    def confirmed_by(self) -> Optional[str]: ...
    @property
    def amends(self) -> Optional[str]: ...
    @property
    def superseded_by(self) -> Optional[str]: ...
    @property
    def reason(self) -> Optional[str]: ...
    @property
    def entry_seq(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class VolunteerView:
    @property
    def id(self) -> str: ...
    @property
    def masked_name(self) -> str: ...
    @property
    def identity_kind(self) -> IdentityKind: ...
    @property
    def masked_identity(self) -> str: ...
    @property
    def identity_erased(self) -> bool:
        """Whether the identity number was erased (Ledger.erase_identity); the mask stays."""
    @property
    def masked_phone(self) -> Optional[str]:
        """The phone, masked (first 3 + last 4 digits), if one is held."""
    @property
    def home_org(self) -> Optional[str]: ...
    @property
    def work_unit(self) -> Optional[str]: ...
    @property
    def total_minutes(self) -> int:
        """Counted minutes, those carried in from other ledgers included."""
    @property
    def carried_minutes(self) -> int:
        """Of total_minutes, those carried in from other ledgers (转移接续)."""
    @property
    def visibility(self) -> VisibilityMode: ...
    @property
    def pseudonym(self) -> Optional[str]: ...
    @property
    def transferred_out(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class LevelReached:
    @property
    def level(self) -> int: ...
    @property
    def date(self) -> date: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class StarSummary:
    @property
    def total_minutes(self) -> int: ...
    @property
    def level(self) -> int: ...
    @property
    def reached(self) -> list[LevelReached]: ...
    @property
    def next_level(self) -> Optional[int]: ...
    @property
    def minutes_to_next(self) -> Optional[int]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class BoardEntry:
    @property
    def rank(self) -> int: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def name(self) -> str: ...
    @property
    def minutes(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Leaderboard:
    @property
    def period(self) -> str: ...
    @property
    def scope(self) -> str: ...
    @property
    def kind(self) -> BoardKind: ...
    @property
    def as_of_seq(self) -> int: ...
    @property
    def ranked(self) -> int: ...
    @property
    def entries(self) -> list[BoardEntry]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_pandas(self) -> pd.DataFrame:
        """The lines as a DataFrame (rank, id, name, minutes), typed even when empty; needs
        pandas."""
    def to_polars(self) -> pl.DataFrame:
        """The lines as a polars DataFrame; needs polars."""
    def to_arrow(self) -> pa.Table:
        """The lines as a pyarrow Table; needs pyarrow."""

@final
class Standing:
    @property
    def volunteer(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def scope(self) -> str: ...
    @property
    def minutes(self) -> int: ...
    @property
    def rank(self) -> Optional[int]: ...
    @property
    def ranked(self) -> int: ...
    @property
    def previous_rank(self) -> Optional[int]: ...
    @property
    def places_up(self) -> Optional[int]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class VerifyReport:
    @property
    def entries(self) -> int: ...
    @property
    def head_hash(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class SignedHead:
    """A ledger's signed statement of its log's head (docs/checkpoints.md)."""

    @staticmethod
    def from_json(text: str) -> SignedHead:
        """Reads to_json()'s form; IntegrityError E_CHECKPOINT_FORMAT for text that is not one."""
    def to_json(self) -> str:
        """Canonical JSON (keys sorted, no whitespace): the form to publish."""
    def signed_bytes(self) -> bytes:
        """The exact bytes the signature covers."""
    def check(self, trusted_public_key: str) -> None:
        """Format and signature against a trusted key (E_UNTRUSTED_ISSUER, E_BAD_SIGNATURE)."""
    def check_inclusion(self, entry_hash: str, proof: InclusionProof) -> None:
        """The entry with that hash is at proof.index among the entries the head covers
        (E_CHECKPOINT_MISMATCH, E_CHECKPOINT_FORMAT)."""
    @property
    def format(self) -> str: ...
    @property
    def head_hash(self) -> str: ...
    @property
    def ledger_id(self) -> str: ...
    @property
    def public_key(self) -> str: ...
    @property
    def root_hash(self) -> str: ...
    @property
    def signature(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def time(self) -> datetime: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class InclusionProof:
    """An entry's RFC 9162 inclusion path in the tree a signed head covers."""

    @property
    def index(self) -> int: ...
    @property
    def path(self) -> list[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class LedgerWarning:
    """What an operation noticed and worked around, with a stable code ('W_SNAPSHOT_IGNORED')."""

    @property
    def code(self) -> str: ...
    @property
    def message_en(self) -> str: ...
    @property
    def message_zh(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class PeriodInfo:
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> Literal["week", "month", "year", "all"]: ...
    @property
    def first_day(self) -> Optional[date]: ...
    @property
    def last_day(self) -> Optional[date]: ...
    @property
    def previous(self) -> Optional[str]: ...
    @property
    def next(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Issuer:
    @property
    def ledger_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def public_key(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class TransferRecord:
    @property
    def ledger(self) -> str: ...
    @property
    def record(self) -> str: ...
    @property
    def org(self) -> str: ...
    @property
    def org_name(self) -> str: ...
    @property
    def start(self) -> datetime:
        """Aware, in UTC."""
    @property
    def end(self) -> datetime:
        """Aware, in UTC."""
    @property
    def minutes(self) -> int: ...
    @property
    def content(self) -> str: ...
    @property
    def entry_hash(self) -> str: ...
    @property
    def proof(self) -> Optional[InclusionProof]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class YearTotal:
    @property
    def year(self) -> int: ...
    @property
    def minutes(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class TransferPackage:
    @property
    def format(self) -> str: ...
    @property
    def issuer(self) -> Issuer: ...
    @property
    def destination(self) -> Optional[str]: ...
    @property
    def issued_at(self) -> datetime:
        """Aware, in UTC."""
    @property
    def volunteer(self) -> str: ...
    @property
    def masked_name(self) -> str: ...
    @property
    def identity_kind(self) -> IdentityKind: ...
    @property
    def masked_identity(self) -> str: ...
    @property
    def total_minutes(self) -> int: ...
    @property
    def year_totals(self) -> list[YearTotal]: ...
    @property
    def star_profile(self) -> str: ...
    @property
    def star_level(self) -> int: ...
    @property
    def stars_reached(self) -> list[LevelReached]: ...
    @property
    def records(self) -> list[TransferRecord]: ...
    @property
    def checkpoint(self) -> Optional[SignedHead]:
        """The issuer's signed head (None for transfer@1 packages)."""
    def to_dict(self) -> dict[str, Any]: ...

@final
class SyncResult:
    @property
    def record(self) -> str: ...
    @property
    def outcome(self) -> Literal["accepted", "already_had", "refused"]: ...
    @property
    def seq(self) -> Optional[int]: ...
    @property
    def entry_hash(self) -> Optional[str]: ...
    @property
    def state(self) -> Optional[str]: ...
    @property
    def make_up(self) -> Optional[bool]: ...
    @property
    def code(self) -> Optional[str]: ...
    @property
    def message_en(self) -> Optional[str]: ...
    @property
    def message_zh(self) -> Optional[str]: ...
    @property
    def proof(self) -> Optional[InclusionProof]:
        """Entry seq's path to the receipt's head (None if refused)."""
    def to_dict(self) -> dict[str, Any]: ...

@final
class SyncReceipt:
    @property
    def ledger(self) -> str: ...
    @property
    def device(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def batch(self) -> str: ...
    @property
    def results(self) -> list[SyncResult]: ...
    @property
    def head(self) -> SignedHead:
        """The server's signed head once the batch was recorded."""
    @property
    def public_key(self) -> str: ...
    @property
    def json(self) -> str:
        """The signed receipt, 'volunteer-ledger/sync-receipt@3'."""
    def to_dict(self) -> dict[str, Any]: ...

@final
class SyncRefusal:
    @property
    def record(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def message_en(self) -> str: ...
    @property
    def message_zh(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class SyncApplied:
    @property
    def acknowledged(self) -> int: ...
    @property
    def refused(self) -> list[SyncRefusal]: ...
    @property
    def ignored(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class SyncStatus:
    @property
    def unsent(self) -> int: ...
    @property
    def acknowledged(self) -> int: ...
    @property
    def refused(self) -> list[SyncRefusal]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class TransferReceipt:
    @property
    def volunteer(self) -> str: ...
    @property
    def package_hash(self) -> str: ...
    @property
    def records_added(self) -> int: ...
    @property
    def minutes_added(self) -> int: ...
    @property
    def overlapping(self) -> list[str]: ...
    @property
    def minutes_overlapping(self) -> int: ...
    @property
    def seq(self) -> int: ...
    @property
    def duplicate(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class CertificateRecord:
    @property
    def record(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def org_name(self) -> str: ...
    @property
    def minutes(self) -> int: ...
    @property
    def content(self) -> str: ...
    @property
    def entry_hash(self) -> str: ...
    @property
    def proof(self) -> Optional[InclusionProof]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class CertificateTraining:
    @property
    def title(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def minutes(self) -> int: ...
    @property
    def org_name(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class CertificateCommendation:
    @property
    def title(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def org_name(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Certificate:
    """A service certificate (志愿服务证明) as the volunteer holds it, identity in full."""

    @staticmethod
    def from_json(text: str) -> Certificate:
        """Reads to_json()'s form; raises InputError (E_FIELD) for text that is not one."""
    def to_json(self) -> str:
        """Canonical JSON (keys sorted, no whitespace), the form the shared vectors use."""
    @property
    def number(self) -> str: ...
    @property
    def volunteer(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def identity_kind(self) -> IdentityKind: ...
    @property
    def identity_number(self) -> str: ...
    @property
    def period_from(self) -> date: ...
    @property
    def period_to(self) -> date: ...
    @property
    def total_minutes(self) -> int: ...
    @property
    def records(self) -> list[CertificateRecord]: ...
    @property
    def training(self) -> list[CertificateTraining]: ...
    @property
    def commendations(self) -> list[CertificateCommendation]: ...
    @property
    def issuing_org(self) -> str: ...
    @property
    def issuing_org_name(self) -> str: ...
    @property
    def responsible_person(self) -> str: ...
    @property
    def handler(self) -> str: ...
    @property
    def contact(self) -> str: ...
    @property
    def notes(self) -> str: ...
    @property
    def issued_on(self) -> date: ...
    @property
    def ledger_id(self) -> str: ...
    @property
    def ledger_name(self) -> str: ...
    @property
    def public_key(self) -> str: ...
    @property
    def signature(self) -> str: ...
    @property
    def verification_code(self) -> str: ...
    @property
    def checkpoint(self) -> Optional[SignedHead]:
        """The issuer's signed head before it (None for older certificates)."""
    def to_dict(self) -> dict[str, Any]: ...

@final
class CertificateCheck:
    @property
    def status(self) -> CertificateStatus: ...
    @property
    def number(self) -> str: ...
    @property
    def volunteer(self) -> str: ...
    @property
    def masked_name(self) -> str: ...
    @property
    def identity_kind(self) -> IdentityKind: ...
    @property
    def masked_identity(self) -> str: ...
    @property
    def period_from(self) -> date: ...
    @property
    def period_to(self) -> date: ...
    @property
    def total_minutes(self) -> int: ...
    @property
    def issuing_org_name(self) -> str: ...
    @property
    def issued_on(self) -> date: ...
    @property
    def changed_records(self) -> list[str]: ...
    @property
    def corrected(self) -> list[str]:
        """What it shows that was corrected after issue: 'name', 'identity_number'."""
    def to_dict(self) -> dict[str, Any]: ...

# ---- teams, activities, ratings, reports, uploads -------------------------------------------

@final
class Org:
    """An org as registered."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> OrgKind: ...
    @property
    def parent(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Team:
    """A team as created; its members over time: Ledger.team_members."""

    @property
    def id(self) -> str: ...
    @property
    def org(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def leader(self) -> str: ...
    @property
    def liaisons(self) -> list[str]: ...
    @property
    def members(self) -> list[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class MemberPeriod:
    """A volunteer's membership of a team: when they joined and, if they did, left."""

    @property
    def volunteer(self) -> str: ...
    @property
    def joined(self) -> date: ...
    @property
    def left(self) -> Optional[date]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Project:
    """A service project (服务项目) an org published, and the team that claimed it."""

    @property
    def id(self) -> str: ...
    @property
    def org(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def claimed_by(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Activity:
    """An activity (活动): what was planned, and what its records and evaluations show."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def org(self) -> str: ...
    @property
    def team(self) -> Optional[str]: ...
    @property
    def project(self) -> Optional[str]: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def category(self) -> Optional[str]: ...
    @property
    def records(self) -> list[str]: ...
    @property
    def counted_minutes(self) -> int: ...
    @property
    def evaluations(self) -> int: ...
    @property
    def average_evaluation_tenths(self) -> Optional[int]: ...
    @property
    def complaints(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class CalendarYear:
    """A year's working-day calendar: its holidays (放假) and the Saturdays and Sundays made
    working days (调休上班), each in date order."""

    @property
    def year(self) -> int: ...
    @property
    def holidays(self) -> list[date]: ...
    @property
    def working_days(self) -> list[date]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Training:
    """A training (培训) a volunteer attended."""

    @property
    def id(self) -> str: ...
    @property
    def volunteer(self) -> str: ...
    @property
    def org(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def minutes(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Commendation:
    """A commendation (表彰奖励) a volunteer received."""

    @property
    def id(self) -> str: ...
    @property
    def volunteer(self) -> str: ...
    @property
    def org(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def date(self) -> date: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class VolunteerSummary:
    """Everything the ledger knows about a volunteer's service, masked."""

    @property
    def volunteer(self) -> VolunteerView: ...
    @property
    def stars(self) -> StarSummary: ...
    @property
    def training(self) -> list[Training]: ...
    @property
    def commendations(self) -> list[Commendation]: ...
    @property
    def evaluations(self) -> int: ...
    @property
    def average_evaluation_tenths(self) -> Optional[int]: ...
    @property
    def complaints_received(self) -> int: ...
    @property
    def teams(self) -> list[str]: ...
    @property
    def reported_in(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class TeamFacts:
    """What a team did in a year: the facts a scoring table rates."""

    @property
    def active_members(self) -> int: ...
    @property
    def complaints(self) -> int: ...
    @property
    def evaluations(self) -> int: ...
    @property
    def evaluation_points(self) -> int: ...
    @property
    def first_saturday_months(self) -> int: ...
    @property
    def members(self) -> int: ...
    @property
    def min_member_minutes(self) -> int: ...
    @property
    def months_active(self) -> int: ...
    @property
    def total_minutes(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class CriterionLine:
    """One criterion of a team's score: what was measured and the points it gave."""

    @property
    def metric(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def value(self) -> int: ...
    @property
    def target(self) -> int: ...
    @property
    def points(self) -> int: ...
    @property
    def weight(self) -> int: ...
    @property
    def met(self) -> bool: ...
    @property
    def text_en(self) -> str: ...
    @property
    def text_zh(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class TeamScore:
    """A score by a scoring table: points, stars, level name and the breakdown."""

    @property
    def scoring(self) -> str: ...
    @property
    def score(self) -> int: ...
    @property
    def stars(self) -> int: ...
    @property
    def level_name(self) -> Optional[str]: ...
    @property
    def lines(self) -> list[CriterionLine]: ...
    @property
    def summary_en(self) -> str: ...
    @property
    def summary_zh(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class TeamRating:
    """A team's star rating (服务队星级评定) for a year."""

    @property
    def team(self) -> str: ...
    @property
    def team_name(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def facts(self) -> TeamFacts: ...
    @property
    def score(self) -> TeamScore: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class ExcellentCandidate:
    """A volunteer the policy's rule proposes as excellent (优秀志愿者) for a year, with why."""

    @property
    def volunteer(self) -> str: ...
    @property
    def masked_name(self) -> str: ...
    @property
    def street(self) -> Optional[str]: ...
    @property
    def year_minutes(self) -> int: ...
    @property
    def star_level(self) -> int: ...
    @property
    def rank_in_street(self) -> int: ...
    @property
    def reason_en(self) -> str: ...
    @property
    def reason_zh(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class UnitStaffLine:
    """One staff member of a unit's report."""

    @property
    def volunteer(self) -> str: ...
    @property
    def masked_name(self) -> str: ...
    @property
    def minutes(self) -> int: ...
    @property
    def star_level(self) -> int: ...
    @property
    def community(self) -> Optional[str]: ...
    @property
    def community_name(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class UnitReport:
    """A work unit's (机关/事业单位) report of its staff's service in their communities."""

    @property
    def unit(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def staff(self) -> list[UnitStaffLine]: ...
    @property
    def served(self) -> int: ...
    @property
    def total_minutes(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_pandas(self) -> pd.DataFrame:
        """Its lines as a DataFrame, typed even when empty; needs pandas."""
    def to_polars(self) -> pl.DataFrame:
        """Its lines as a polars DataFrame, typed even when empty; needs polars."""
    def to_arrow(self) -> pa.Table:
        """Its lines as a pyarrow Table, typed even when empty; needs pyarrow."""

@final
class CommunityVolunteer:
    """A volunteer who lives in, or reported in to, a community."""

    @property
    def volunteer(self) -> str: ...
    @property
    def masked_name(self) -> str: ...
    @property
    def work_unit(self) -> Optional[str]: ...
    @property
    def reported_in(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Anomaly:
    """Something the anti-fraud checks flag for a person to look at (not a refusal)."""

    @property
    def kind(self) -> str: ...
    @property
    def record(self) -> Optional[str]: ...
    @property
    def volunteer(self) -> Optional[str]: ...
    @property
    def actor(self) -> Optional[str]: ...
    @property
    def day(self) -> date: ...
    @property
    def reason_en(self) -> str: ...
    @property
    def reason_zh(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class RowProblem:
    """A row of a sheet that was not added, and why: no personal data in the messages."""

    @property
    def row(self) -> int: ...
    @property
    def column(self) -> Optional[str]: ...
    @property
    def code(self) -> str: ...
    @property
    def message_en(self) -> str: ...
    @property
    def message_zh(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class ImportReport:
    """What an upload did (or, for a dry run, would do)."""

    @property
    def fingerprint(self) -> str: ...
    @property
    def dry_run(self) -> bool: ...
    @property
    def rows(self) -> int: ...
    @property
    def accepted(self) -> int: ...
    @property
    def pending(self) -> int: ...
    @property
    def duplicates(self) -> int: ...
    @property
    def amended(self) -> int: ...
    @property
    def rejected(self) -> list[RowProblem]: ...
    @property
    def refused(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_pandas(self) -> pd.DataFrame:
        """Its lines as a DataFrame, typed even when empty; needs pandas."""
    def to_polars(self) -> pl.DataFrame:
        """Its lines as a polars DataFrame, typed even when empty; needs polars."""
    def to_arrow(self) -> pa.Table:
        """Its lines as a pyarrow Table, typed even when empty; needs pyarrow."""

@final
class AssignedId:
    """An id made for a row that gave none."""

    @property
    def row(self) -> int: ...
    @property
    def id(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class RegisterReport:
    """What an upload of the register (volunteers or orgs) did."""

    @property
    def fingerprint(self) -> str: ...
    @property
    def dry_run(self) -> bool: ...
    @property
    def rows(self) -> int: ...
    @property
    def accepted(self) -> int: ...
    @property
    def duplicates(self) -> int: ...
    @property
    def assigned(self) -> list[AssignedId]: ...
    @property
    def rejected(self) -> list[RowProblem]: ...
    @property
    def refused(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_pandas(self) -> pd.DataFrame:
        """Its lines as a DataFrame, typed even when empty; needs pandas."""
    def to_polars(self) -> pl.DataFrame:
        """Its lines as a polars DataFrame, typed even when empty; needs polars."""
    def to_arrow(self) -> pa.Table:
        """Its lines as a pyarrow Table, typed even when empty; needs pyarrow."""

@final
class SheetRecord:
    """A record as a sheet row gives it: `to_dict()` gives the keywords of `Ledger.add_record`."""

    @property
    def id(self) -> str: ...
    @property
    def volunteer(self) -> str: ...
    @property
    def org(self) -> str: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def minutes(self) -> int: ...
    @property
    def content(self) -> str: ...
    @property
    def team(self) -> Optional[str]: ...
    @property
    def activity(self) -> Optional[str]: ...
    @property
    def source(self) -> str: ...
    @property
    def paid(self) -> bool: ...
    @property
    def job_duty(self) -> bool: ...
    @property
    def public_benefit(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class SheetRow:
    """One data row of a sheet: a record, or the problem that keeps it from being one."""

    @property
    def row(self) -> int: ...
    @property
    def record(self) -> Optional[SheetRecord]: ...
    @property
    def problem(self) -> Optional[RowProblem]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Sheet:
    """A sheet as read, before anything is added: its header and its rows."""

    @property
    def fingerprint(self) -> str: ...
    @property
    def header_row(self) -> int: ...
    @property
    def columns(self) -> list[tuple[str, str]]: ...
    @property
    def rows(self) -> list[SheetRow]: ...
    @property
    def unlisted_problems(self) -> int: ...
    @property
    def utc_offset_minutes(self) -> int:
        """The UTC offset the sheet's times were read in, in minutes."""
    def to_dict(self) -> dict[str, Any]: ...
    def to_pandas(self) -> pd.DataFrame:
        """Its lines as a DataFrame, typed even when empty; needs pandas."""
    def to_polars(self) -> pl.DataFrame:
        """Its lines as a polars DataFrame, typed even when empty; needs polars."""
    def to_arrow(self) -> pa.Table:
        """Its lines as a pyarrow Table, typed even when empty; needs pyarrow."""

# ---- the ledger ----------------------------------------------------------------------------

@final
class Ledger:
    """A ledger of volunteer service records.

    A naive ``datetime`` argument is read in the ledger's UTC offset; an aware one is the
    instant it names. Returned datetimes are aware, in the ledger's offset.
    """

    @staticmethod
    def in_memory(
        ledger_id: str,
        name: str,
        platform_admin: str,
        *,
        utc_offset_minutes: int = 480,
        policy: str = "mca",
        policy_toml: Optional[str] = None,
    ) -> Ledger: ...
    @staticmethod
    def create(
        path: Union[str, os.PathLike[str]],
        ledger_id: str,
        name: str,
        platform_admin: str,
        *,
        utc_offset_minutes: int = 480,
        policy: str = "mca",
        policy_toml: Optional[str] = None,
        key: Optional[bytes] = None,
        key_provider: Optional[Callable[[str], Optional[bytes]]] = None,
        key_id: str = "k1",
        mask_only: bool = False,
    ) -> Ledger:
        """Creates a ledger file (SQLite, see docs/schema.md); StorageError if one exists.

        Identity keys: by default a key file ``<path>.key`` is written beside it. Or at most
        one of ``key`` (32 bytes, id ``key_id``), ``key_provider`` (key id -> 32 bytes,
        ``key_id`` current; anything else refuses with E_KEY_UNAVAILABLE) and ``mask_only``.
        """
    @staticmethod
    def open(
        path: Union[str, os.PathLike[str]],
        *,
        key: Optional[bytes] = None,
        key_provider: Optional[Callable[[str], Optional[bytes]]] = None,
        key_id: str = "k1",
        progress: Optional[Callable[[int, int], object]] = None,
    ) -> Ledger:
        """Opens a ledger file; IntegrityError E_SCHEMA_VERSION for a newer file.

        Keys from the key file beside it, or from ``key`` / ``key_provider`` as for create.
        ``progress(done, total)``: the entries replayed (none after a clean close).
        """
    @property
    def has_identity_key(self) -> bool:
        """Whether identity numbers can be opened now (False: masked output only)."""
    def rotate_key(self) -> str:
        """A new ledger key this library keeps becomes current; returns its id."""
    def erase_identity(self, actor: str, volunteer: str) -> Receipt:
        """Destroys the volunteer's identity number for good (PIPL Art. 47)."""
    def signed_head(self) -> SignedHead:
        """Signs the log's head; a ledger file keeps the latest (kept_signed_head)."""
    def verify_against(
        self, heads: Sequence[SignedHead], *, progress: Optional[Callable[[int, int], object]] = None
    ) -> VerifyReport:
        """verify() plus every head (E_CHECKPOINT_MISMATCH for a rewritten history)."""
    def kept_signed_head(self) -> Optional[SignedHead]: ...
    def open_warnings(self) -> list[LedgerWarning]: ...
    @property
    def path(self) -> Optional[str]: ...
    def checkpoint(self) -> None: ...
    def rebuild_projections(self) -> None: ...
    def save_as(
        self, path: Union[str, os.PathLike[str]], *, progress: Optional[Callable[[int, int], object]] = None
    ) -> Ledger:
        """Writes the whole log into a new file; returns that file's ledger."""
    @property
    def replayed_at_open(self) -> int: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None:
        """Checkpoint and close; every later call raises ValueError."""
    def __enter__(self) -> Ledger: ...
    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> bool: ...
    @property
    def utc_offset_minutes(self) -> int: ...
    def set_clock(self, now: Optional[datetime]) -> None: ...
    def now(self) -> datetime: ...
    def register_org(
        self,
        actor: str,
        *,
        id: str,
        name: str,
        kind: OrgKind,
        parent: Optional[str] = None,
    ) -> Receipt: ...
    def grant_role(
        self, actor: str, grantee: str, role: RoleName, org: Optional[str] = None
    ) -> Receipt: ...
    def register_volunteer(
        self,
        actor: str,
        *,
        id: str,
        name: str,
        identity_kind: IdentityKind,
        identity_number: str,
        home_org: Optional[str] = None,
    ) -> Receipt: ...
    def correct_volunteer(
        self,
        actor: str,
        volunteer: str,
        *,
        name: Optional[str] = None,
        identity_kind: Optional[IdentityKind] = None,
        identity_number: Optional[str] = None,
        phone: Optional[str] = None,
        reason: str,
    ) -> Receipt:
        """Corrects a name, identity number or phone (logged; old certificates superseded)."""
    def volunteer_phone(self, volunteer: str) -> Optional[str]:
        """The volunteer's phone in full (E_KEY_UNAVAILABLE without the keys)."""
    def create_team(
        self,
        actor: str,
        *,
        id: str,
        org: str,
        name: str,
        leader: str,
        liaisons: Sequence[str] = (),
        members: Sequence[str] = (),
    ) -> Receipt: ...
    def add_record(
        self,
        actor: str,
        *,
        id: str,
        volunteer: str,
        org: str,
        start: datetime,
        end: datetime,
        minutes: int,
        content: str = "",
        team: Optional[str] = None,
        activity: Optional[str] = None,
        source: RecordSource = "entry",
        paid: bool = False,
        job_duty: bool = False,
        public_benefit: bool = True,
    ) -> RecordReceipt: ...
    def add_records(
        self,
        actor: str,
        records: Union[Iterable[dict[str, Any]], _Frame],
        *,
        progress: Optional[Callable[[int, int], object]] = None,
    ) -> RecordResults:
        """Dicts of add_record's keywords, or a pandas or polars DataFrame or pyarrow Table
        with those columns (polars and Arrow go through pandas); refusals are returned in
        place, not raised."""
    def confirm_record(self, actor: str, record: str) -> Receipt: ...
    def confirm_records(
        self, actor: str, records: Iterable[str]
    ) -> list[Union[Receipt, LedgerError]]:
        """Confirms each record as confirm_record does, each on its own, in one transaction:
        in input order, a Receipt per record confirmed, the LedgerError (not raised) per
        record refused."""
    def revoke_record(self, actor: str, record: str, reason: str) -> Receipt: ...
    def dispute_record(self, actor: str, record: str, reason: str) -> Receipt: ...
    def resolve_dispute(self, actor: str, record: str, note: str) -> Receipt: ...
    def amend_record(
        self,
        actor: str,
        record: str,
        reason: str,
        *,
        id: str,
        volunteer: str,
        org: str,
        start: datetime,
        end: datetime,
        minutes: int,
        content: str = "",
        team: Optional[str] = None,
        activity: Optional[str] = None,
        source: RecordSource = "entry",
        paid: bool = False,
        job_duty: bool = False,
        public_benefit: bool = True,
    ) -> RecordReceipt: ...
    def set_visibility(
        self,
        actor: str,
        volunteer: str,
        mode: VisibilityMode,
        pseudonym: Optional[str] = None,
    ) -> Receipt: ...
    def set_signing_key(self, actor: str, seed: bytes) -> Receipt:
        """seed: 32 bytes. Registers the public key in the log the first time."""
    def public_key(self) -> Optional[str]: ...
    def issuer(self) -> Issuer:
        """Raises StateError (E_NO_SIGNING_KEY) without a signing key."""
    def trust_issuer(
        self, actor: str, *, ledger_id: str, name: str, public_key: str
    ) -> Receipt: ...
    def trusted_issuers(self) -> list[tuple[str, str]]:
        """(ledger id, public key) pairs."""
    def move_volunteer(
        self,
        actor: str,
        volunteer: str,
        *,
        home_org: Optional[str] = None,
        work_unit: Optional[str] = None,
    ) -> Receipt: ...
    def export_transfer(
        self, actor: str, volunteer: str, *, destination: Optional[str] = None
    ) -> str:
        """The signed package's text; marks the volunteer transferred out."""
    def transfer_package(
        self, volunteer: str, *, destination: Optional[str] = None
    ) -> TransferPackage:
        """A preview of export_transfer: unsigned, nothing marked; times in UTC."""
    def policy(self, format: Literal["toml", "json"] = "toml") -> str: ...
    def import_transfer(self, actor: str, package: str) -> TransferReceipt: ...
    def trust_sync_server(self, ledger_id: str, public_key: str) -> None: ...
    def sync_server(self) -> Optional[tuple[str, str]]: ...
    def sync_server_head(self) -> Optional[SignedHead]:
        """The largest server head an applied receipt carried (None before one)."""
    def sync_batch(self, actor: str, limit: int = 1000) -> str: ...
    def import_sync_batch(self, sender: str, batch: str) -> SyncReceipt: ...
    def apply_sync_receipt(self, receipt: str) -> SyncApplied:
        """receipt: sync-receipt@3 JSON; checks its signature, head and every proof."""
    def sync_status(self, actor: Optional[str] = None) -> SyncStatus: ...
    def retry_sync(self, record: str) -> bool: ...
    def issue_certificate(
        self,
        actor: str,
        *,
        volunteer: str,
        period_from: date,
        period_to: date,
        issuing_org: str,
        responsible_person: str,
        handler: str,
        contact: str,
        notes: str = "",
        with_training_and_commendations: bool = False,
    ) -> Certificate: ...
    def verify_certificate(self, code: str) -> CertificateCheck:
        """Raises NotFoundError (E_UNKNOWN_CERTIFICATE) for a code not issued here."""
    def record(self, id: str) -> ServiceRecord: ...
    def records_of(self, volunteer: str) -> list[ServiceRecord]: ...
    def record_count(self) -> int: ...
    def volunteer(self, id: str) -> VolunteerView: ...
    def star_summary(self, volunteer: str) -> StarSummary: ...
    def leaderboard(
        self,
        period: str,
        scope: str = "all",
        kind: BoardKind = "volunteers",
        limit: int = 100,
    ) -> Leaderboard: ...
    def leaderboard_as_of(
        self,
        seq: int,
        period: str,
        scope: str = "all",
        kind: BoardKind = "volunteers",
        limit: int = 100,
    ) -> Leaderboard: ...
    def standing(self, volunteer: str, period: str, scope: str = "all") -> Standing: ...
    def verify(self, *, progress: Optional[Callable[[int, int], object]] = None) -> VerifyReport: ...
    def replay(self) -> Ledger: ...
    def state_digest(self) -> str: ...
    def head(self) -> tuple[int, str]: ...
    def org(self, id: str) -> Org: ...
    def team(self, id: str) -> Team:
        """As created; members over time: team_members."""
    def records_of_org(self, org: str) -> list[ServiceRecord]: ...
    def join_team(
        self, actor: str, *, team: str, volunteer: str, date: Union[date, datetime]
    ) -> None: ...
    def leave_team(
        self, actor: str, *, team: str, volunteer: str, date: Union[date, datetime]
    ) -> None: ...
    def team_members(self, team: str) -> list[MemberPeriod]: ...
    def publish_project(
        self, actor: str, *, id: str, org: str, name: str, category: str
    ) -> None: ...
    def claim_project(self, actor: str, *, project: str, team: str) -> None: ...
    def project(self, id: str) -> Project: ...
    def create_activity(
        self,
        actor: str,
        *,
        id: str,
        org: str,
        name: str,
        start: datetime,
        end: datetime,
        team: Optional[str] = None,
        project: Optional[str] = None,
    ) -> None: ...
    def evaluate_activity(
        self,
        actor: str,
        *,
        activity: str,
        score: int,
        source: Literal["recipient", "org"] = "recipient",
    ) -> None: ...
    def record_complaint(
        self, actor: str, *, activity: str, reason: str, volunteer: Optional[str] = None
    ) -> None: ...
    def activity(self, id: str) -> Activity: ...
    def set_calendar(
        self,
        actor: str,
        year: int,
        holidays: Sequence[Union[date, datetime]],
        working_days: Sequence[Union[date, datetime]],
    ) -> None:
        """Sets (or corrects) a year's working-day calendar; a platform admin only. Judges
        the records added from now on; records judged before keep their judgement."""
    def calendar(self, year: int) -> CalendarYear:
        """The working-day calendar in force for a year."""
    def is_working_day(self, date: Union[date, datetime]) -> bool: ...
    def record_training(
        self,
        actor: str,
        *,
        id: str,
        volunteer: str,
        org: str,
        title: str,
        date: Union[date, datetime],
        minutes: int,
    ) -> None: ...
    def record_commendation(
        self,
        actor: str,
        *,
        id: str,
        volunteer: str,
        org: str,
        title: str,
        date: Union[date, datetime],
    ) -> None: ...
    def report_in(
        self,
        actor: str,
        *,
        volunteer: str,
        community: str,
        work_unit: str,
        date: Union[date, datetime],
    ) -> None: ...
    def volunteer_summary(self, volunteer: str) -> VolunteerSummary: ...
    def unit_report(self, unit: str, period: str) -> UnitReport: ...
    def community_volunteers(self, community: str) -> list[CommunityVolunteer]: ...
    def anomalies(self, period: str) -> list[Anomaly]: ...
    def team_facts(self, team: str, year: int) -> TeamFacts: ...
    def team_rating(self, team: str, year: int) -> TeamRating: ...
    def team_rating_by(
        self, team: str, year: int, table: Union[str, Mapping[str, Any]]
    ) -> TeamRating: ...
    def team_ratings(self, year: int, scope: str = "all") -> list[TeamRating]: ...
    def excellent_candidates(
        self, year: int, scope: str = "all"
    ) -> list[ExcellentCandidate]: ...
    def upload(
        self,
        actor: str,
        data: SheetData,
        *,
        dry_run: bool = False,
        format: Optional[Literal["csv", "xlsx"]] = None,
        encoding: Literal["auto", "utf8", "gbk"] = "auto",
        default_org: Optional[str] = None,
        sheet: Optional[str] = None,
        progress: Optional[Callable[[int, int], object]] = None,
        amend_changed: bool = False,
    ) -> ImportReport:
        """Each good row added, every other one reported; progress(done, total)."""
    def upload_volunteers(
        self,
        actor: str,
        data: SheetData,
        *,
        dry_run: bool = False,
        format: Optional[Literal["csv", "xlsx"]] = None,
        encoding: Literal["auto", "utf8", "gbk"] = "auto",
        default_org: Optional[str] = None,
        sheet: Optional[str] = None,
        progress: Optional[Callable[[int, int], object]] = None,
    ) -> RegisterReport:
        """A volunteer sheet registered, each refused row reported."""
    def upload_orgs(
        self,
        actor: str,
        data: SheetData,
        *,
        dry_run: bool = False,
        format: Optional[Literal["csv", "xlsx"]] = None,
        encoding: Literal["auto", "utf8", "gbk"] = "auto",
        sheet: Optional[str] = None,
        progress: Optional[Callable[[int, int], object]] = None,
    ) -> RegisterReport:
        """An org-tree sheet registered, each refused row reported."""
    def register_volunteers(
        self,
        actor: str,
        volunteers: Union[Iterable[Mapping[str, Any]], _Frame],
        *,
        progress: Optional[Callable[[int, int], object]] = None,
    ) -> list[Union[Receipt, LedgerError]]:
        """Dicts of register_volunteer's keywords, or a pandas or polars DataFrame or pyarrow
        Table with those columns; refusals are returned in place, not raised."""
    def export_leaderboard(
        self,
        period: str,
        *,
        scope: str = "all",
        kind: BoardKind = "volunteers",
        limit: int = 100,
        format: Literal["xlsx", "csv"] = "xlsx",
        language: Literal["zh", "en"] = "zh",
        as_of: Optional[int] = None,
    ) -> bytes: ...
    def export_records(
        self,
        *,
        volunteer: Optional[str] = None,
        org: Optional[str] = None,
        period: str = "all",
        format: Literal["xlsx", "csv"] = "xlsx",
        language: Literal["zh", "en"] = "zh",
    ) -> bytes: ...
    def export_exchange(
        self,
        *,
        org: str,
        period: str = "all",
        format: Literal["xlsx", "csv"] = "xlsx",
        language: Literal["zh", "en"] = "zh",
    ) -> bytes:
        """An org subtree's volunteers (masked), teams, projects, service records, training,
        commendations and evaluations: an xlsx workbook (a sheet each) or a zip of CSVs."""
    def __len__(self) -> int: ...

# ---- pure functions ------------------------------------------------------------------------

def validate_identity(kind: IdentityKind, number: str) -> tuple[str, str]:
    """Returns (normalised number, masked number), or raises InputError."""

def mask_name(name: str) -> str: ...
def mask_identity(number: str) -> str: ...
def period_info(text: str) -> PeriodInfo: ...
def periods_of(instant: datetime, offset_minutes: int = 480) -> list[str]:
    """[week, month, year] of an instant; a naive datetime is read in offset_minutes."""

def stars_for_minutes(profile: str, minutes: int) -> StarSummary: ...
def rank_pairs(pairs: Sequence[tuple[str, int]]) -> list[tuple[int, str, int]]: ...
def policy_profile(name: str, format: Literal["toml", "json"] = "toml") -> str: ...
def shipped_calendar(name: str, year: int) -> Optional[CalendarYear]:
    """A year of a shipped calendar ('cn-state-council', 2015–2026), or None."""
def open_package(text: str, trusted: Sequence[tuple[str, str]]) -> TransferPackage:
    """Opens a package against (ledger id, public key) pairs, or raises; times in UTC."""

def package_hash(text: str) -> str: ...
def verify_certificate_offline(certificate: Certificate, public_key: str) -> None:
    """Returns None if genuine; raises AuthorizationError or IntegrityError otherwise."""

def certificate_text(certificate: Certificate) -> str: ...
def certificate_html(certificate: Certificate, verify_url: Optional[str] = None) -> str: ...
def certificate_html_with_template(
    certificate: Certificate, template: str, verify_url: Optional[str] = None
) -> str:
    """The page from a district's own Jinja template; raises InputError (E_CERTIFICATE_TEMPLATE)."""

def certificate_qr_payload(certificate: Certificate, verify_url: Optional[str] = None) -> str: ...
def check_certificate_qr(certificate: Certificate, payload: str) -> None:
    """Returns None if the QR text names this certificate; raises IntegrityError otherwise."""
def read_sheet(
    data: SheetData,
    *,
    format: Optional[Literal["csv", "xlsx"]] = None,
    encoding: Literal["auto", "utf8", "gbk"] = "auto",
    default_org: Optional[str] = None,
    sheet: Optional[str] = None,
    utc_offset_minutes: int = 480,
) -> Sheet:
    """A sheet read, nothing added: each row a record or the problem with it."""

def team_scoring(name: str) -> dict[str, Any]:
    """A built-in team scoring table as a dict, to copy and change."""

def rate_team(
    table: Union[str, Mapping[str, Any]], facts: Union[TeamFacts, Mapping[str, int]]
) -> TeamScore: ...
def to_pandas(items: Iterable[Any]) -> pd.DataFrame:
    """Result objects as a DataFrame, one row each (their to_dict()); needs pandas."""

def to_polars(items: Iterable[Any]) -> pl.DataFrame:
    """Result objects as a polars DataFrame, one row each (their to_dict()); needs polars."""

def to_arrow(items: Iterable[Any]) -> pa.Table:
    """Result objects as a pyarrow Table, one row each (their to_dict()); needs pyarrow."""

def tqdm_progress(
    desc: Optional[str] = None, unit: str = "it", **options: Any
) -> Callable[[int, int], None]:
    """A progress(done, total) callback drawing a tqdm bar (tqdm.auto; needs tqdm), made at
    the call's first report and closed at its end; options go to tqdm."""
