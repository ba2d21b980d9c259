"""pandas conversions for the native module: DataFrames out, record columns in.

Only conversion lives here: no rule. pandas is imported when a conversion is asked for, so
the package works without it (``pip install "volunteer-ledger[pandas]"`` adds it).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Iterable, Protocol

if TYPE_CHECKING:
    import pandas as pd

# The keywords of Ledger.add_record: the required ones, then those with their defaults.
REQUIRED = ("id", "volunteer", "org", "start", "end", "minutes")
DEFAULTS: dict[str, Any] = {
    "content": "",
    "team": None,
    "activity": None,
    "source": "entry",
    "paid": False,
    "job_duty": False,
    "public_benefit": True,
}


class _HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - exercised only without pandas
        raise ImportError(
            "to_pandas needs pandas: pip install 'volunteer-ledger[pandas]'"
        ) from e
    return pandas


def frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame of rows (dicts), with these columns in this order even when empty."""
    df: pd.DataFrame = _pandas().DataFrame(rows, columns=columns)
    return df


def to_pandas(items: Iterable[_HasToDict]) -> pd.DataFrame:
    """Result objects (records, ratings, anomalies …) as a DataFrame, one row each, one
    column per attribute; nested results stay dicts."""
    rows = [item.to_dict() for item in items]
    columns = list(rows[0]) if rows else []
    return frame(rows, columns)


def _seconds(column: Any, offset_minutes: int) -> list[int]:
    """A column of datetimes as whole seconds since the epoch, fractions dropped towards the
    past; naive ones are read in the ledger's offset."""
    pd = _pandas()
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        if getattr(column.dt, "tz", None) is None:
            shift = offset_minutes * 60
            since = column - pd.Timestamp(0)
        else:
            shift = 0
            since = column - pd.Timestamp(0, tz="UTC")
        if since.isna().any():
            raise TypeError("a start or end is missing (NaT)")
        seconds = (since // pd.Timedelta(seconds=1)).astype("int64") - shift
        return [int(x) for x in seconds.tolist()]
    local = timezone(timedelta(minutes=offset_minutes))
    out = []
    for value in column.tolist():
        if not isinstance(value, datetime):
            raise TypeError(f"start and end must be datetimes, not {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=local)
        delta = value - datetime(1970, 1, 1, tzinfo=timezone.utc)
        out.append(delta // timedelta(seconds=1))
    return out


def record_columns(df: pd.DataFrame, offset_minutes: int) -> dict[str, list[Any]]:
    """The columns of a DataFrame of records as lists, for the native bulk add."""
    pd = _pandas()
    names = [str(c) for c in df.columns]
    unknown = [c for c in names if c not in REQUIRED and c not in DEFAULTS]
    if unknown:
        raise TypeError(
            f"'{unknown[0]}' is not a record field; the fields are "
            + ", ".join((*REQUIRED, *DEFAULTS))
        )
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise TypeError(f"records are missing the column '{missing[0]}'")
    n = len(df)
    out: dict[str, list[Any]] = {}
    for key in ("id", "volunteer", "org"):
        out[key] = df[key].tolist()
    out["start"] = _seconds(df["start"], offset_minutes)
    out["end"] = _seconds(df["end"], offset_minutes)
    out["minutes"] = df["minutes"].tolist()
    for key, default in DEFAULTS.items():
        if key not in names:
            out[key] = [default] * n
        elif key in ("team", "activity"):
            column = df[key].astype(object)
            out[key] = column.where(pd.notna(column), None).tolist()
        elif key in ("paid", "job_duty", "public_benefit"):
            out[key] = [bool(x) for x in df[key].tolist()]
        else:
            out[key] = df[key].tolist()
    return out
