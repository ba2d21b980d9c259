//! What every result class shares: `to_dict()` (nested results become dicts), and the
//! `result_class!` declaration that makes a frozen class with read-only attributes,
//! `to_dict()`, `__repr__` and `==` from one list of fields.

use chrono::{DateTime, FixedOffset, NaiveDate};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// A value as it appears in `to_dict()`: plain values as themselves, nested results as dicts.
pub(crate) trait DictValue {
    fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

macro_rules! plain_dict_value {
    ($($t:ty),* $(,)?) => {$(
        impl DictValue for $t {
            fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.clone().into_bound_py_any(py)
            }
        }
    )*};
}

plain_dict_value!(
    String,
    Option<String>,
    bool,
    u8,
    i32,
    u32,
    u64,
    Vec<String>,
    Option<u8>,
    Option<bool>,
    Option<u32>,
    Option<u64>,
    Option<i64>,
    i64,
    Option<i32>,
    DateTime<FixedOffset>,
    NaiveDate,
    Option<NaiveDate>,
    Vec<(String, String)>,
);

/// A result object that converts to a dict.
pub(crate) trait ToDict {
    fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>>;
}

impl<T: ToDict> DictValue for Vec<T> {
    fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self
            .iter()
            .map(|x| x.dict(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }
}

/// Declares a frozen result class with read-only attributes, `to_dict()`, `__repr__` and `==`.
macro_rules! result_class {
    (
        $(#[$doc:meta])*
        $rust:ident as $py:literal {
            $( $(#[$fdoc:meta])* $field:ident : $ty:ty ),* $(,)?
        }
        $( methods { $($methods:tt)* } )?
    ) => {
        $(#[$doc])*
        #[::pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = $py)]
        #[derive(Debug, Clone, PartialEq)]
        pub(crate) struct $rust {
            $( $(#[$fdoc])* pub(crate) $field: $ty, )*
        }

        impl $rust {
            /// The attribute names, in order: the columns of its DataFrame.
            #[allow(dead_code)]
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
        }

        impl $crate::results::ToDict for $rust {
            fn dict<'py>(
                &self,
                py: ::pyo3::Python<'py>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::types::PyDict>> {
                use $crate::results::DictValue as _;
                let d = ::pyo3::types::PyDict::new(py);
                $( d.set_item(stringify!($field), self.$field.dict_value(py)?)?; )*
                Ok(d)
            }
        }

        #[::pyo3::pymethods]
        impl $rust {
            /// The attributes as a plain dict; nested results become dicts too.
            fn to_dict<'py>(
                &self,
                py: ::pyo3::Python<'py>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::types::PyDict>> {
                $crate::results::ToDict::dict(self, py)
            }

            fn __repr__(&self, py: ::pyo3::Python<'_>) -> ::pyo3::PyResult<String> {
                use ::pyo3::IntoPyObjectExt as _;
                use ::pyo3::types::PyAnyMethods as _;
                let parts: Vec<String> = vec![$(
                    format!(
                        "{}={}",
                        stringify!($field),
                        self.$field.clone().into_bound_py_any(py)?.repr()?
                    ),
                )*];
                Ok(format!("{}({})", $py, parts.join(", ")))
            }

            $( $($methods)* )?
        }
    };
}

/// Nested result objects become dicts in `to_dict()`.
macro_rules! nested_dict_value {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::results::DictValue for $t {
            fn dict_value<'py>(
                &self,
                py: ::pyo3::Python<'py>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                Ok($crate::results::ToDict::dict(self, py)?.into_any())
            }
        }
        impl $crate::results::DictValue for Option<$t> {
            fn dict_value<'py>(
                &self,
                py: ::pyo3::Python<'py>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                match self {
                    Some(v) => Ok($crate::results::ToDict::dict(v, py)?.into_any()),
                    None => Ok(py.None().into_bound(py)),
                }
            }
        }
    )*};
}
