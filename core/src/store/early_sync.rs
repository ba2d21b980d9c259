//! Syncing early: while a bulk add writes (and while its big commit runs), a second thread
//! syncs the WAL — and the database file, through the descriptor its stores share — so that
//! the pages reach the disk as they are written instead of all at SQLite's sync.

/// How often the WAL is synced while a bulk add runs (see [`synced_meanwhile`]).
pub(super) const EARLY_SYNC: std::time::Duration = std::time::Duration::from_millis(100);
/// A transaction in which a bulk add wrote this many rows (≈ 20 MB) has a big commit.
pub(super) const BIG_COMMIT_ROWS: usize = 50_000;

/// Runs `f` while a second thread syncs the ledger's WAL every `every` — and the database
/// file, when given (a big commit copies the WAL into it) — so that the pages `f` writes reach
/// the disk while it runs instead of all at SQLite's sync. Only a head start: SQLite still
/// syncs at the commit as it always does; a WAL that cannot be opened, or a thread that cannot
/// start, is simply not synced early.
///
/// The database file is only ever synced through the descriptor [`Held`] keeps: closing any
/// descriptor of a file drops every POSIX lock the process holds on it, SQLite's included (a
/// test checks that a bulk add leaves them as they were). SQLite takes no lock on the WAL,
/// which is opened here and closed again. It is opened for writing only because some systems
/// (Windows) sync nothing through a read-only handle; nothing is written through it.
///
/// [`Held`]: super::held::Held
pub(super) fn synced_meanwhile<R>(
    path: &str,
    db: Option<&std::fs::File>,
    every: std::time::Duration,
    f: impl FnOnce() -> R,
) -> R {
    let wal = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(format!("{path}-wal"));
    let Ok(wal) = wal else {
        return f();
    };
    std::thread::scope(|s| {
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let _ = std::thread::Builder::new()
            .name("vl-sync".into())
            .spawn_scoped(s, move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(every)
                {
                    let _ = wal.sync_data();
                    if let Some(db) = db {
                        let _ = db.sync_data();
                    }
                }
            });
        let out = f();
        drop(done);
        out
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn syncing_meanwhile_returns_what_f_returns_and_stops_with_it() {
        let dir = std::env::temp_dir().join(format!("vl-synced-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let file = dir.join("ledger.db");
        std::fs::write(dir.join("ledger.db-wal"), b"frames").unwrap_or_default();
        let path = file.to_string_lossy().into_owned();
        let every = std::time::Duration::from_millis(5);
        // The WAL is synced a few times while `f` runs.
        let out = super::synced_meanwhile(&path, None, every, || {
            std::thread::sleep(every * 6);
            42
        });
        assert_eq!(out, 42);
        // No WAL: nothing to sync, nothing fails.
        let missing = dir.join("missing.db").to_string_lossy().into_owned();
        assert_eq!(
            super::synced_meanwhile(&missing, None, every, || "done"),
            "done"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
