//! The exceptions a refusal raises: `LedgerError` and one subclass per error family, each
//! carrying the core error's stable `code`, its `family`, the message in English and Chinese,
//! and the values it names (`fields`, `record`). The families a Python user would catch by a
//! builtin also subclass it: `InputError` and `ValidationError` are `ValueError`s,
//! `NotFoundError` a `LookupError`, `AuthorizationError` a `PermissionError`.

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyLookupError, PyPermissionError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use volunteer_ledger as vl;

create_exception!(
    volunteer_ledger,
    LedgerError,
    PyException,
    "Base class of every refusal of the ledger. `code` is the core's stable error code \
     (such as 'E_OVERLAP'), `family` its family name ('validation' …); the message is the core's."
);
create_exception!(
    volunteer_ledger,
    ConflictError,
    LedgerError,
    "Something with this id exists already, with other content (family 'conflict')."
);
create_exception!(
    volunteer_ledger,
    StateError,
    LedgerError,
    "The change does not fit the record's current state (family 'state')."
);
create_exception!(
    volunteer_ledger,
    IntegrityError,
    LedgerError,
    "The log is damaged or does not replay (family 'integrity')."
);
create_exception!(
    volunteer_ledger,
    PolicyError,
    LedgerError,
    "A policy is malformed or unknown (family 'policy')."
);
create_exception!(
    volunteer_ledger,
    StorageError,
    LedgerError,
    "A ledger file could not be opened, read or written; nothing was changed (family 'storage')."
);

/// Declares a family's exception class that subclasses `LedgerError` and a builtin exception
/// (`create_exception!` takes one base): made once, on first use, by calling `type`.
macro_rules! family_with_builtin {
    ($name:ident, $builtin:ty, $doc:literal) => {
        #[doc = $doc]
        pub(crate) struct $name;

        impl $name {
            /// The class, made on first use.
            pub(crate) fn type_object(py: Python<'_>) -> PyResult<Bound<'_, PyType>> {
                static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
                CLASS
                    .get_or_try_init(py, || {
                        subclass_both(py, stringify!($name), $doc, &py.get_type::<$builtin>())
                    })
                    .map(|t| t.bind(py).clone())
            }
        }
    };
}

family_with_builtin!(
    InputError,
    PyValueError,
    "A value passed in is malformed: an identity number, a period, an id or a field (family \
     'input'). Also a ValueError."
);
family_with_builtin!(
    ValidationError,
    PyValueError,
    "A service record breaks a rule of the policy (family 'validation'). Also a ValueError."
);
family_with_builtin!(
    AuthorizationError,
    PyPermissionError,
    "The actor may not make this change (family 'authorization'). Also a PermissionError."
);
family_with_builtin!(
    NotFoundError,
    PyLookupError,
    "Something named does not exist (family 'not_found'). Also a LookupError."
);

/// `class name(LedgerError, builtin)` in the module `volunteer_ledger`, with this docstring.
fn subclass_both(
    py: Python<'_>,
    name: &str,
    doc: &str,
    builtin: &Bound<'_, PyType>,
) -> PyResult<Py<PyType>> {
    let bases = PyTuple::new(py, [py.get_type::<LedgerError>(), builtin.clone()])?;
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "volunteer_ledger")?;
    namespace.set_item("__doc__", doc)?;
    let class = py
        .get_type::<pyo3::types::PyType>()
        .call1((name, bases, namespace))?;
    Ok(class.cast_into::<PyType>()?.unbind())
}

/// A new exception of a family class made by `family_with_builtin!`.
fn raise_as(class: PyResult<Bound<'_, PyType>>, msg: String) -> PyErr {
    match class {
        Ok(class) => PyErr::from_type(class, msg),
        Err(e) => e,
    }
}

/// Raises a core error as the exception of its family, carrying `code` and `family`.
pub(crate) fn ledger_err(py: Python<'_>, e: &vl::LedgerError) -> PyErr {
    use vl::ErrorFamily as F;
    let msg = e.to_string();
    let err = match e.family() {
        F::Input => raise_as(InputError::type_object(py), msg),
        F::Validation => raise_as(ValidationError::type_object(py), msg),
        F::Authorization => raise_as(AuthorizationError::type_object(py), msg),
        F::NotFound => raise_as(NotFoundError::type_object(py), msg),
        F::Conflict => ConflictError::new_err(msg),
        F::State => StateError::new_err(msg),
        F::Integrity => IntegrityError::new_err(msg),
        F::Policy => PolicyError::new_err(msg),
        F::Storage => StorageError::new_err(msg),
    };
    let value = err.value(py);
    let (message_en, message_zh) = e.messages();
    let fields = e.fields();
    let record = fields.get("record").cloned();
    if let Err(set) = value
        .setattr("code", e.code())
        .and_then(|()| value.setattr("family", e.family().as_str()))
        .and_then(|()| value.setattr("message_en", message_en))
        .and_then(|()| value.setattr("message_zh", message_zh))
        .and_then(|()| value.setattr("fields", fields))
        .and_then(|()| value.setattr("record", record))
    {
        return set;
    }
    err
}

/// Converts a core result, raising its error.
pub(crate) fn check<T>(py: Python<'_>, r: vl::Result<T>) -> PyResult<T> {
    r.map_err(|e| ledger_err(py, &e))
}

/// An `E_FIELD` refusal for an argument the binding cannot convert (an unknown name).
pub(crate) fn bad_field(what: &str, field: &str, detail: impl Into<String>) -> vl::LedgerError {
    vl::LedgerError::InvalidField {
        what: what.to_owned(),
        field: field.to_owned(),
        detail: detail.into(),
    }
}
