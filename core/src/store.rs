//! The file ledger: one SQLite file (WAL) that holds the entry log — the truth — and plain
//! projection tables (orgs, volunteers, teams, records) written in the same transaction, so
//! data staff can read the file with `sqlite3` or `pandas.read_sql`. A snapshot of the state
//! makes reopening fast; it is a cache, checked against the log and rebuilt when it is not
//! usable. The layout is documented in `docs/schema.md`.
//!
//! This file holds the store of one open file — creating and opening it, its transactions,
//! its `meta` values; each other concern has a file of its own:
//!
//! | module | what it holds |
//! |---|---|
//! | `schema` | the tables, the version marks, the upgrade of a version-1 file |
//! | `entries` | the log's rows: appended, read back checked, their hashes for proofs |
//! | `projections` | the tables queries read, and whether they reflect the log |
//! | `snapshot` | the saved state |
//! | `identity_keys` | volunteers' wrapped data keys, outside the hash-chained log |
//! | `writer` | the writing thread of a bulk add and the packed chunks it is sent |
//! | `early_sync` | syncing the WAL and the file while a bulk add writes |
//! | `held` | the one descriptor of a file that its stores in this process share |
//! | `rows` | an entry's and a record's row as a statement's parameters, bound where they changed |

use crate::error::{LedgerError, Result};
use crate::log::Hash;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::path::Path;

mod early_sync;
mod entries;
mod held;
mod identity_keys;
mod projections;
mod rows;
mod schema;
mod snapshot;
mod writer;

use early_sync::{BIG_COMMIT_ROWS, EARLY_SYNC, synced_meanwhile};
use held::{Held, file_key};
pub(crate) use projections::ProjectionCounts;
pub use schema::SCHEMA_VERSION;
use schema::{APPLICATION_ID, ENTRIES, SCHEMA};
pub(crate) use writer::{Admitted, DataKeyRow};

/// An open ledger file.
pub(crate) struct Store {
    conn: Connection,
    path: String,
    /// An explicit transaction is open.
    in_tx: bool,
    /// The transaction was opened by a batch (commits inside it do not end it).
    pub(crate) batch: bool,
    /// A write inside the current batch failed: the batch is rolled back at its end, and
    /// every change until then is refused with this error.
    pub(crate) batch_failed: Option<LedgerError>,
    /// Rows a bulk add wrote in the open transaction (its commit is a big one past
    /// [`BIG_COMMIT_ROWS`]).
    bulk_rows: usize,
    /// The database file, held open by this process while any store of it is (for early
    /// syncs; see [`Held`]). Declared after `conn`, so that it is let go after the connection
    /// is closed.
    held: Held,
    /// The Merkle roots of the log's complete blocks of committed entries, learnt the first
    /// time proofs are asked (`crate::merkle::BlockRoots`).
    blocks: std::cell::RefCell<crate::merkle::BlockRoots>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// A `rusqlite` error as a storage error on a file.
pub(crate) fn storage(path: &str, what: &str, zh: &str, e: impl std::fmt::Display) -> LedgerError {
    LedgerError::Storage {
        path: path.to_owned(),
        detail: format!("{what}: {e}"),
        detail_zh: format!("{zh}：{e}"),
    }
}

/// Removes a ledger file and its WAL files (a file this library just made and must not leave
/// behind half-made); what is not there is not an error.
pub(crate) fn remove_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

fn path_text(path: &Path) -> String {
    path.display().to_string()
}

impl Store {
    /// Creates a new ledger file; refuses a path where a file exists already.
    pub(crate) fn create(path: &Path, ledger_id: &str) -> Result<Self> {
        let p = path_text(path);
        if path.exists() {
            return Err(LedgerError::Storage {
                path: p,
                detail: "a file exists there already; open it, or choose another path".into(),
                detail_zh: "该位置已有文件；请打开它，或换一个路径".into(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        // Declared before the connection, so that a refusal below closes the connection first.
        let held;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| storage(&p, "cannot create the file", "无法创建文件", e))?;
        // Before the connection reads or locks anything (see `Held`).
        held = Held::open(path, None).map_err(|e| e.at(&p))?;
        // 32 KiB pages (before WAL fixes the size): a big upload writes fewer, fuller pages —
        // fewer WAL frames to write, sync and copy back — while a single change's commit costs
        // about what it does with 8 KiB pages (measured; 64 KiB pages doubled it).
        conn.execute_batch("PRAGMA page_size = 32768")
            .map_err(|e| storage(&p, "cannot set up the file", "无法设置文件", e))?;
        let mut store = Self::configure(conn, p, held)?;
        let p = store.path.clone();
        let init = format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};
             BEGIN; {ENTRIES} {SCHEMA}
             INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');
             INSERT INTO meta VALUES ('library_version', '{}');
             INSERT INTO meta VALUES ('ledger_id', '{}');
             INSERT INTO meta VALUES ('projected_seq', '-1');
             COMMIT;",
            env!("CARGO_PKG_VERSION"),
            ledger_id.replace('\'', "''"),
        );
        store
            .conn
            .execute_batch(&init)
            .map_err(|e| storage(&p, "cannot write the schema", "无法写入表结构", e))?;
        store.in_tx = false;
        Ok(store)
    }

    /// Opens an existing ledger file. A file from a newer schema, another SQLite database or
    /// a file that is not SQLite at all is refused before anything is written to it.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let p = path_text(path);
        if !path.is_file() {
            return Err(LedgerError::Storage {
                path: p,
                detail: "no ledger file there; create one with Ledger::create".into(),
                detail_zh: "该位置没有账本文件；请先用 Ledger::create 创建".into(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let named = file_key(path);
        // Declared before the connection, so that a refusal below closes the connection first.
        let held;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| storage(&p, "cannot open the file", "无法打开文件", e))?;
        // Before the connection reads or locks anything (see `Held`).
        held = Held::open(path, named).map_err(|e| e.at(&p))?;
        let pragma = |name: &str| -> Result<i64> {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0))
                .map_err(|e| match e.sqlite_error_code() {
                    Some(rusqlite::ErrorCode::NotADatabase) => LedgerError::NotALedger {
                        path: p.clone(),
                        detail: "not an SQLite database".into(),
                    },
                    _ => storage(&p, "cannot read the file's header", "无法读取文件头", e),
                })
        };
        let app = pragma("application_id")?;
        let version = pragma("user_version")?;
        if app != APPLICATION_ID {
            return Err(LedgerError::NotALedger {
                path: p,
                detail: format!("an SQLite database with application id {app:#x}"),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(LedgerError::SchemaVersion {
                path: p,
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version < 1 {
            return Err(LedgerError::NotALedger {
                path: p,
                detail: format!("schema version {version}"),
            });
        }
        let mut store = Self::configure(conn, p, held)?;
        if version == 1 {
            store.upgrade_from_1()?;
        }
        Ok(store)
    }

    fn configure(conn: Connection, path: String, held: Held) -> Result<Self> {
        // WAL: readers (sqlite3, pandas) never block the ledger; FULL: a commit that returned
        // survives a power cut, not only a crash of the process.
        // The WAL is copied into the file once it holds 8 MiB (SQLite's 1000 pages, at 8 KiB;
        // so 256 at 32 KiB), and cut back to 64 MiB after that, so that a big upload does not
        // leave a WAL of its own size on disk until the ledger closes.
        let set_up = |conn: &Connection| -> rusqlite::Result<()> {
            conn.execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;
                 PRAGMA cache_size = -65536; PRAGMA journal_size_limit = 67108864;",
            )?;
            let page: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            conn.execute_batch(&format!(
                "PRAGMA wal_autocheckpoint = {}",
                (8 << 20) / page.max(512)
            ))
        };
        if let Err(e) = set_up(&conn) {
            // The connection closes before the file's count is let go (see `Held`).
            drop(conn);
            drop(held);
            return Err(storage(&path, "cannot set up the file", "无法设置文件", e));
        }
        Ok(Self {
            conn,
            path,
            in_tx: false,
            batch: false,
            batch_failed: None,
            bulk_rows: 0,
            held,
            blocks: std::cell::RefCell::default(),
        })
    }

    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    fn err(&self, what: &str, zh: &str, e: impl std::fmt::Display) -> LedgerError {
        storage(&self.path, what, zh, e)
    }

    fn row_failed(&self, e: rusqlite::Error) -> LedgerError {
        self.err("cannot write the projections", "无法写入投影表", e)
    }

    /// Opens a write transaction unless one is open, and says where the file's log stands
    /// against this ledger's (`len` entries, the last one `last`): the same, or ahead — another
    /// process appended entries since this ledger last looked, and they continue this ledger's
    /// chain, so it can catch up inside the transaction (nobody else can write until it ends).
    /// A file whose log does not continue this ledger's (shorter, or another entry where this
    /// ledger's last one was) is refused and the transaction closed: writing would fork the
    /// chain.
    pub(crate) fn begin(&mut self, len: u64, last: Hash) -> Result<Begun> {
        if self.in_tx {
            return Ok(Begun::Current);
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err("cannot start a transaction", "无法开始事务", e))?;
        self.in_tx = true;
        let begun = match self.head() {
            Ok(h) if h == (len, last) => Ok(Begun::Current),
            Ok((head, _)) if head > len && (len == 0 || self.entry_hash(len - 1) == Some(last)) => {
                Ok(Begun::Behind { head })
            }
            Ok(_) => Err(LedgerError::Storage {
                path: self.path.clone(),
                detail: "the file's log no longer continues this ledger's (another process \
                         replaced or rewrote it); reopen it"
                    .into(),
                detail_zh:
                    "文件中的日志已不再延续本账本的日志（另一进程替换或改写了它），请重新打开"
                        .into(),
            }),
            Err(e) => Err(e),
        };
        if begun.is_err() {
            self.rollback();
        }
        begun
    }

    /// Opens a write transaction only if the file's log ends where this ledger's does
    /// (`len` entries, the last one `last`): for writing what is true of exactly that head,
    /// such as a snapshot. `false` (and no transaction) when it ends elsewhere.
    pub(crate) fn begin_at_head(&mut self, len: u64, last: Hash) -> Result<bool> {
        // Looked at first without the write lock: a ledger behind the file's head (a reader
        // beside a busy writer) need not wait for the lock only to write nothing.
        if self.in_tx || self.head()? != (len, last) {
            return Ok(false);
        }
        match self.begin(len, last) {
            Ok(Begun::Current) => Ok(true),
            Ok(Begun::Behind { .. }) => {
                self.rollback();
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Opens a read transaction: until [`Store::end_read`], every read sees the file as it
    /// was at the first of them, whatever other processes commit meanwhile.
    pub(crate) fn begin_read(&mut self) -> Result<()> {
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .map_err(|e| self.err("cannot start a transaction", "无法开始事务", e))
    }

    /// Ends the read transaction [`Store::begin_read`] opened.
    pub(crate) fn end_read(&mut self) -> Result<()> {
        self.conn
            .execute_batch("COMMIT")
            .map_err(|e| self.err("cannot end a transaction", "无法结束事务", e))
    }

    /// Commits the open transaction as it is (no projection bookkeeping).
    pub(crate) fn commit_plain(&mut self) -> Result<()> {
        // After a big bulk add the commit writes the rest of the transaction to the WAL and
        // syncs it: its pages go to the disk as they are written.
        let big = std::mem::take(&mut self.bulk_rows) >= BIG_COMMIT_ROWS;
        let committed = if big {
            let file = self.held.file();
            synced_meanwhile(&self.path, file, EARLY_SYNC / 5, || {
                self.conn.execute_batch("COMMIT")
            })
        } else {
            self.conn.execute_batch("COMMIT")
        };
        if let Err(e) = committed {
            self.rollback();
            return Err(self.err("cannot commit", "无法提交事务", e));
        }
        self.in_tx = false;
        Ok(())
    }

    /// Records which entry the projections now reflect and commits the open transaction.
    pub(crate) fn commit(&mut self, projected_seq: i64) -> Result<()> {
        if !self.in_tx {
            return Ok(());
        }
        let written = self
            .conn
            .prepare_cached("UPDATE meta SET value = ?1 WHERE key = 'projected_seq'")
            .and_then(|mut st| st.execute(params![projected_seq.to_string()]))
            .map_err(|e| self.err("cannot write the projections", "无法写入投影表", e));
        if let Err(e) = written {
            self.rollback();
            return Err(e);
        }
        self.commit_plain()
    }

    /// Abandons the open transaction (nothing of it reaches the file).
    pub(crate) fn rollback(&mut self) {
        if self.in_tx {
            // A failed rollback leaves SQLite to roll back when the connection closes or the
            // file is next opened; there is nothing better to do with the error here.
            let _ = self.conn.execute_batch("ROLLBACK");
            self.in_tx = false;
            self.bulk_rows = 0;
        }
    }

    /// Whether a transaction is open.
    pub(crate) fn in_transaction(&self) -> bool {
        self.in_tx
    }

    /// Starts a transaction for a rebuild of the projections (no entry is written).
    pub(crate) fn begin_rebuild(&mut self) -> Result<()> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err("cannot start a transaction", "无法开始事务", e))?;
        self.in_tx = true;
        Ok(())
    }

    /// A value kept in the `meta` table.
    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err("cannot read the metadata", "无法读取元数据", e))
    }

    /// Keeps a value in the `meta` table (its own transaction).
    pub(crate) fn put_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO meta VALUES (?1, ?2)",
                params![key, value],
            )
            .map_err(|e| self.err("cannot write the metadata", "无法写入元数据", e))?;
        Ok(())
    }
}

/// Where a file's log stands when a write transaction opens (see [`Store::begin`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Begun {
    /// It ends where the ledger's does (or the transaction was open already).
    Current,
    /// Another process appended entries up to `head` (the count) that continue the ledger's
    /// chain: the ledger catches up before it writes.
    Behind {
        /// The number of entries in the file.
        head: u64,
    },
}
