//! Volunteers' data keys, wrapped under a ledger key and kept in their own table outside the
//! hash-chained log: written beside a registration, destroyed (and the WAL truncated after)
//! when an identity is erased.

use super::Store;
use super::schema::IDENTITY_KEYS;
use crate::error::Result;
use crate::vault::WrappedKey;
use rusqlite::{OptionalExtension, params};

/// Keeps (or replaces) one volunteer's wrapped data key.
pub(super) const INSERT_DATA_KEY: &str =
    "INSERT OR REPLACE INTO identity_keys VALUES (?1, ?2, ?3, ?4)";

impl Store {
    /// Keeps a volunteer's wrapped data key (in the open transaction, beside the entry that
    /// registers them).
    /// The table is made the first time a file needs it: an insert that fails makes it (if
    /// it is missing) and tries once more.
    pub(crate) fn put_data_key(&self, volunteer: &str, w: &WrappedKey) -> Result<()> {
        let fail = |e| self.row_failed(e);
        let insert = || {
            self.conn
                .prepare_cached(INSERT_DATA_KEY)
                .and_then(|mut st| {
                    st.execute(params![volunteer, w.key_id, &w.nonce[..], w.wrapped])
                })
        };
        if insert().is_err() {
            self.conn.execute_batch(IDENTITY_KEYS).map_err(fail)?;
            insert().map_err(fail)?;
        }
        Ok(())
    }

    /// A volunteer's wrapped data key, if the file holds one.
    pub(crate) fn data_key(&self, volunteer: &str) -> Result<Option<WrappedKey>> {
        let fail = |e| self.err("read a data key", "读取数据密钥", e);
        let has_table: bool = self
            .conn
            .prepare_cached(
                "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'identity_keys'",
            )
            .and_then(|mut st| st.query_row([], |r| r.get(0)))
            .map_err(fail)?;
        if !has_table {
            return Ok(None);
        }
        let row = self
            .conn
            .prepare_cached("SELECT key_id, nonce, wrapped FROM identity_keys WHERE volunteer = ?1")
            .and_then(|mut st| {
                st.query_row([volunteer], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                    ))
                })
                .optional()
            })
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
}
