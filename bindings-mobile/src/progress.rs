//! How far a long call has got, told to the app: the [`ProgressListener`] callback interface
//! and its adapter to the core's `Progress`, which takes a throw or a panic as "stop telling"
//! (the call itself goes on to its end).

use std::panic::{AssertUnwindSafe, catch_unwind};

use volunteer_ledger as vl;

use crate::conversions::signed;

/// What a [`ProgressListener`] may throw. Whatever it throws (this or anything else), the call
/// it listens to goes on to its end and does not call it again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum ProgressListenerError {
    /// The listener failed (its view is gone, say).
    #[error("progress listener failed: {detail}")]
    Failed {
        /// Why, for the app's own logs.
        detail: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for ProgressListenerError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed { detail: e.reason }
    }
}

/// Told how far a long call has got (an upload, a bulk add, opening, saving or checking a
/// ledger): `done` of `total` rows, records or log entries — `0` of the total first, then every
/// 1000, and `total` of `total` at the end. Called on the thread that runs the call (with
/// `SuspendingLedger`, an IO thread: post to the main thread to draw); it must not call the
/// same ledger.
#[uniffi::export(callback_interface)]
pub trait ProgressListener: Send + Sync {
    /// `done` of `total` units are done.
    fn on_progress(&self, done: i64, total: i64) -> Result<(), ProgressListenerError>;
}

/// Runs `f` with the core's `Progress` telling `listener` (nobody without one).
pub(crate) fn with_progress<T>(
    listener: Option<Box<dyn ProgressListener>>,
    f: impl FnOnce(vl::Progress<'_>) -> T,
) -> T {
    let Some(listener) = listener else {
        return f(vl::Progress::none());
    };
    let mut stopped = false;
    let mut tell = |done: u64, total: u64| {
        if stopped {
            return;
        }
        let told = catch_unwind(AssertUnwindSafe(|| {
            listener.on_progress(signed(done), signed(total))
        }));
        stopped = !matches!(told, Ok(Ok(())));
    };
    f(vl::Progress::to(&mut tell))
}
