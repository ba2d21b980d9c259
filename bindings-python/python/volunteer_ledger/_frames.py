"""pandas conversions for the native module: DataFrames out, record columns in.

Only conversion lives here: no rule. pandas is imported when a conversion is asked for, so
the package works without it (``pip install "volunteer-ledger[pandas]"`` adds it).
"""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Iterable, Protocol

if TYPE_CHECKING:
    import pandas as pd

# The keywords of Ledger.add_record: the required ones, then those with their defaults (the
# core's, as the native module gives them; imported by name, as it has no stub of its own).
_fields = importlib.import_module("volunteer_ledger._native")._record_fields()
REQUIRED: tuple[str, ...] = tuple(_fields[0])
DEFAULTS: dict[str, Any] = dict(_fields[1])


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


def _packed(values: Any) -> bytes:
    """A numpy array of integers as little-endian int64 bytes: the native side reads them in
    one pass instead of one Python int at a time."""
    return bytes(values.astype("<i8", copy=False).tobytes())


def _seconds(column: Any, offset_minutes: int) -> bytes | list[int]:
    """A column of datetimes as whole seconds since the epoch, fractions dropped towards the
    past; naive ones are read in the ledger's offset. A datetime64 column (naive or aware) is
    converted in numpy and packed; any other column is read one datetime at a time."""
    pd = _pandas()
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        import numpy as np

        if getattr(column.dt, "tz", None) is None:
            shift = offset_minutes * 60
        else:
            shift = 0
            column = column.dt.tz_convert("UTC").dt.tz_localize(None)
        values = column.to_numpy()
        if np.isnat(values).any():
            raise TypeError("a start or end is missing (NaT)")
        unit, count = np.datetime_data(values.dtype)
        per_second = np.timedelta64(1, "s") // np.timedelta64(count, unit)
        if per_second >= 1:
            # numpy's // floors, so fractions of a second go towards the past.
            seconds = values.view("i8") // per_second
        else:  # a unit coarser than a second (minutes, days)
            seconds = values.astype("datetime64[s]").view("i8")
        return _packed(seconds - shift)
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


def _texts(column: Any, key: str, optional: bool) -> tuple[Any, bytes | None]:
    """A column of strings for the native side, and which rows have none (bytes, 1 where
    missing) when some of an optional column's do: every value joined by NUL and encoded as
    UTF-8 (one bytes object, split natively); the plain list when a value itself holds a NUL
    (no id can, content may); None for an optional column with nothing in it."""
    mask: bytes | None = None
    if optional:
        missing = column.isna().to_numpy()
        if missing.all():
            return None, None
        if missing.any():
            values = column.astype(object).where(~missing, "").tolist()
            mask = missing.astype("u1").tobytes()
        else:
            values = column.tolist()
    else:
        values = column.tolist()
    try:
        joined = "\0".join(values)
    except TypeError:
        bad = next(v for v in values if not isinstance(v, str))
        raise TypeError(
            f"the column '{key}' must hold strings, not {type(bad).__name__}"
        ) from None
    if joined.count("\0") != max(len(values) - 1, 0):
        if mask is None:
            return values, None
        return [None if m else v for v, m in zip(values, mask)], None
    return joined.encode("utf-8"), mask


def _flags(column: Any) -> bytes | list[bool]:
    """A column of flags: a numpy bool column packed one byte each, anything else by Python
    truth, one value at a time."""
    import numpy as np

    if column.dtype == np.bool_:
        return bytes(column.to_numpy().astype("u1").tobytes())
    return [bool(x) for x in column.tolist()]


def _integers(column: Any) -> bytes | list[Any]:
    """A column of whole numbers: a numpy integer column that fits int64 packed, anything
    else (floats, objects, nullable integers) as a list, read one value at a time."""
    import numpy as np

    dtype = column.dtype
    if isinstance(dtype, np.dtype) and (dtype.kind == "i" or (dtype.kind == "u" and dtype.itemsize < 8)):
        return _packed(column.to_numpy())
    return list(column.tolist())


def streamable(df: pd.DataFrame) -> bool:
    """Whether every part of a frame packs with nothing to refuse, so that the native bulk
    add may prepare it chunk by chunk while the core adds the chunks before: the known columns
    only, each once; texts of pandas' string dtype (none missing but in team and activity),
    start and end datetime64 without NaT, minutes int64, flags bool. Any other frame is
    prepared whole before the first record is added, so that a TypeError leaves the ledger as
    it was."""
    pd = _pandas()
    import numpy as np

    names = [str(c) for c in df.columns]
    if len(set(names)) != len(names) or any(c not in REQUIRED and c not in DEFAULTS for c in names):
        return False
    if any(c not in names for c in REQUIRED):
        return False
    for name in names:
        column = df[name]
        dtype = column.dtype
        if name in ("start", "end"):
            if not pd.api.types.is_datetime64_any_dtype(dtype) or bool(column.isna().any()):
                return False
        elif name == "minutes":
            if not (isinstance(dtype, np.dtype) and dtype.kind == "i"):
                return False
        elif name in ("paid", "job_duty", "public_benefit"):
            if not (isinstance(dtype, np.dtype) and dtype == np.bool_):
                return False
        elif not isinstance(dtype, pd.StringDtype):
            return False
        elif name not in ("team", "activity") and bool(column.isna().any()):
            return False
    return True


def record_columns(df: pd.DataFrame, offset_minutes: int) -> dict[str, Any]:
    """The columns of a DataFrame of records, for the native bulk add, keyed by field, and
    "n" the number of rows. A column is bytes (texts joined by NUL, see `_texts`, with the
    rows that have none under "<field>_missing"; numbers as little-endian int64; flags one
    byte each), a list of values read one at a time, or one value for every row (an absent
    column's default)."""
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
    out: dict[str, Any] = {"n": len(df)}
    for key in ("id", "volunteer", "org"):
        out[key], _ = _texts(df[key], key, optional=False)
    out["start"] = _seconds(df["start"], offset_minutes)
    out["end"] = _seconds(df["end"], offset_minutes)
    out["minutes"] = _integers(df["minutes"])
    for key, default in DEFAULTS.items():
        if key not in names:
            out[key] = default
        elif key in ("team", "activity"):
            out[key], mask = _texts(df[key], key, optional=True)
            if mask is not None:
                out[f"{key}_missing"] = mask
        elif key in ("paid", "job_duty", "public_benefit"):
            out[key] = _flags(df[key])
        else:
            out[key], _ = _texts(df[key], key, optional=False)
    return out


def columns_frame(data: dict[str, list[Any]]) -> pd.DataFrame:
    """A DataFrame of columns (lists of equal length), in the dict's order."""
    df: pd.DataFrame = _pandas().DataFrame(data)
    return df
