//! Warnings: what an operation noticed and worked around. The operation did what was asked;
//! a warning says what it set aside, with a stable code (`W_…`) and a message in English and
//! Chinese that never carries a name or an identity number.

use crate::error::LedgerError;

/// Something an operation noticed and worked around, e.g. a snapshot that opening a ledger
/// file set aside. Codes are stable across versions and languages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "LedgerWarning"
    )
)]
pub struct Warning {
    /// The stable code, e.g. `W_SNAPSHOT_IGNORED`.
    pub code: String,
    /// What happened, in English.
    pub message_en: String,
    /// What happened, in Chinese.
    pub message_zh: String,
}

impl Warning {
    /// Opening a ledger file set its snapshot aside — the entries after it did not replay on
    /// it (`refusal`) — and replayed the whole log instead.
    pub(crate) fn snapshot_ignored(entries_in_snapshot: u64, refusal: &LedgerError) -> Self {
        let code = refusal.code();
        Self {
            code: "W_SNAPSHOT_IGNORED".into(),
            message_en: format!(
                "the file's snapshot (of the first {entries_in_snapshot} entries) does not fit \
                 its log ({code} replaying the entries after it); it was set aside and the whole \
                 log replayed"
            ),
            message_zh: format!(
                "文件中的快照（前 {entries_in_snapshot} 条日志）与日志不符（重放其后条目时出现 \
                 {code}）；已弃用该快照并重放全部日志"
            ),
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} / {}",
            self.code, self.message_en, self.message_zh
        )
    }
}
