//! DataFrames of records: the packed columns `volunteer_ledger._frames.record_columns` makes
//! of a frame of records, read with few Python calls and turned into records without Python.

use crate::conversions::required;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use std::borrow::Cow;
use volunteer_ledger as vl;

fn column_length_error() -> PyErr {
    PyTypeError::new_err("the record columns differ in length")
}

/// A text column of a DataFrame, as `_frames.record_columns` passes it.
enum Texts<'a> {
    /// Every value joined by NUL, and (1) the rows that have none.
    Joined {
        values: std::str::Split<'a, char>,
        missing: Option<std::slice::Iter<'a, u8>>,
    },
    /// One value at a time.
    Listed(std::vec::IntoIter<Option<String>>),
    /// The same value on every row.
    Same(Option<String>),
}

impl<'a> Texts<'a> {
    /// `missing` is the column's mask of rows without a value, if any; a required column
    /// (`optional` false) holds strings only.
    fn read(
        value: &'a Bound<'_, PyAny>,
        missing: Option<&'a Bound<'_, PyAny>>,
        n: usize,
        optional: bool,
    ) -> PyResult<Self> {
        if let Ok(bytes) = value.cast::<PyBytes>() {
            let text = std::str::from_utf8(bytes.as_bytes())
                .map_err(|e| PyValueError::new_err(format!("a text column is not UTF-8: {e}")))?;
            let values = if n == 0 {
                0
            } else {
                text.bytes().filter(|&b| b == 0).count() + 1
            };
            if values != n {
                return Err(column_length_error());
            }
            let missing = match missing {
                Some(m) => {
                    let m = m.cast::<PyBytes>()?.as_bytes();
                    if m.len() != n {
                        return Err(column_length_error());
                    }
                    Some(m.iter())
                }
                None => None,
            };
            Ok(Self::Joined {
                values: text.split('\0'),
                missing,
            })
        } else if value.is_instance_of::<PyList>() {
            let values: Vec<Option<String>> = if optional {
                value.extract()?
            } else {
                value
                    .extract::<Vec<String>>()?
                    .into_iter()
                    .map(Some)
                    .collect()
            };
            if values.len() != n {
                return Err(column_length_error());
            }
            Ok(Self::Listed(values.into_iter()))
        } else if optional {
            Ok(Self::Same(value.extract()?))
        } else {
            Ok(Self::Same(Some(value.extract()?)))
        }
    }

    /// The next row's value (None: it has none). Past the last row: None. Borrowed where it
    /// can be, so that a value the record does not keep (a source) or keeps empty costs no
    /// allocation.
    fn next(&mut self) -> Option<Cow<'_, str>> {
        match self {
            Self::Joined { values, missing } => {
                let value = values.next()?;
                match missing.as_mut().and_then(Iterator::next) {
                    Some(1) => None,
                    _ => Some(Cow::Borrowed(value)),
                }
            }
            Self::Listed(values) => values.next().flatten().map(Cow::Owned),
            Self::Same(value) => value.as_deref().map(Cow::Borrowed),
        }
    }
}

/// A value of a fixed-width column: how many bytes it packs into, how it unpacks, and how it
/// is read from a Python list or scalar.
trait Packed: Copy + Default {
    const WIDTH: usize;
    fn unpack(bytes: &[u8]) -> Self;
    fn extract_list(value: &Bound<'_, PyAny>) -> PyResult<Vec<Self>>;
    fn extract_one(value: &Bound<'_, PyAny>) -> PyResult<Self>;
}

/// Whole numbers: little-endian int64.
impl Packed for i64 {
    const WIDTH: usize = 8;
    #[inline]
    fn unpack(bytes: &[u8]) -> Self {
        bytes.try_into().map_or(0, i64::from_le_bytes)
    }
    fn extract_list(value: &Bound<'_, PyAny>) -> PyResult<Vec<Self>> {
        value.extract()
    }
    fn extract_one(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        value.extract()
    }
}

/// Flags: one byte, non-zero for true.
impl Packed for bool {
    const WIDTH: usize = 1;
    #[inline]
    fn unpack(bytes: &[u8]) -> Self {
        bytes.first().is_some_and(|&b| b != 0)
    }
    fn extract_list(value: &Bound<'_, PyAny>) -> PyResult<Vec<Self>> {
        value.extract()
    }
    fn extract_one(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        value.extract()
    }
}

/// A column of fixed-width values: packed bytes, a list, or one value for every row.
enum Values<'a, T> {
    Packed(std::slice::ChunksExact<'a, u8>),
    Listed(std::vec::IntoIter<T>),
    Same(T),
}

/// A column of whole numbers.
type Numbers<'a> = Values<'a, i64>;
/// A column of flags.
type Flags<'a> = Values<'a, bool>;

impl<'a, T: Packed> Values<'a, T> {
    fn read(value: &'a Bound<'_, PyAny>, n: usize) -> PyResult<Self> {
        if let Ok(bytes) = value.cast::<PyBytes>() {
            let bytes = bytes.as_bytes();
            if bytes.len() != n * T::WIDTH {
                return Err(column_length_error());
            }
            Ok(Self::Packed(bytes.chunks_exact(T::WIDTH)))
        } else if value.is_instance_of::<PyList>() {
            let values = T::extract_list(value)?;
            if values.len() != n {
                return Err(column_length_error());
            }
            Ok(Self::Listed(values.into_iter()))
        } else {
            Ok(Self::Same(T::extract_one(value)?))
        }
    }

    #[inline]
    fn next(&mut self) -> T {
        match self {
            Self::Packed(chunks) => chunks.next().map_or_else(T::default, T::unpack),
            Self::Listed(values) => values.next().unwrap_or_default(),
            Self::Same(value) => *value,
        }
    }
}

/// The records of a DataFrame, as `volunteer_ledger._frames.record_columns` gives its
/// columns. Read with the GIL held (a few Python calls, whatever the number of rows); turned
/// into records by `convert`, which needs no Python and runs with the GIL released.
pub(crate) struct RecordColumns<'a> {
    n: usize,
    id: Texts<'a>,
    volunteer: Texts<'a>,
    org: Texts<'a>,
    start: Numbers<'a>,
    end: Numbers<'a>,
    minutes: Numbers<'a>,
    content: Texts<'a>,
    team: Texts<'a>,
    activity: Texts<'a>,
    source: Texts<'a>,
    paid: Flags<'a>,
    job_duty: Flags<'a>,
    public_benefit: Flags<'a>,
}

/// How many rows of a bulk add are prepared and converted at a time.
pub(crate) const CHUNK: usize = 1 << 16;

/// A frame's columns as `_frames.record_columns` packs them: the row count, and the dict's
/// values for `FRAME_KEYS` (which keep the bytes `RecordColumns` reads).
pub(crate) fn frame_columns<'py>(
    frames: &Bound<'py, PyModule>,
    frame: &Bound<'py, PyAny>,
    off: i32,
) -> PyResult<(usize, Vec<Option<Bound<'py, PyAny>>>)> {
    let columns = frames
        .call_method1("record_columns", (frame, off))?
        .cast_into::<PyDict>()?;
    let rows: usize = required(&columns, "n")?;
    let values = FRAME_KEYS
        .iter()
        .map(|k| columns.get_item(k))
        .collect::<PyResult<_>>()?;
    Ok((rows, values))
}

/// The keys of `_frames.record_columns`' dict, in the order `RecordColumns::read` takes them.
const FRAME_KEYS: &[&str] = &[
    "id",
    "volunteer",
    "org",
    "start",
    "end",
    "minutes",
    "content",
    "team",
    "team_missing",
    "activity",
    "activity_missing",
    "source",
    "paid",
    "job_duty",
    "public_benefit",
];

impl<'a> RecordColumns<'a> {
    /// `values`: the dict's values for `FRAME_KEYS` (None where a key is absent).
    pub(crate) fn read(n: usize, values: &'a [Option<Bound<'_, PyAny>>]) -> PyResult<Self> {
        let get = |i: usize| -> PyResult<&'a Bound<'_, PyAny>> {
            values.get(i).and_then(Option::as_ref).ok_or_else(|| {
                PyTypeError::new_err(format!(
                    "record is missing the field '{}'",
                    FRAME_KEYS.get(i).unwrap_or(&"?")
                ))
            })
        };
        let mask = |i: usize| values.get(i).and_then(Option::as_ref);
        Ok(Self {
            n,
            id: Texts::read(get(0)?, None, n, false)?,
            volunteer: Texts::read(get(1)?, None, n, false)?,
            org: Texts::read(get(2)?, None, n, false)?,
            start: Numbers::read(get(3)?, n)?,
            end: Numbers::read(get(4)?, n)?,
            minutes: Numbers::read(get(5)?, n)?,
            content: Texts::read(get(6)?, None, n, false)?,
            team: Texts::read(get(7)?, mask(8), n, true)?,
            activity: Texts::read(get(9)?, mask(10), n, true)?,
            source: Texts::read(get(11)?, None, n, false)?,
            paid: Flags::read(get(12)?, n)?,
            job_duty: Flags::read(get(13)?, n)?,
            public_benefit: Flags::read(get(14)?, n)?,
        })
    }

    /// Every row as a record, or why it is none: a field the core refuses (a malformed id, an
    /// unknown source) refuses that row only.
    pub(crate) fn convert_rows(mut self) -> Vec<vl::Result<vl::NewRecord>> {
        std::iter::from_fn(|| self.next_record()).collect()
    }

    /// The next row as a record, or why it is none; `None` after the last row.
    pub(crate) fn next_record(&mut self) -> Option<vl::Result<vl::NewRecord>> {
        self.n = self.n.checked_sub(1)?;
        let id = self.id.next();
        let volunteer = self.volunteer.next();
        let org = self.org.next();
        let team = self.team.next();
        let activity = self.activity.next();
        let content = self.content.next();
        let source = self.source.next();
        let start = self.start.next();
        let end = self.end.next();
        let minutes = self.minutes.next();
        let paid = self.paid.next();
        let job_duty = self.job_duty.next();
        let public_benefit = self.public_benefit.next();
        Some((|| {
            Ok(vl::NewRecord {
                id: vl::RecordId::new(id.unwrap_or_default())?,
                volunteer: vl::VolunteerId::new(volunteer.unwrap_or_default())?,
                org: vl::OrgId::new(org.unwrap_or_default())?,
                team: team.map(vl::TeamId::new).transpose()?,
                activity: activity.map(vl::ActivityId::new).transpose()?,
                start: vl::Timestamp(start),
                end: vl::Timestamp(end),
                minutes,
                content: content.unwrap_or_default().into_owned(),
                source: vl::RecordSource::parse(source.as_deref().unwrap_or_default())?,
                paid,
                job_duty,
                public_benefit,
            })
        })())
    }
}
