//! The file's schema: its tables (the log, the metadata, the snapshot, the projections, the
//! key table) with the triggers that guard them, the version marks a file carries (its
//! application id, its schema version, the snapshot format), and the upgrade of a version-1
//! file as it is opened.

use super::Store;
use super::rows::{INSERT_ENTRY, append_entry, hash_of};
use crate::error::{LedgerError, Result};
use crate::log::Hash;

/// The schema version this library writes and the newest it reads: an entry's row holds its
/// body (`body`), and its canonical bytes are rebuilt from the row. A version-1 file is
/// upgraded when it is opened.
pub const SCHEMA_VERSION: i64 = 2;
/// SQLite's `application_id` of a ledger file: "VLED".
pub(super) const APPLICATION_ID: i64 = 0x564C_4544;
/// The version of the snapshot encoding (what each version holds: `docs/schema.md`); a
/// snapshot of another version is ignored, and the log replayed instead.
pub(crate) const SNAPSHOT_FORMAT: i64 = 7;

/// The key table: volunteers' data keys wrapped under a ledger key, outside the hash-chained
/// log, so that erasing an identity destroys its key and nothing the chain covers.
/// A file without it gets it with its first registration.
pub(super) const IDENTITY_KEYS: &str = "
CREATE TABLE IF NOT EXISTS identity_keys (
    volunteer TEXT PRIMARY KEY,
    key_id    TEXT NOT NULL,
    nonce     BLOB NOT NULL,
    wrapped   BLOB NOT NULL
) WITHOUT ROWID;
";

/// The log's table (also what an upgrade from version 1 creates).
pub(super) const ENTRIES: &str = "
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

pub(super) const SCHEMA: &str = "
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

impl Store {
    /// Upgrades a version-1 file in one transaction: every entry is read back from its
    /// canonical bytes, its chain checked, and written as a version-2 row. A file whose chain
    /// does not hold is refused (`E_CHAIN_BROKEN`) and left as it was.
    pub(super) fn upgrade_from_1(&mut self) -> Result<()> {
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
}
