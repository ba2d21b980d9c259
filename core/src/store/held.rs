//! Held files: the stores of one file (device and inode) in this process, counted, and the one
//! descriptor of the file they share — opened with the first and closed after the last one's
//! connection, because closing any descriptor of a file drops every POSIX lock the process
//! holds on it, SQLite's included.

use crate::error::LedgerError;
use std::path::Path;

/// A store's place among the stores of its file in this process, and the one descriptor of the
/// file they share: the one through which the file is synced early ([`synced_meanwhile`]).
///
/// Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
/// included. So the descriptor is opened with the first store of the file (device and inode)
/// and closed when the last one has gone, after its connection; a store is counted from just
/// after its connection is opened — before that connection reads or locks anything — until
/// just after it is closed ([`Store`] declares `held` after `conn`). So while any connection of
/// this library's SQLite to the file lives, the descriptor stays open: a descriptor per store,
/// closed with it, would drop the locks of another store's connection at that moment. (Another
/// copy of SQLite in the process — Python's `sqlite3` — loses its locks whenever a connection
/// of ours closes anyway: docs/schema.md.) A store whose file has no device and inode numbers
/// (not Unix), or whose descriptor cannot be opened, is still counted; its file is only not
/// synced early.
///
/// [`synced_meanwhile`]: super::early_sync::synced_meanwhile
/// [`Store`]: super::Store
#[derive(Debug)]
#[cfg_attr(not(unix), allow(dead_code))]
pub(super) struct Held {
    key: Option<(u64, u64)>,
    file: Option<std::sync::Arc<std::fs::File>>,
}

/// One file's stores in this process.
#[cfg_attr(not(unix), allow(dead_code))]
struct HeldFile {
    key: (u64, u64),
    file: Option<std::sync::Arc<std::fs::File>>,
    stores: usize,
}

static HELD: std::sync::Mutex<Vec<HeldFile>> = std::sync::Mutex::new(Vec::new());
/// Descriptors that turned out to name another file than the path did a moment before (it was
/// renamed over in between): never closed, as they might be the last of a file another store
/// holds a lock on.
static STRAY: std::sync::Mutex<Vec<std::fs::File>> = std::sync::Mutex::new(Vec::new());

/// The registry, even if a thread panicked while holding it (it holds counts and descriptors
/// only, and every change to it is a single step).
fn held_files() -> std::sync::MutexGuard<'static, Vec<HeldFile>> {
    HELD.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A file's device and inode, from its metadata (`None` where files have none, or the
/// metadata cannot be read).
fn key_of(metadata: std::io::Result<std::fs::Metadata>) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        metadata.ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        None
    }
}

/// The device and inode of the file at `path`.
pub(super) fn file_key(path: &Path) -> Option<(u64, u64)> {
    key_of(std::fs::metadata(path))
}

/// Why a store could not be counted among its file's: the file at the path changed while it
/// was opened, or cannot be identified.
#[derive(Debug)]
pub(super) struct NotHeld;

impl NotHeld {
    pub(super) fn at(self, path: &str) -> LedgerError {
        LedgerError::Storage {
            path: path.to_owned(),
            detail:
                "the file changed while it was being opened (renamed or replaced); open it again"
                    .into(),
            detail_zh: "文件在打开过程中被改名或替换；请重新打开".into(),
        }
    }
}

impl Held {
    /// Counts a store of the file at `path`, whose connection has just been opened (and has
    /// read and locked nothing yet). `named` is the file the path named before the connection
    /// was opened (none for a file the connection creates): on Unix a store is refused unless
    /// the path still names that file — otherwise the connection's file might go uncounted.
    pub(super) fn open(
        path: &Path,
        named: Option<(u64, u64)>,
    ) -> std::result::Result<Self, NotHeld> {
        if cfg!(not(unix)) {
            return Ok(Self {
                key: None,
                file: None,
            });
        }
        let key = file_key(path).ok_or(NotHeld)?;
        if named.is_some_and(|n| n != key) {
            return Err(NotHeld);
        }
        let mut held = held_files();
        if let Some(h) = held.iter_mut().find(|h| h.key == key) {
            h.stores += 1;
            return Ok(Self {
                key: Some(key),
                file: h.file.clone(),
            });
        }
        let mut file = std::fs::File::open(path).ok().map(std::sync::Arc::new);
        if let Some(f) = file.take() {
            // The descriptor names the file counted, or it is never closed (see `STRAY`).
            if key_of(f.metadata()) == Some(key) {
                file = Some(f);
            } else if let Ok(f) = std::sync::Arc::try_unwrap(f) {
                STRAY
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(f);
            }
        }
        held.push(HeldFile {
            key,
            file: file.clone(),
            stores: 1,
        });
        Ok(Self {
            key: Some(key),
            file,
        })
    }

    /// The shared descriptor of the file, if there is one.
    pub(super) fn file(&self) -> Option<&std::fs::File> {
        self.file.as_deref()
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let Some(key) = self.key else {
            return;
        };
        let mut held = held_files();
        let Some(i) = held.iter().position(|h| h.key == key) else {
            return;
        };
        if let Some(h) = held.get_mut(i) {
            h.stores = h.stores.saturating_sub(1);
            if h.stores == 0 {
                // The last store of the file (its connection is closed already): the descriptor
                // closes here, while the registry is locked, so that no store of the file can
                // be counted — and its connection lock anything — before it is closed.
                held.swap_remove(i);
                drop(self.file.take());
            }
        }
    }
}
