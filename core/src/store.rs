//! The file ledger: one SQLite file (WAL) that holds the entry log — the truth — and plain
//! projection tables (orgs, volunteers, teams, records) written in the same transaction, so
//! data staff can read the file with `sqlite3` or `pandas.read_sql`. A snapshot of the state
//! makes reopening fast; it is a cache, checked against the log and rebuilt when it is not
//! usable. The layout is documented in `docs/schema.md`.

use crate::error::{LedgerError, Result};
use crate::log::{Change, Entry, Hash, entry_from_stored, stored_body};
use crate::org::{NewTeam, Org, VolunteerView};
use crate::record::ServiceRecord;
use crate::vault::WrappedKey;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::path::Path;

/// The schema version this library writes and the newest it reads. 2: an entry's row holds
/// its body (`body`) instead of its whole canonical bytes, which are rebuilt from the row;
/// a version-1 file is upgraded when it is opened.
pub const SCHEMA_VERSION: i64 = 2;
/// SQLite's `application_id` of a ledger file: "VLED".
const APPLICATION_ID: i64 = 0x564C_4544;
/// The version of the snapshot encoding; a snapshot of another version is ignored.
/// 2: training and carried records' minutes became signed (for the bindings' Java callers),
/// which postcard encodes differently, and board visibilities are kept as JSON text: a
/// format-1 snapshot must be replayed, not read. 3: a volunteer keeps when their latest
/// record ends. 4: texts (record ids, contents, other ids) are front-coded, and a record's
/// missing team or activity takes one byte. 5: the state keeps the Merkle frontier of the log
/// (`crate::merkle`), so that a ledger opened from a snapshot can sign its head, and a
/// volunteer's identity is held sealed (mask, tag, ciphertext; `docs/identity.md`), no longer
/// as its number. 6: a sealed identity is held as bytes (tag, nonce, ciphertext in one
/// allocation), no longer as the log's hex, and a volunteer's fields are in another order.
pub(crate) const SNAPSHOT_FORMAT: i64 = 6;

/// The key table: volunteers' data keys wrapped under a ledger key, outside the hash-chained
/// log, so that erasing an identity destroys its key and nothing the chain covers.
/// Files made before it get it on their first registration.
const IDENTITY_KEYS: &str = "
CREATE TABLE IF NOT EXISTS identity_keys (
    volunteer TEXT PRIMARY KEY,
    key_id    TEXT NOT NULL,
    nonce     BLOB NOT NULL,
    wrapped   BLOB NOT NULL
) WITHOUT ROWID;
";

/// The log's table (also what an upgrade from version 1 creates).
const ENTRIES: &str = "
CREATE TABLE entries (
    seq   INTEGER PRIMARY KEY,
    time  INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind  TEXT NOT NULL,
    body  BLOB NOT NULL,
    hash  BLOB NOT NULL
);
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'the entry log is append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'the entry log is append-only'); END;
";

const SCHEMA: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE snapshot (
    slot    INTEGER PRIMARY KEY CHECK (slot = 1),
    seq     INTEGER NOT NULL,
    hash    BLOB NOT NULL,
    format  INTEGER NOT NULL,
    library TEXT NOT NULL,
    data    BLOB NOT NULL
);
CREATE TABLE orgs (
    id     TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    parent TEXT
) WITHOUT ROWID;
CREATE TABLE volunteers (
    n               INTEGER PRIMARY KEY,
    id              TEXT NOT NULL,
    masked_name     TEXT NOT NULL,
    identity_kind   TEXT NOT NULL,
    masked_identity TEXT NOT NULL,
    home_org        TEXT,
    work_unit       TEXT,
    visibility      TEXT NOT NULL,
    total_minutes   INTEGER NOT NULL,
    carried_minutes INTEGER NOT NULL,
    transferred_out INTEGER NOT NULL
);
CREATE TABLE teams (
    id     TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    org    TEXT NOT NULL,
    leader TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE team_members (
    team      TEXT NOT NULL,
    volunteer TEXT NOT NULL,
    role      TEXT NOT NULL,
    PRIMARY KEY (team, volunteer)
) WITHOUT ROWID;
CREATE TABLE records (
    n              INTEGER PRIMARY KEY,
    id             TEXT NOT NULL,
    volunteer      TEXT NOT NULL,
    org            TEXT NOT NULL,
    team           TEXT,
    activity       TEXT,
    service_date   TEXT NOT NULL,
    start          INTEGER NOT NULL,
    \"end\"          INTEGER NOT NULL,
    minutes        INTEGER NOT NULL,
    content        TEXT NOT NULL,
    state          TEXT NOT NULL,
    counted        INTEGER NOT NULL,
    make_up        INTEGER NOT NULL,
    source         TEXT NOT NULL,
    paid           INTEGER NOT NULL,
    public_benefit INTEGER NOT NULL,
    job_duty       INTEGER NOT NULL,
    recorded_by    TEXT NOT NULL,
    confirmed_by   TEXT,
    amends         TEXT,
    superseded_by  TEXT,
    reason         TEXT,
    entry_seq      INTEGER NOT NULL
);
CREATE TRIGGER orgs_edited AFTER UPDATE ON orgs BEGIN
    INSERT OR REPLACE INTO meta VALUES ('projections_edited', '1'); END;
CREATE TRIGGER orgs_deleted AFTER DELETE ON orgs BEGIN
    INSERT OR REPLACE INTO meta VALUES ('projections_edited', '1'); END;
CREATE TRIGGER volunteers_edited AFTER UPDATE ON volunteers BEGIN
    INSERT OR REPLACE INTO meta VALUES ('projections_edited', '1'); END;
CREATE TRIGGER volunteers_deleted AFTER DELETE ON volunteers BEGIN
    INSERT OR REPLACE INTO meta VALUES ('projections_edited', '1'); END;
CREATE TRIGGER teams_edited AFTER UPDATE ON teams BEGIN
    INSERT OR REPLACE INTO meta VALUES ('projections_edited', '1'); END;
CREATE TRIGGER teams_deleted AFTER DELETE ON teams BEGIN
    INSERT OR REPLACE INTO meta VALUES ('projections_edited', '1'); END;
CREATE TRIGGER team_members_edited AFTER UPDATE ON team_members BEGIN
    INSERT OR REPLACE INTO meta VALUES ('projections_edited', '1'); END;
CREATE TRIGGER records_edited AFTER UPDATE ON records BEGIN
    INSERT OR REPLACE INTO meta VALUES ('projections_edited', '1'); END;
CREATE TRIGGER records_deleted AFTER DELETE ON records BEGIN
    INSERT OR REPLACE INTO meta VALUES ('projections_edited', '1'); END;
";

/// The projection tables, in the order they are cleared and rebuilt.
pub(crate) const PROJECTIONS: [&str; 5] =
    ["orgs", "volunteers", "teams", "team_members", "records"];

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

    /// Upgrades a version-1 file in one transaction: every entry is read back from its
    /// canonical bytes, its chain checked, and written as a version-2 row. A file whose chain
    /// does not hold is refused (`E_CHAIN_BROKEN`) and left as it was.
    fn upgrade_from_1(&mut self) -> Result<()> {
        self.begin_rebuild()?;
        let done = (|| -> Result<()> {
            let fail = |e: rusqlite::Error| self.err("cannot upgrade the file", "无法升级文件", e);
            self.conn
                .execute_batch(&format!(
                    "DROP TRIGGER IF EXISTS entries_no_update; DROP TRIGGER IF EXISTS entries_no_delete;
                     ALTER TABLE entries RENAME TO entries_1; {ENTRIES}"
                ))
                .map_err(fail)?;
            let mut read = self
                .conn
                .prepare("SELECT seq, canonical, hash FROM entries_1 ORDER BY seq")
                .map_err(fail)?;
            let mut write = self.conn.prepare(INSERT_ENTRY).map_err(fail)?;
            let mut rows = read.query([]).map_err(fail)?;
            let (mut expect, mut prev) = (0u64, Hash::ZERO);
            while let Some(row) = rows.next().map_err(fail)? {
                let seq: i64 = row.get(0).map_err(fail)?;
                // Bytes, as written — or text, if someone's SQL turned them into text.
                let bytes = row
                    .get_ref(1)
                    .map_err(fail)?
                    .as_bytes()
                    .map(<[u8]>::to_vec)
                    .map_err(|e| self.err("cannot upgrade the file", "无法升级文件", e))?;
                let stored: Vec<u8> = row.get(2).map_err(fail)?;
                let broken = |detail: String| LedgerError::ChainBroken {
                    seq: expect,
                    detail,
                };
                let entry = crate::log::entry_from_canonical(&bytes).map_err(broken)?;
                if seq != expect as i64 || entry.seq != expect || entry.prev != prev {
                    return Err(broken("the chain does not hold".into()));
                }
                if Some(entry.hash) != hash_of(&stored) {
                    return Err(broken("content does not match its stored hash".into()));
                }
                append_entry(&mut write, &entry).map_err(fail)?;
                (expect, prev) = (expect + 1, entry.hash);
            }
            self.conn
                .execute_batch(&format!(
                    "DROP TABLE entries_1; PRAGMA user_version = {SCHEMA_VERSION};
                     UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema_version';"
                ))
                .map_err(fail)
        })();
        match done {
            Ok(()) => self.commit_plain(),
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
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

    /// The newest entry on disk: (number of entries, hash of the last).
    pub(crate) fn head(&self) -> Result<(u64, Hash)> {
        let row: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err("cannot read the log", "无法读取日志", e))?;
        match row {
            None => Ok((0, Hash::ZERO)),
            Some((seq, hash)) => {
                let hash = hash_of(&hash).ok_or_else(|| LedgerError::ChainBroken {
                    seq: seq as u64,
                    detail: "the stored hash is not 32 bytes".into(),
                })?;
                Ok((seq as u64 + 1, hash))
            }
        }
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

    /// Writes one entry (inside the open transaction).
    pub(crate) fn append(&mut self, entry: &Entry) -> Result<()> {
        self.conn
            .prepare_cached(INSERT_ENTRY)
            .and_then(|mut st| append_entry(&mut st, entry))
            .map_err(|e| self.err("cannot write the log", "无法写入日志", e))
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

    fn row_failed(&self, e: rusqlite::Error) -> LedgerError {
        self.err("cannot write the projections", "无法写入投影表", e)
    }

    /// Writes an org's projection row.
    pub(crate) fn put_org(&self, o: &Org) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO orgs VALUES (?1, ?2, ?3, ?4)")
            .and_then(|mut st| {
                st.execute(params![
                    o.id.as_str(),
                    o.name,
                    o.kind.as_str(),
                    o.parent.as_ref().map(|p| p.as_str())
                ])
            })
            .map_err(|e| self.row_failed(e))?;
        Ok(())
    }

    /// Keeps a volunteer's wrapped data key (in the open transaction, beside the entry that
    /// registers them).
    pub(crate) fn put_data_key(&self, volunteer: &str, w: &WrappedKey) -> Result<()> {
        let fail = |e| self.row_failed(e);
        self.conn.execute_batch(IDENTITY_KEYS).map_err(fail)?;
        self.conn
            .execute(
                "INSERT OR REPLACE INTO identity_keys VALUES (?1, ?2, ?3, ?4)",
                params![volunteer, w.key_id, &w.nonce[..], w.wrapped],
            )
            .map_err(fail)?;
        Ok(())
    }

    /// A volunteer's wrapped data key, if the file holds one.
    pub(crate) fn data_key(&self, volunteer: &str) -> Result<Option<WrappedKey>> {
        let fail = |e| self.err("read a data key", "读取数据密钥", e);
        let has_table: bool = self
            .conn
            .query_row(
                "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'identity_keys'",
                [],
                |r| r.get(0),
            )
            .map_err(fail)?;
        if !has_table {
            return Ok(None);
        }
        let row = self
            .conn
            .query_row(
                "SELECT key_id, nonce, wrapped FROM identity_keys WHERE volunteer = ?1",
                [volunteer],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(fail)?;
        Ok(row.and_then(|(key_id, nonce, wrapped)| {
            Some(WrappedKey {
                key_id,
                nonce: nonce.try_into().ok()?,
                wrapped,
            })
        }))
    }

    /// Destroys a volunteer's wrapped data key (in the open transaction): with `secure_delete`
    /// on, so that the freed page is overwritten with zeros, not left for a file reader.
    pub(crate) fn delete_data_key(&self, volunteer: &str) -> Result<()> {
        let fail = |e| self.row_failed(e);
        self.conn
            .execute_batch(&format!("PRAGMA secure_delete = ON;{IDENTITY_KEYS}"))
            .map_err(fail)?;
        self.conn
            .execute(
                "DELETE FROM identity_keys WHERE volunteer = ?1",
                [volunteer],
            )
            .map_err(fail)?;
        Ok(())
    }

    /// Copies the WAL into the database and truncates it, so that no frame written before an
    /// erase (an erased data key's page among them) stays in the `-wal` file. Outside any
    /// transaction; best effort when readers hold the WAL (the next checkpoint finishes it).
    pub(crate) fn truncate_wal(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|e| self.err("checkpoint the WAL", "检查点写回 WAL", e))
    }

    /// Writes volunteers' projection rows (masked, as every view of them is), one statement for
    /// them all, binding only what changed from the row before ([`Bound`]).
    pub(crate) fn put_volunteers(
        &self,
        views: impl Iterator<Item = (u32, VolunteerView)>,
    ) -> Result<()> {
        let fail = |e| self.row_failed(e);
        let mut st = self
            .conn
            .prepare_cached(
                "INSERT OR REPLACE INTO volunteers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .map_err(fail)?;
        let mut bound = Bound::default();
        for (n, v) in views {
            let values = [
                int(n),
                text(v.id.as_str()),
                text(&v.masked_name),
                text(v.identity_kind.as_str()),
                text(&v.masked_identity),
                optional(v.home_org.as_ref().map(|o| o.as_str())),
                optional(v.work_unit.as_ref().map(|o| o.as_str())),
                text(v.visibility.mode()),
                int(v.total_minutes),
                int(v.carried_minutes),
                int(v.transferred_out),
            ];
            bound.execute(&mut st, &values).map_err(fail)?;
        }
        Ok(())
    }

    /// Writes a team's projection rows: the team and its members with their roles.
    pub(crate) fn put_team(&self, t: &NewTeam) -> Result<()> {
        let fail = |e| self.row_failed(e);
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO teams VALUES (?1, ?2, ?3, ?4)")
            .and_then(|mut st| {
                st.execute(params![
                    t.id.as_str(),
                    t.name,
                    t.org.as_str(),
                    t.leader.as_str()
                ])
            })
            .map_err(fail)?;
        self.conn
            .prepare_cached("DELETE FROM team_members WHERE team = ?1")
            .and_then(|mut st| st.execute(params![t.id.as_str()]))
            .map_err(fail)?;
        let mut st = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO team_members VALUES (?1, ?2, ?3)")
            .map_err(fail)?;
        let roles = std::iter::once((&t.leader, "leader"))
            .chain(t.liaisons.iter().map(|v| (v, "liaison")))
            .chain(t.members.iter().map(|v| (v, "member")));
        for (v, role) in roles {
            st.execute(params![t.id.as_str(), v.as_str(), role])
                .map_err(fail)?;
        }
        Ok(())
    }

    /// Writes a record's projection row; `date` is its local service date.
    pub(crate) fn put_record(&self, n: u32, r: &ServiceRecord, date: &str) -> Result<()> {
        let rec = &r.record;
        let row = RecordRow {
            n,
            id: rec.id.as_str(),
            volunteer: rec.volunteer.as_str(),
            org: rec.org.as_str(),
            team: rec.team.as_ref().map(|t| t.as_str()),
            activity: rec.activity.as_ref().map(|a| a.as_str()),
            date,
            start: rec.start.0,
            end: rec.end.0,
            minutes: rec.minutes,
            content: &rec.content,
            source: rec.source,
            paid: rec.paid,
            public_benefit: rec.public_benefit,
            job_duty: rec.job_duty,
            state: r.state,
            counted: r.counted,
            make_up: r.make_up,
            recorded_by: r.recorded_by.as_str(),
            confirmed_by: r.confirmed_by.as_ref().map(|a| a.as_str()),
            amends: r.amends.as_ref().map(|a| a.as_str()),
            superseded_by: r.superseded_by.as_ref().map(|a| a.as_str()),
            reason: r.reason.as_deref(),
            entry_seq: r.entry_seq,
        };
        self.conn
            .prepare_cached(INSERT_RECORD)
            .and_then(|mut st| record_row(&mut st, &row))
            .map_err(|e| self.row_failed(e))
    }

    /// Runs `f` — the rules of a bulk add, inside the open batch — while a second thread
    /// writes what `f` sends: each new entry's row and, for a record, its projection row (the
    /// record as it was admitted; later changes in the batch are written by the usual flush).
    /// The sender returns `false` once the writer has stopped (its error is returned with `f`'s
    /// result: the batch must then be rolled back).
    ///
    /// What is sent is packed into chunks ([`Packed`]) on this thread, and the caller drops the
    /// entry here at once: nothing allocated per record crosses to the writer (its strings
    /// are freed while still in this core's cache, and the writer reads one buffer in order).
    ///
    /// The writer also folds each entry it writes into `tree` (the log's Merkle frontier as
    /// the batch began) and gives it back: the tree of the log as written, computed on the
    /// core the rules leave idle.
    pub(crate) fn piped<R>(
        &mut self,
        offset: chrono::FixedOffset,
        mut tree: crate::merkle::Frontier,
        f: impl FnOnce(&mut dyn FnMut(&Admitted) -> bool) -> R,
    ) -> (R, Result<crate::merkle::Frontier>) {
        let path = self.path.clone();
        let conn = &mut self.conn;
        let rows = &mut self.bulk_rows;
        // What the batch writes goes to the disk while the rules run.
        synced_meanwhile(&path, None, EARLY_SYNC, || {
            std::thread::scope(|s| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Packed>(32);
                // Written chunks come back to be filled again: their buffers are reused, and
                // freed (at the end) by the thread that allocated them.
                let (back, written) = std::sync::mpsc::channel::<Packed>();
                let writer = std::thread::Builder::new()
                    .name("vl-writer".into())
                    .spawn_scoped(s, move || -> std::result::Result<_, Failure> {
                        let fail = |e| ("cannot write the log", "无法写入日志", e);
                        let mut w = RowWriter::new(conn).map_err(fail)?;
                        for chunk in rx {
                            w.write(&chunk, offset)?;
                            for row in &chunk.rows {
                                tree.push(&Hash(row.hash));
                            }
                            let _ = back.send(chunk);
                        }
                        Ok(tree)
                    });
                let writer = match writer {
                    Ok(w) => w,
                    Err(e) => {
                        // No thread to write: nothing is written, and the batch fails.
                        let out = f(&mut |_| false);
                        let e = storage(&path, "cannot start a thread", "无法启动线程", e);
                        return (out, Err(e));
                    }
                };
                let mut buf = Packed::default();
                let mut open = true;
                let out = f(&mut |a| {
                    *rows += 1;
                    buf.push(a);
                    if buf.is_full() {
                        let empty = match written.try_recv() {
                            Ok(mut used) => {
                                used.clear();
                                used
                            }
                            Err(_) => Packed::default(),
                        };
                        let full = std::mem::replace(&mut buf, empty);
                        open = open && tx.send(full).is_ok();
                    }
                    open
                });
                if !buf.rows.is_empty() {
                    let _ = tx.send(buf);
                }
                drop(tx);
                let written = match writer.join() {
                    Ok(Ok(tree)) => Ok(tree),
                    Ok(Err((what, zh, e))) => Err(storage(&path, what, zh, e)),
                    Err(_) => Err(storage(
                        &path,
                        "cannot write",
                        "无法写入",
                        "the writing thread stopped",
                    )),
                };
                (out, written)
            })
        })
    }

    /// Empties every projection table and clears the note of hand edits (inside the open
    /// transaction), before a rebuild.
    pub(crate) fn clear_projections(&self) -> Result<()> {
        for t in PROJECTIONS {
            self.conn
                .execute(&format!("DELETE FROM {t}"), [])
                .map_err(|e| self.err("cannot clear the projections", "无法清空投影表", e))?;
        }
        self.conn
            .execute("DELETE FROM meta WHERE key = 'projections_edited'", [])
            .map_err(|e| self.err("cannot clear the projections", "无法清空投影表", e))?;
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

    /// The seq of the last entry the projections were written for (-1: none).
    pub(crate) fn projected_seq(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'projected_seq'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(|e| self.err("cannot read the metadata", "无法读取元数据", e))
            .map(|v| v.and_then(|v| v.parse().ok()).unwrap_or(i64::MIN))
    }

    /// Whether anyone but the ledger updated or deleted projection rows (the tables' triggers
    /// note it; the ledger itself only inserts, and clears the note when it rebuilds).
    pub(crate) fn projections_edited(&self) -> Result<bool> {
        Ok(self.meta("projections_edited")?.is_some_and(|v| v != "0"))
    }

    /// Row counts of the projections, for a cheap agreement check (rows added by hand).
    pub(crate) fn projection_counts(&self) -> Result<ProjectionCounts> {
        let q = |sql: &str| -> Result<i64> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map_err(|e| self.err("cannot read the projections", "无法读取投影表", e))
        };
        // Volunteers and records are keyed by their index from 0: with no row deleted (the
        // triggers would say), the highest key tells the count without reading the table.
        Ok(ProjectionCounts {
            orgs: q("SELECT count(*) FROM orgs")?,
            volunteers: q("SELECT coalesce(max(n) + 1, 0) FROM volunteers")?,
            teams: q("SELECT count(*) FROM teams")?,
            records: q("SELECT coalesce(max(n) + 1, 0) FROM records")?,
        })
    }

    /// Visits the entries from `from` on, in order, each decoded and its hash checked
    /// against its stored bytes and the previous entry.
    pub(crate) fn each_entry(
        &self,
        from: u64,
        until: Option<u64>,
        mut prev: Hash,
        mut f: impl FnMut(Entry) -> Result<()>,
    ) -> Result<()> {
        let mut st = self
            .conn
            .prepare(
                "SELECT seq, time, actor, kind, body, hash FROM entries \
                 WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq",
            )
            .map_err(|e| self.err("cannot read the log", "无法读取日志", e))?;
        let last = until.map_or(i64::MAX, |u| u as i64);
        let mut rows = st
            .query(params![from as i64, last])
            .map_err(|e| self.err("cannot read the log", "无法读取日志", e))?;
        let mut expect = from;
        while let Some(row) = rows
            .next()
            .map_err(|e| self.err("cannot read the log", "无法读取日志", e))?
        {
            let read = |e: rusqlite::types::FromSqlError| {
                self.err("cannot read the log", "无法读取日志", e)
            };
            let cell = |i: usize| {
                row.get_ref(i)
                    .map_err(|e| self.err("cannot read the log", "无法读取日志", e))
            };
            let seq = cell(0)?.as_i64().map_err(read)?;
            let time = cell(1)?.as_i64().map_err(read)?;
            let actor = cell(2)?.as_str().map_err(read)?;
            let kind = cell(3)?.as_str().map_err(read)?;
            let body = cell(4)?.as_bytes().map_err(read)?;
            let stored = cell(5)?.as_blob().map_err(read)?;
            let broken = |detail: &str| LedgerError::ChainBroken {
                seq: expect,
                detail: detail.to_owned(),
            };
            if seq != expect as i64 {
                return Err(broken("sequence number out of order (an entry is missing)"));
            }
            let entry = entry_from_stored(
                expect,
                crate::time::Timestamp(time),
                actor,
                kind,
                body,
                prev,
            )
            .map_err(|e| broken(&e))?;
            if Some(entry.hash) != hash_of(stored) {
                return Err(broken("content does not match its stored hash"));
            }
            prev = entry.hash;
            expect += 1;
            f(entry)?;
        }
        Ok(())
    }

    /// Runs `f` with a reader of the stored entry hashes from entry 0 on, in order (one
    /// query; nothing is held but the row being read): what Merkle proofs are computed from.
    /// Reading past the last entry, or a hash that is not 32 bytes, is `E_CHAIN_BROKEN`.
    pub(crate) fn with_hashes<R>(
        &self,
        f: impl FnOnce(&mut dyn FnMut() -> Result<Hash>) -> Result<R>,
    ) -> Result<R> {
        let mut st = self
            .conn
            .prepare("SELECT seq, hash FROM entries ORDER BY seq")
            .map_err(|e| self.err("cannot read the log", "无法读取日志", e))?;
        let mut rows = st
            .query([])
            .map_err(|e| self.err("cannot read the log", "无法读取日志", e))?;
        let mut expect = 0u64;
        let mut next = || -> Result<Hash> {
            let at = expect;
            let broken = |detail: &str| LedgerError::ChainBroken {
                seq: at,
                detail: detail.to_owned(),
            };
            let row = rows
                .next()
                .map_err(|e| self.err("cannot read the log", "无法读取日志", e))?
                .ok_or_else(|| broken("the log ends before the Merkle tree does"))?;
            let seq: i64 = row
                .get(0)
                .map_err(|e| self.err("cannot read the log", "无法读取日志", e))?;
            let hash: Vec<u8> = row
                .get(1)
                .map_err(|e| self.err("cannot read the log", "无法读取日志", e))?;
            if seq != expect as i64 {
                return Err(broken("sequence number out of order (an entry is missing)"));
            }
            expect += 1;
            hash_of(&hash).ok_or_else(|| broken("the stored hash is not 32 bytes"))
        };
        f(&mut next)
    }

    /// The hashes of the entries `from..to`, in order; fewer if the log ends before `to`.
    /// Asked for at most 64 blocks of leaves at a time (`crate::merkle::BlockRoots`).
    fn hashes_between(&self, from: u64, to: u64) -> Result<Vec<Hash>> {
        let fail = |e| self.err("cannot read the log", "无法读取日志", e);
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT seq, hash FROM entries WHERE seq >= ?1 AND seq < ?2 ORDER BY seq",
            )
            .map_err(fail)?;
        let mut rows = st
            .query(params![
                i64::try_from(from).unwrap_or(i64::MAX),
                i64::try_from(to).unwrap_or(i64::MAX)
            ])
            .map_err(fail)?;
        let room = usize::try_from(to.saturating_sub(from)).unwrap_or(0);
        let mut out = Vec::with_capacity(room.min(64 * crate::merkle::BLOCK as usize));
        while let Some(row) = rows.next().map_err(fail)? {
            let at = from + out.len() as u64;
            let broken = |detail: &str| LedgerError::ChainBroken {
                seq: at,
                detail: detail.to_owned(),
            };
            let seq: i64 = row.get(0).map_err(fail)?;
            if seq != at as i64 {
                return Err(broken("sequence number out of order (an entry is missing)"));
            }
            let hash: Vec<u8> = row.get(1).map_err(fail)?;
            out.push(hash_of(&hash).ok_or_else(|| broken("the stored hash is not 32 bytes"))?);
        }
        Ok(out)
    }

    /// The inclusion paths of `targets` in the tree of the first `size` entries, with its root
    /// (`crate::merkle::inclusion_paths`), from the block roots this store keeps: after the
    /// first call only new blocks, the targets' blocks and the last one are read. Inside a
    /// transaction the blocks learnt are not kept (its entries may still be rolled back).
    pub(crate) fn inclusion_paths(
        &self,
        size: u64,
        targets: &[u64],
    ) -> Result<(Vec<Vec<Hash>>, Hash)> {
        let mut read = |from, to| self.hashes_between(from, to);
        if self.in_tx {
            let mut scratch = self.blocks.borrow().clone();
            return scratch.inclusion_paths(size, targets, &mut read);
        }
        self.blocks
            .borrow_mut()
            .inclusion_paths(size, targets, &mut read)
    }

    /// A column of one entry's row (`hash` or `time`), if the entry is there.
    fn entry_column<T: rusqlite::types::FromSql>(&self, seq: u64, column: &str) -> Option<T> {
        self.conn
            .prepare_cached(&format!("SELECT {column} FROM entries WHERE seq = ?1"))
            .and_then(|mut st| {
                st.query_row(params![seq as i64], |r| r.get::<_, T>(0))
                    .optional()
            })
            .ok()
            .flatten()
    }

    /// The hash of one entry.
    pub(crate) fn entry_hash(&self, seq: u64) -> Option<Hash> {
        self.entry_column::<Vec<u8>>(seq, "hash")
            .and_then(|h| hash_of(&h))
    }

    /// When one entry was made.
    pub(crate) fn entry_time(&self, seq: u64) -> Option<crate::time::Timestamp> {
        self.entry_column(seq, "time").map(crate::time::Timestamp)
    }

    /// The saved snapshot: (seq of the last entry it includes, that entry's hash, bytes).
    pub(crate) fn snapshot(&self) -> Result<Option<(u64, Hash, Vec<u8>)>> {
        let row: Option<SnapshotRow> = self
            .conn
            .query_row(
                "SELECT seq, hash, format, library, data FROM snapshot WHERE slot = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(|e| self.err("cannot read the snapshot", "无法读取快照", e))?;
        Ok(row.and_then(|(seq, hash, format, library, data)| {
            // The encoding follows the library's own types: only the same version reads it.
            (format == SNAPSHOT_FORMAT && library == env!("CARGO_PKG_VERSION"))
                .then_some(())
                .and_then(|()| Some((u64::try_from(seq).ok()?, hash_of(&hash)?, data)))
        }))
    }

    /// Whether a transaction is open.
    pub(crate) fn in_transaction(&self) -> bool {
        self.in_tx
    }

    /// Replaces the snapshot: in the open transaction, if any (it then reaches the file with
    /// the entries it reflects, or not at all), else in one of its own. The old row is deleted
    /// before the new one is written, so that the new snapshot reuses the old one's pages: an
    /// `INSERT OR REPLACE` writes the new row first and leaves the file a free list as large
    /// as the old snapshot (15 to 20 bytes a record in a district's file).
    pub(crate) fn put_snapshot(&mut self, seq: u64, hash: Hash, data: &[u8]) -> Result<()> {
        let written = self.conn.savepoint().and_then(|sp| {
            sp.execute("DELETE FROM snapshot WHERE slot = 1", [])?;
            sp.execute(
                "INSERT INTO snapshot VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                params![
                    seq as i64,
                    &hash.0[..],
                    SNAPSHOT_FORMAT,
                    env!("CARGO_PKG_VERSION"),
                    data
                ],
            )?;
            sp.commit()
        });
        written.map_err(|e| self.err("cannot write the snapshot", "无法写入快照", e))
    }

    /// Starts a transaction for a rebuild of the projections (no entry is written).
    pub(crate) fn begin_rebuild(&mut self) -> Result<()> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err("cannot start a transaction", "无法开始事务", e))?;
        self.in_tx = true;
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

/// How many rows the projections hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ProjectionCounts {
    pub(crate) orgs: i64,
    pub(crate) volunteers: i64,
    pub(crate) teams: i64,
    pub(crate) records: i64,
}

/// A snapshot row: seq, hash, format, library version, data.
type SnapshotRow = (i64, Vec<u8>, i64, String, Vec<u8>);

/// A record's entry that a bulk add admitted, and how: what goes to the log in memory, or
/// to the writing thread of a file ledger.
pub(crate) struct Admitted {
    pub(crate) entry: Entry,
    pub(crate) n: u32,
    /// The volunteer's index.
    pub(crate) vol: u32,
    pub(crate) state: crate::record::RecordState,
    pub(crate) make_up: bool,
}

/// How often the WAL is synced while a bulk add runs (see [`synced_meanwhile`]).
const EARLY_SYNC: std::time::Duration = std::time::Duration::from_millis(100);
/// A transaction in which a bulk add wrote this many rows (≈ 20 MB) has a big commit.
const BIG_COMMIT_ROWS: usize = 50_000;

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
fn synced_meanwhile<R>(
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
#[derive(Debug)]
#[cfg_attr(not(unix), allow(dead_code))]
struct Held {
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
fn file_key(path: &Path) -> Option<(u64, u64)> {
    key_of(std::fs::metadata(path))
}

/// Why a store could not be counted among its file's: the file at the path changed while it
/// was opened, or cannot be identified.
#[derive(Debug)]
struct NotHeld;

impl NotHeld {
    fn at(self, path: &str) -> LedgerError {
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
    fn open(path: &Path, named: Option<(u64, u64)>) -> std::result::Result<Self, NotHeld> {
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
    fn file(&self) -> Option<&std::fs::File> {
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

/// Why the writing thread stopped: what it could not do (English, Chinese) and SQLite's error.
type Failure = (&'static str, &'static str, rusqlite::Error);

/// A packed chunk goes to the writer once it holds this many entries …
const CHUNK_ROWS: usize = 512;
/// … or this many bytes of text (a chunk of long contents stays small).
const CHUNK_BYTES: usize = 1 << 20;

/// Admitted entries as the writing thread takes them: each row's numbers, and its texts one
/// after another in two buffers (the bodies are bytes, the rest text).
#[derive(Default)]
struct Packed {
    rows: Vec<PackedRow>,
    text: String,
    bodies: Vec<u8>,
}

/// One packed entry. Its body is `bodies[body.0..body.1]` (empty for a record, whose body the
/// writer encodes from its fields); its texts, in the order of
/// [`Packed::push`] (actor, then a record's id, volunteer, org, team, activity, content),
/// start at `text_from` in `text` and end at `ends`, each starting where the one before ends.
struct PackedRow {
    seq: i64,
    time: i64,
    kind: &'static str,
    hash: [u8; 32],
    body: (usize, usize),
    text_from: usize,
    ends: [usize; TEXTS],
    /// The record's projection row, if the entry added a record.
    record: Option<PackedRecord>,
}

/// The texts of a packed row.
const TEXTS: usize = 7;

/// The numbers of a record's projection row (its texts are the row's; a missing team or
/// activity is an empty text, since no id is empty).
struct PackedRecord {
    n: u32,
    start: crate::time::Timestamp,
    end: crate::time::Timestamp,
    minutes: i64,
    state: crate::record::RecordState,
    source: crate::record::RecordSource,
    make_up: bool,
    paid: bool,
    public_benefit: bool,
    job_duty: bool,
}

impl Packed {
    /// Packs an admitted entry (copies what the writer needs of it).
    fn push(&mut self, a: &Admitted) {
        let e = &a.entry;
        let r = match &e.change {
            Change::RecordAdded(r) => Some(r),
            _ => None,
        };
        // A record's body is written by the writer, from the fields packed below.
        let from = self.bodies.len();
        if r.is_none() {
            crate::log::append_stored_body(&mut self.bodies, &e.change);
        }
        let body = (from, self.bodies.len());
        let texts = [
            Some(e.actor.as_str()),
            r.map(|r| r.id.as_str()),
            r.map(|r| r.volunteer.as_str()),
            r.map(|r| r.org.as_str()),
            r.and_then(|r| r.team.as_ref()).map(|t| t.as_str()),
            r.and_then(|r| r.activity.as_ref()).map(|a| a.as_str()),
            r.map(|r| r.content.as_str()),
        ];
        let text_from = self.text.len();
        let mut ends = [0; TEXTS];
        for (end, t) in ends.iter_mut().zip(texts) {
            self.text.push_str(t.unwrap_or_default());
            *end = self.text.len();
        }
        let record = r.map(|r| PackedRecord {
            n: a.n,
            start: r.start,
            end: r.end,
            minutes: r.minutes,
            state: a.state,
            source: r.source,
            make_up: a.make_up,
            paid: r.paid,
            public_benefit: r.public_benefit,
            job_duty: r.job_duty,
        });
        self.rows.push(PackedRow {
            seq: e.seq as i64,
            time: e.time.0,
            kind: e.change.kind(),
            hash: e.hash.0,
            body,
            text_from,
            ends,
            record,
        });
    }

    /// Whether the chunk is ready to go.
    fn is_full(&self) -> bool {
        self.rows.len() >= CHUNK_ROWS || self.text.len() + self.bodies.len() >= CHUNK_BYTES
    }

    /// Empties the chunk, keeping its buffers.
    fn clear(&mut self) {
        self.rows.clear();
        self.text.clear();
        self.bodies.clear();
    }

    /// A row's texts, in packing order.
    fn texts<'a>(&'a self, row: &PackedRow) -> [&'a str; TEXTS] {
        let mut from = row.text_from;
        row.ends.map(|end| {
            let t = self.text.get(from..end).unwrap_or_default();
            from = end;
            t
        })
    }

    /// A row's body.
    fn body(&self, row: &PackedRow) -> &[u8] {
        self.bodies.get(row.body.0..row.body.1).unwrap_or_default()
    }
}

/// The writing thread of a bulk add: its two statements, what their parameters were last
/// bound to, and a buffer for the stored bodies.
struct RowWriter<'c> {
    entries: rusqlite::CachedStatement<'c>,
    records: rusqlite::CachedStatement<'c>,
    bound: (Bound, Bound),
    body: Vec<u8>,
    dates: LastDate,
}

/// The local date of the last record written, kept for the next: rows of one day follow one
/// another.
#[derive(Default)]
struct LastDate {
    day: Option<i64>,
    date: String,
}

impl LastDate {
    /// `YYYY-MM-DD` of `t` in `offset`.
    fn of(&mut self, t: crate::time::Timestamp, offset: chrono::FixedOffset) -> &str {
        let day = (t.0 + i64::from(offset.local_minus_utc())).div_euclid(86_400);
        if self.day != Some(day) {
            self.date = iso_date(t.local_date(offset));
            self.day = Some(day);
        }
        &self.date
    }
}

impl<'c> RowWriter<'c> {
    fn new(conn: &'c Connection) -> rusqlite::Result<Self> {
        Ok(Self {
            entries: conn.prepare_cached(INSERT_ENTRY)?,
            records: conn.prepare_cached(INSERT_RECORD)?,
            bound: (Bound::default(), Bound::default()),
            body: Vec::with_capacity(512),
            dates: LastDate::default(),
        })
    }

    /// Writes a chunk's entries and its records' projection rows.
    fn write(
        &mut self,
        chunk: &Packed,
        offset: chrono::FixedOffset,
    ) -> std::result::Result<(), Failure> {
        let Self {
            entries,
            records,
            bound,
            body,
            dates,
        } = self;
        for row in &chunk.rows {
            let [actor, id, volunteer, org, team, activity, content] = chunk.texts(row);
            // No admitted id is empty (`check_ids`): an empty text is a team or activity the
            // record has not.
            let team = (!team.is_empty()).then_some(team);
            let activity = (!activity.is_empty()).then_some(activity);
            body.clear();
            if let Some(r) = &row.record {
                let fields = crate::log::RecordFields {
                    activity,
                    content,
                    end: r.end.0,
                    id,
                    job_duty: r.job_duty,
                    minutes: r.minutes,
                    org,
                    paid: r.paid,
                    public_benefit: r.public_benefit,
                    source: r.source.as_str(),
                    start: r.start.0,
                    team,
                    volunteer,
                };
                crate::log::append_record_body(body, &fields);
            } else {
                body.extend_from_slice(chunk.body(row));
            }
            let entry = EntryRow {
                seq: row.seq,
                time: row.time,
                actor,
                kind: row.kind,
                body,
                hash: &row.hash,
            };
            bound
                .0
                .execute(entries, &entry.values())
                .map_err(|e| ("cannot write the log", "无法写入日志", e))?;
            let Some(r) = &row.record else {
                continue;
            };
            let confirmed = r.state == crate::record::RecordState::Confirmed;
            let record = RecordRow {
                n: r.n,
                id,
                volunteer,
                org,
                team,
                activity,
                date: dates.of(r.start, offset),
                start: r.start.0,
                end: r.end.0,
                minutes: r.minutes,
                content,
                source: r.source,
                paid: r.paid,
                public_benefit: r.public_benefit,
                job_duty: r.job_duty,
                state: r.state,
                counted: confirmed,
                make_up: r.make_up,
                recorded_by: actor,
                confirmed_by: confirmed.then_some(actor),
                amends: None,
                superseded_by: None,
                reason: None,
                entry_seq: row.seq,
            };
            bound
                .1
                .execute(records, &record.values())
                .map_err(|e| ("cannot write the projections", "无法写入投影表", e))?;
        }
        Ok(())
    }
}

const INSERT_ENTRY: &str = "INSERT INTO entries VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const INSERT_RECORD: &str = "INSERT OR REPLACE INTO records VALUES (?1, ?2, ?3, ?4, ?5, ?6, \
     ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";

/// A record's projection row, borrowed from what holds it.
struct RecordRow<'a> {
    n: u32,
    id: &'a str,
    volunteer: &'a str,
    org: &'a str,
    team: Option<&'a str>,
    activity: Option<&'a str>,
    date: &'a str,
    start: i64,
    end: i64,
    minutes: i64,
    content: &'a str,
    source: crate::record::RecordSource,
    paid: bool,
    public_benefit: bool,
    job_duty: bool,
    state: crate::record::RecordState,
    counted: bool,
    make_up: bool,
    recorded_by: &'a str,
    confirmed_by: Option<&'a str>,
    amends: Option<&'a str>,
    superseded_by: Option<&'a str>,
    reason: Option<&'a str>,
    entry_seq: i64,
}

impl RecordRow<'_> {
    /// The row's values ([`INSERT_RECORD`]'s parameters): the columns in the order of
    /// `docs/schema.md`.
    fn values(&self) -> [ValueRef<'_>; 24] {
        [
            int(self.n),
            text(self.id),
            text(self.volunteer),
            text(self.org),
            optional(self.team),
            optional(self.activity),
            text(self.date),
            int(self.start),
            int(self.end),
            int(self.minutes),
            text(self.content),
            text(self.state.as_str()),
            int(self.counted),
            int(self.make_up),
            text(self.source.as_str()),
            int(self.paid),
            int(self.public_benefit),
            int(self.job_duty),
            text(self.recorded_by),
            optional(self.confirmed_by),
            optional(self.amends),
            optional(self.superseded_by),
            optional(self.reason),
            int(self.entry_seq),
        ]
    }
}

/// Writes a record's projection row (`st` is [`INSERT_RECORD`]).
fn record_row(st: &mut rusqlite::Statement<'_>, r: &RecordRow<'_>) -> rusqlite::Result<()> {
    st.execute(rusqlite::params_from_iter(
        r.values().map(ToSqlOutput::Borrowed),
    ))?;
    Ok(())
}

fn int(n: impl Into<i64>) -> ValueRef<'static> {
    ValueRef::Integer(n.into())
}
fn text(s: &str) -> ValueRef<'_> {
    ValueRef::Text(s.as_bytes())
}
fn optional(s: Option<&str>) -> ValueRef<'_> {
    s.map_or(ValueRef::Null, text)
}

/// What a statement's parameters were last bound to, for rows written one after another with
/// it: only the parameters whose value differs from the row before are bound again (SQLite
/// keeps a statement's bindings from one execution to the next). Most columns of a bulk add's
/// rows — actor, kind, state, source, flags, a missing team or activity — keep their value
/// from row to row, and binding a text copies it. Sized by the statement's first row.
#[derive(Default)]
struct Bound {
    last: Vec<Last>,
}

/// A parameter's last bound value (`Unset` before the first row).
#[derive(PartialEq)]
enum Last {
    Unset,
    Null,
    Integer(i64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl Bound {
    /// Binds `values` to `st`'s parameters 1, 2 … where they changed, and runs it once (`st`
    /// is the same statement every time).
    fn execute(
        &mut self,
        st: &mut rusqlite::Statement<'_>,
        values: &[ValueRef<'_>],
    ) -> rusqlite::Result<()> {
        if self.last.is_empty() {
            self.last = (0..st.parameter_count()).map(|_| Last::Unset).collect();
        }
        // A value without a parameter, or a parameter without a value, would be left bound to
        // the row before's.
        if values.len() != self.last.len() {
            return Err(rusqlite::Error::InvalidParameterCount(
                values.len(),
                self.last.len(),
            ));
        }
        for (i, (&v, last)) in values.iter().zip(&mut self.last).enumerate() {
            let same = match (v, &*last) {
                (ValueRef::Null, Last::Null) => true,
                (ValueRef::Integer(a), Last::Integer(b)) => a == *b,
                (ValueRef::Text(a), Last::Text(b)) | (ValueRef::Blob(a), Last::Blob(b)) => {
                    a == b.as_slice()
                }
                _ => false,
            };
            if same {
                continue;
            }
            // Forgotten first: if binding fails, the next row binds this parameter again.
            let kept = std::mem::replace(last, Last::Unset);
            st.raw_bind_parameter(i + 1, ToSqlOutput::Borrowed(v))?;
            // The buffer of the value before is reused for a text or a blob.
            let copy = |t: &[u8]| {
                let mut b = match kept {
                    Last::Text(b) | Last::Blob(b) => b,
                    _ => Vec::new(),
                };
                b.clear();
                b.extend_from_slice(t);
                b
            };
            *last = match v {
                ValueRef::Null => Last::Null,
                ValueRef::Integer(n) => Last::Integer(n),
                ValueRef::Text(t) => Last::Text(copy(t)),
                ValueRef::Blob(t) => Last::Blob(copy(t)),
                // Not a value any row writes: bound each time.
                ValueRef::Real(_) => Last::Unset,
            };
        }
        st.raw_execute()?;
        Ok(())
    }
}

/// `YYYY-MM-DD`, as `NaiveDate` shows it, without the formatting machinery.
fn iso_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(1000..=9999).contains(&y) {
        return d.to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let y = y.unsigned_abs();
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(day / 10),
        digit(day),
    ]
    .iter()
    .collect()
}

/// Writes one entry's row (`st` is [`INSERT_ENTRY`]): its body as `docs/schema.md` says, and its hash.
fn append_entry(st: &mut rusqlite::Statement<'_>, entry: &Entry) -> rusqlite::Result<()> {
    let row = EntryRow {
        seq: entry.seq as i64,
        time: entry.time.0,
        actor: entry.actor.as_str(),
        kind: entry.change.kind(),
        body: &stored_body(&entry.change),
        hash: &entry.hash.0,
    };
    entry_row(st, &row)
}

/// An entry's row, borrowed from what holds it.
struct EntryRow<'a> {
    seq: i64,
    time: i64,
    actor: &'a str,
    kind: &'a str,
    body: &'a [u8],
    hash: &'a [u8],
}

impl EntryRow<'_> {
    /// The row's values ([`INSERT_ENTRY`]'s parameters).
    fn values(&self) -> [ValueRef<'_>; 6] {
        [
            int(self.seq),
            int(self.time),
            text(self.actor),
            text(self.kind),
            ValueRef::Blob(self.body),
            ValueRef::Blob(self.hash),
        ]
    }
}

/// Writes an entry's row (`st` is [`INSERT_ENTRY`]).
fn entry_row(st: &mut rusqlite::Statement<'_>, e: &EntryRow<'_>) -> rusqlite::Result<()> {
    st.execute(rusqlite::params_from_iter(
        e.values().map(ToSqlOutput::Borrowed),
    ))?;
    Ok(())
}

fn hash_of(bytes: &[u8]) -> Option<Hash> {
    <[u8; 32]>::try_from(bytes).ok().map(Hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ActorId, OrgId, RecordId, VolunteerId};
    use crate::record::NewRecord;
    use crate::time::Timestamp;

    /// A log row: seq, time, actor, kind, body, hash.
    type LogRow = (i64, i64, String, String, Vec<u8>, Vec<u8>);

    /// Every row of the log table, in order.
    fn entry_rows(c: &Connection) -> Vec<LogRow> {
        let mut st = c.prepare("SELECT * FROM entries ORDER BY seq").unwrap();
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    /// The writing thread's log rows are the rows the single-row path writes, for a record
    /// (its body encoded by the writer from the packed fields) and for any other kind of entry
    /// (its body packed as it is).
    #[test]
    fn packed_entries_are_written_as_single_entries_are() {
        let actor = ActorId::new("admin").unwrap();
        let mut record = NewRecord::new(
            RecordId::new("R-1").unwrap(),
            VolunteerId::new("V1").unwrap(),
            OrgId::new("C1").unwrap(),
            Timestamp(1_433_206_800),
            Timestamp(1_433_214_000),
            90,
            "巡逻 \"夜\"\n",
        );
        // Every optional field set, and flags that differ pairwise across the two records: a
        // field the writer put in another's place would show (no rules are applied here).
        record.team = Some(crate::ids::TeamId::new("T1").unwrap());
        record.activity = Some(crate::ids::ActivityId::new("A1").unwrap());
        let mut other = record.clone();
        other.id = RecordId::new("R-2").unwrap();
        (record.paid, record.job_duty, record.public_benefit) = (true, false, false);
        (other.paid, other.job_duty, other.public_benefit) = (false, true, false);
        let changes = [
            Change::RecordAdded(record),
            Change::RecordAdded(other),
            Change::VisibilitySet {
                volunteer: VolunteerId::new("V1").unwrap(),
                visibility: crate::org::BoardVisibility::Hidden,
            },
        ];
        let mut prev = Hash([0; 32]);
        let mut entries = Vec::new();
        for (seq, change) in changes.into_iter().enumerate() {
            let e = Entry::new(
                seq as u64,
                Timestamp(1_433_300_000),
                actor.clone(),
                change,
                prev,
            );
            prev = e.hash;
            entries.push(e);
        }
        let table = |sql: &str| {
            let c = Connection::open_in_memory().unwrap();
            c.execute_batch(ENTRIES).unwrap();
            c.execute_batch(SCHEMA).unwrap();
            c.execute_batch(sql).unwrap();
            c
        };
        let single = table("");
        for e in &entries {
            append_entry(&mut single.prepare(INSERT_ENTRY).unwrap(), e).unwrap();
        }
        let packed = table("");
        let mut chunk = Packed::default();
        for (n, entry) in entries.into_iter().enumerate() {
            let admitted = Admitted {
                entry,
                n: n as u32,
                vol: 0,
                state: crate::record::RecordState::Confirmed,
                make_up: false,
            };
            chunk.push(&admitted);
        }
        let offset = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        RowWriter::new(&packed)
            .unwrap()
            .write(&chunk, offset)
            .unwrap();
        assert_eq!(entry_rows(&packed), entry_rows(&single));
        assert_eq!(entry_rows(&packed).len(), 3);
    }

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

    #[test]
    fn iso_dates_are_as_chrono_writes_them() {
        let mut d = chrono::NaiveDate::from_ymd_opt(1969, 12, 25).unwrap_or_default();
        for _ in 0..60_000 {
            assert_eq!(super::iso_date(d), d.to_string());
            d = d.succ_opt().unwrap_or_default();
        }
        for d in [chrono::NaiveDate::MIN, chrono::NaiveDate::MAX] {
            assert_eq!(super::iso_date(d), d.to_string());
        }
    }
}
