//! The saved snapshot of the state: one row, read back only when this library version wrote
//! it in the current format, and replaced so that the new one reuses the old one's pages.

use super::Store;
use super::rows::hash_of;
use super::schema::SNAPSHOT_FORMAT;
use crate::error::Result;
use crate::log::Hash;
use rusqlite::{OptionalExtension, params};

impl Store {
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
}

/// A snapshot row: seq, hash, format, library version, data.
type SnapshotRow = (i64, Vec<u8>, i64, String, Vec<u8>);
