//! The exceptions a refusal raises: `LedgerError` and one subclass per error family, each
//! carrying the core error's stable `code`, its `family`, the message in English and Chinese,
//! and the values it names (`fields`, `record`).

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
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
    InputError,
    LedgerError,
    "A value passed in is malformed: an identity number, a period, an id or a field (family 'input')."
);
create_exception!(
    volunteer_ledger,
    ValidationError,
    LedgerError,
    "A service record breaks a rule of the policy (family 'validation')."
);
create_exception!(
    volunteer_ledger,
    AuthorizationError,
    LedgerError,
    "The actor may not make this change (family 'authorization')."
);
create_exception!(
    volunteer_ledger,
    NotFoundError,
    LedgerError,
    "Something named does not exist (family 'not_found')."
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

/// Raises a core error as the exception of its family, carrying `code` and `family`.
pub(crate) fn ledger_err(py: Python<'_>, e: &vl::LedgerError) -> PyErr {
    use vl::ErrorFamily as F;
    let msg = e.to_string();
    let err = match e.family() {
        F::Input => InputError::new_err(msg),
        F::Validation => ValidationError::new_err(msg),
        F::Authorization => AuthorizationError::new_err(msg),
        F::NotFound => NotFoundError::new_err(msg),
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
