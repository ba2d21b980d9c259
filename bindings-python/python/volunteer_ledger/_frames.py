"""DataFrame conversions for the native module: results out as pandas or polars DataFrames
or pyarrow Tables, record columns in from any of the three.

Only conversion lives here: no rule. Each library is imported when a conversion asks for it,
so the package works without them; a missing one raises ImportError naming its extra
(``pip install "volunteer-ledger[pandas]"``, ``[polars]``, ``[arrow]``).

A result's frame has one type per column, whatever its rows, so that an empty result has the
columns and types of any other: whole numbers Int64, flags boolean, texts string, times
timestamps (seconds) in the offset the result's times are in; a value a row lacks is missing
(pandas' NA, polars' and Arrow's null). The column names say the type (`KIND`): a name means
the same thing in every result.
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


# The pip extra that brings each library a conversion may need.
EXTRAS = {"pandas": "pandas", "polars": "polars", "pyarrow": "arrow"}


def need(library: str, what: str) -> Any:
    """The library imported, or ImportError naming what needs it and the extra that brings it."""
    try:
        return importlib.import_module(library)
    except ImportError as e:
        raise ImportError(
            f"{what} needs {library}: pip install 'volunteer-ledger[{EXTRAS[library]}]'"
        ) from e


def _pandas() -> Any:
    return need("pandas", "to_pandas")


# The type of each column of a result's frame, by name; any other column holds text.
KIND: dict[str, str] = {
    **dict.fromkeys(("rank", "minutes", "star_level", "row", "seq"), "integer"),
    **dict.fromkeys(("make_up", "duplicate", "paid", "job_duty", "public_benefit"), "flag"),
    **dict.fromkeys(("start", "end"), "time"),
}

# The libraries a result converts to, by method.
LIBRARIES = {"to_pandas": "pandas", "to_polars": "polars", "to_arrow": "pyarrow"}


def _column(library: Any, name: str, values: list[Any], offset_minutes: int) -> Any:
    """One column of a result's frame, of its name's type, in `library` (the module)."""
    kind = KIND.get(name, "text")
    tz = timezone(timedelta(minutes=offset_minutes))
    if library.__name__ == "pandas":
        if kind == "time":
            times = library.Series(library.to_datetime(values, utc=True), name=name)
            return times.dt.tz_convert(tz).dt.as_unit("s")
        dtype = {"integer": "Int64", "flag": "boolean", "text": "string"}[kind]
        return library.Series(values, dtype=dtype, name=name)
    if library.__name__ == "polars":
        # polars keeps times in UTC: the instants are the same.
        pl_type = {
            "integer": library.Int64,
            "flag": library.Boolean,
            "text": library.String,
            "time": library.Datetime("us", time_zone="UTC"),
        }[kind]
        return library.Series(name, values, dtype=pl_type)
    offset = f"{'-' if offset_minutes < 0 else '+'}{abs(offset_minutes) // 60:02}:{abs(offset_minutes) % 60:02}"
    pa_type = {
        "integer": library.int64(),
        "flag": library.bool_(),
        "text": library.string(),
        "time": library.timestamp("s", tz=offset),
    }[kind]
    return library.array(values, type=pa_type)


def table(
    data: dict[str, list[Any]],
    method: str = "to_pandas",
    index: str | None = None,
    offset_minutes: int = 0,
) -> Any:
    """A result's columns (equal-length lists, in the dict's order) as the frame `method`
    (to_pandas, to_polars, to_arrow) gives: typed by `KIND`; `index` is the pandas index."""
    library = need(LIBRARIES[method], method)
    columns = {n: _column(library, n, v, offset_minutes) for n, v in data.items()}
    if library.__name__ == "pandas":
        df = library.DataFrame(columns)
        return df.set_index(index) if index is not None else df
    if library.__name__ == "polars":
        return library.DataFrame(list(columns.values()))
    return library.table(columns)


def frame(
    rows: list[dict[str, Any]],
    columns: list[str],
    method: str = "to_pandas",
    index: str | None = None,
    offset_minutes: int = 0,
) -> Any:
    """Rows of a result (dicts) as the frame `method` gives (see `table`), with these columns
    in this order even when there are none."""
    data = {c: [row.get(c) for row in rows] for c in columns}
    return table(data, method, index, offset_minutes)


def _rows(items: Iterable[_HasToDict]) -> tuple[list[dict[str, Any]], list[str]]:
    rows = [item.to_dict() for item in items]
    return rows, (list(rows[0]) if rows else [])


def to_pandas(items: Iterable[_HasToDict]) -> pd.DataFrame:
    """Result objects (records, ratings, anomalies …) as a DataFrame, one row each, one
    column per attribute, typed as pandas infers them; nested results stay dicts."""
    rows, columns = _rows(items)
    df: pd.DataFrame = _pandas().DataFrame(rows, columns=columns)
    return df


def to_polars(items: Iterable[_HasToDict]) -> Any:
    """Result objects as a polars DataFrame, one row each, typed as polars infers them;
    nested results are structs. Needs polars."""
    rows, columns = _rows(items)
    pl = need("polars", "to_polars")
    return pl.DataFrame(rows, schema=columns or None, orient="row" if rows else None)


def to_arrow(items: Iterable[_HasToDict]) -> Any:
    """Result objects as a pyarrow Table, one row each, typed as Arrow infers them; nested
    results are structs. Needs pyarrow."""
    rows, _ = _rows(items)
    pa = need("pyarrow", "to_arrow")
    return pa.Table.from_pylist(rows)


def as_pandas(frame: Any) -> pd.DataFrame:
    """A pandas DataFrame of a polars DataFrame or a pyarrow Table (or record batch), through
    their own `to_pandas()` (polars' needs pyarrow); any other frame as it is. Records in from
    any of them take pandas' packed path."""
    library = type(frame).__module__.partition(".")[0]
    if library not in ("polars", "pyarrow"):
        return frame
    need("pandas", f"add_records with a {library} frame")
    if library == "polars":
        need("pyarrow", "add_records with a polars frame")
    df: pd.DataFrame = frame.to_pandas()
    return df


def is_frame(value: Any) -> bool:
    """Whether a value is a pandas or polars DataFrame or a pyarrow Table or record batch."""
    library = type(value).__module__.partition(".")[0]
    if library == "pandas" or library == "polars":
        return hasattr(value, "columns") and hasattr(value, "dtypes")
    if library == "pyarrow":
        return hasattr(value, "column_names") and hasattr(value, "schema")
    return False


def text_columns(frame: Any, names: Iterable[str]) -> dict[str, list[Any]]:
    """The columns of a frame (see `is_frame`) named here that it has, as lists of values."""
    library = type(frame).__module__.partition(".")[0]
    have = list(frame.column_names) if library == "pyarrow" else [str(c) for c in frame.columns]
    out: dict[str, list[Any]] = {}
    for name in names:
        if name not in have:
            continue
        if library == "pyarrow":
            out[name] = frame.column(name).to_pylist()
        elif library == "polars":
            out[name] = frame.get_column(name).to_list()
        else:
            out[name] = frame[name].tolist()
    return out


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


