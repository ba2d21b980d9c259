//! The result classes whose shape is not a core type's (most result classes are the core's own
//! types, made Python classes by the core's `python` feature): `result_class!` makes a frozen
//! class with read-only attributes, `to_dict()`, `__repr__` and `==` from one list of fields,
//! the same way the core's are.

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
            /// The attribute names, in order: `to_dict()`'s keys and the columns of a DataFrame.
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
        }

        #[::pyo3::pymethods]
        impl $rust {
            /// The attributes as a plain dict; nested results become dicts too.
            fn to_dict<'py>(
                slf: &::pyo3::Bound<'py, Self>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::types::PyDict>> {
                ::volunteer_ledger::python::to_dict(slf.as_any(), Self::FIELDS)
            }

            fn __repr__(slf: &::pyo3::Bound<'_, Self>) -> ::pyo3::PyResult<String> {
                ::volunteer_ledger::python::repr(slf.as_any(), Self::FIELDS)
            }

            $( $($methods)* )?
        }
    };
}
