//! The log's rows in the file: its head, appending an entry, reading the entries back (each
//! checked against its stored hash and the one before), and their hashes, from which Merkle
//! proofs are computed.

use super::Store;
use super::rows::{INSERT_ENTRY, append_entry, hash_of};
use crate::error::{LedgerError, Result};
use crate::log::{Entry, Hash, entry_from_stored};
use rusqlite::{OptionalExtension, params};

impl Store {
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

    /// Writes one entry (inside the open transaction).
    pub(crate) fn append(&mut self, entry: &Entry) -> Result<()> {
        self.conn
            .prepare_cached(INSERT_ENTRY)
            .and_then(|mut st| append_entry(&mut st, entry))
            .map_err(|e| self.err("cannot write the log", "无法写入日志", e))
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
}
