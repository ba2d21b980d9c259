# Hand-kept type stubs of volunteer_ledger (the native module volunteer_ledger._native).
# Keep in step with bindings-python/src/lib.rs.

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal, Optional, Union, final

__all__ = [
    "ERROR_CODES",
    "PROFILES",
    "AuthorizationError",
    "BoardEntry",
    "ConflictError",
    "InputError",
    "IntegrityError",
    "Leaderboard",
    "Ledger",
    "LedgerError",
    "LevelReached",
    "NotFoundError",
    "PeriodInfo",
    "PolicyError",
    "Receipt",
    "RecordReceipt",
    "ServiceRecord",
    "Standing",
    "StarSummary",
    "StateError",
    "ValidationError",
    "VerifyReport",
    "VolunteerView",
    "__version__",
    "mask_identity",
    "mask_name",
    "period_info",
    "periods_of",
    "policy_profile",
    "rank_pairs",
    "stars_for_minutes",
    "validate_identity",
]

__version__: str
PROFILES: tuple[str, ...]
ERROR_CODES: tuple[str, ...]

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
ErrorFamily = Literal[
    "input",
    "validation",
    "authorization",
    "not_found",
    "conflict",
    "state",
    "integrity",
    "policy",
]

# ---- exceptions ----------------------------------------------------------------------------

class LedgerError(Exception):
    """Base class of every refusal of the ledger."""

    code: str
    """The core's stable error code, such as 'E_OVERLAP'."""
    family: ErrorFamily
    """The error family, one per subclass."""

class InputError(LedgerError): ...
class ValidationError(LedgerError): ...
class AuthorizationError(LedgerError): ...
class NotFoundError(LedgerError): ...
class ConflictError(LedgerError): ...
class StateError(LedgerError): ...
class IntegrityError(LedgerError): ...
class PolicyError(LedgerError): ...

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
    def home_org(self) -> Optional[str]: ...
    @property
    def total_minutes(self) -> int: ...
    @property
    def visibility(self) -> VisibilityMode: ...
    @property
    def pseudonym(self) -> Optional[str]: ...
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
    ) -> Ledger: ...
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
        self, actor: str, records: Sequence[dict[str, Any]]
    ) -> list[Union[RecordReceipt, LedgerError]]:
        """Each record a dict of add_record's keywords; refusals are returned, not raised."""
    def confirm_record(self, actor: str, record: str) -> Receipt: ...
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
    def verify(self) -> VerifyReport: ...
    def replay(self) -> Ledger: ...
    def state_digest(self) -> str: ...
    def head(self) -> tuple[int, str]: ...
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
