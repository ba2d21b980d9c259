//! Where a sealing's random bytes come from: the operating system, read a few kilobytes at a
//! time (one system call serves about a hundred registrations), or — for tests and fixed
//! vectors only — derived from a fixed seed.
//!
//! Bytes handed out are wiped from the pool at once. A copy of a pool (a dry run's copy of the
//! ledger) starts empty, and a pool filled before a `fork` is refilled in the child before it
//! hands anything out: no two ledgers, and no two processes, ever draw the same bytes.
//!
//! Which process filled the pool is asked of the system (a system call) at each draw, except
//! while the pool is held ([`RandomPool::hold`]): then it is asked once, when the hold begins.
//! A hold lasts one call that has the ledger to itself (a bulk registration): a process forked
//! meanwhile by another thread has a copy of a ledger that is still borrowed, which no call
//! in it can use.

use super::{KEY_LEN, NONCE_LEN, Vault, hmac, unavailable};
use crate::error::Result;
use std::sync::{Arc, Mutex, PoisonError};

/// How many random bytes one system call fills.
const POOL_BYTES: usize = 8 << 10;

/// `n` random bytes from the operating system.
pub(crate) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).map_err(|_| unavailable("randomness from the system"))?;
    Ok(b)
}

/// Random bytes from the operating system, drawn ahead a pool at a time.
pub(crate) struct RandomPool(Arc<Mutex<Drawn>>);

/// The bytes drawn and not yet handed out: `bytes[used..]`, drawn by process `pid`; and how
/// many holds are open (while any is, draws do not ask which process this is).
struct Drawn {
    bytes: Box<[u8]>,
    used: usize,
    pid: u32,
    holds: usize,
}

impl Default for RandomPool {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(Drawn {
            bytes: Box::default(),
            used: 0,
            pid: 0,
            holds: 0,
        })))
    }
}

/// An open hold of a pool ([`RandomPool::hold`]); dropping it ends the hold.
pub(crate) struct PoolHold(Arc<Mutex<Drawn>>);

impl Drop for PoolHold {
    fn drop(&mut self) {
        let mut drawn = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        drawn.holds = drawn.holds.saturating_sub(1);
    }
}

impl Clone for RandomPool {
    /// An empty pool: a copy never hands out the bytes its original will.
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl std::fmt::Debug for RandomPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RandomPool")
    }
}

impl RandomPool {
    /// Holds the pool for one call that has its ledger to itself: which process this is, is
    /// asked now (a pool another process filled is emptied, to be refilled at the next draw)
    /// and not again at each draw until the hold is dropped.
    pub(crate) fn hold(&self) -> PoolHold {
        let mut drawn = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if drawn.pid != std::process::id() {
            drawn.bytes.fill(0);
            drawn.bytes = Box::default();
            drawn.used = 0;
        }
        drawn.holds += 1;
        PoolHold(Arc::clone(&self.0))
    }

    /// `N` random bytes, taken from the pool (refilled from the system when it runs short, or
    /// when this process is not the one that filled it).
    pub(crate) fn take<const N: usize>(&self) -> Result<[u8; N]> {
        if N > POOL_BYTES {
            return random::<N>();
        }
        let mut drawn = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if drawn.bytes.len() != POOL_BYTES
            || drawn.used.saturating_add(N) > POOL_BYTES
            || (drawn.holds == 0 && drawn.pid != std::process::id())
        {
            let mut fresh = vec![0u8; POOL_BYTES].into_boxed_slice();
            getrandom::getrandom(&mut fresh)
                .map_err(|_| unavailable("randomness from the system"))?;
            drawn.bytes.fill(0);
            drawn.bytes = fresh;
            drawn.used = 0;
            drawn.pid = std::process::id();
        }
        let from = drawn.used;
        let taken = drawn
            .bytes
            .get_mut(from..from + N)
            .ok_or_else(|| unavailable("random bytes"))?;
        let mut out = [0u8; N];
        out.copy_from_slice(taken);
        taken.fill(0);
        drawn.used = from + N;
        Ok(out)
    }
}

impl Vault {
    /// `N` random bytes: from the system, or derived from the fixed seed, the volunteer, what
    /// they are for and the round (empty for a registration, the entry's seq for a
    /// correction), so that a reopened ledger draws as the one before it.
    pub(super) fn draw<const N: usize>(
        &self,
        volunteer: &str,
        what: &str,
        round: &str,
    ) -> Result<[u8; N]> {
        let Some(seed) = &self.fixed else {
            return self.pool.take::<N>();
        };
        let what = format!("{what}{round}");
        let block = hmac(seed, &[volunteer.as_bytes(), what.as_bytes()])?;
        let mut out = [0u8; N];
        for (o, b) in out.iter_mut().zip(block.iter().cycle()) {
            *o = *b;
        }
        Ok(out)
    }

    /// A registration's data key, nonce and wrapping nonce: from the system in one draw, or,
    /// with a fixed seed, each derived as [`Vault::draw`] derives it.
    pub(super) fn draw_sealing(
        &self,
        volunteer: &str,
        round: &str,
    ) -> Result<([u8; KEY_LEN], [u8; NONCE_LEN], [u8; NONCE_LEN])> {
        if self.fixed.is_some() {
            return Ok((
                self.draw(volunteer, "data key", round)?,
                self.draw(volunteer, "nonce", round)?,
                self.draw(volunteer, "wrap nonce", round)?,
            ));
        }
        let all = self.pool.take::<{ KEY_LEN + 2 * NONCE_LEN }>()?;
        let (key, nonces) = all.split_at(KEY_LEN);
        let (nonce, wrap) = nonces.split_at(NONCE_LEN);
        let short = || unavailable("random bytes");
        Ok((
            key.try_into().map_err(|_| short())?,
            nonce.try_into().map_err(|_| short())?,
            wrap.try_into().map_err(|_| short())?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_never_hands_out_the_same_bytes_twice_nor_does_its_copy() {
        let pool = RandomPool::default();
        let first = pool.take::<32>().unwrap();
        let copy = pool.clone();
        let mut seen = std::collections::HashSet::new();
        seen.insert(first);
        // Past one pool's worth, so that a refill is crossed too.
        for _ in 0..(2 * POOL_BYTES / 32) {
            assert!(seen.insert(pool.take::<32>().unwrap()));
            assert!(seen.insert(copy.take::<32>().unwrap()));
        }
    }

    #[test]
    fn bytes_handed_out_are_wiped_from_the_pool() {
        let pool = RandomPool::default();
        let taken = pool.take::<64>().unwrap();
        assert_ne!(taken, [0u8; 64]);
        let drawn = pool.0.lock().unwrap();
        assert_eq!(drawn.used, 64);
        assert!(drawn.bytes.get(..64).unwrap().iter().all(|&b| b == 0));
        assert!(drawn.bytes.get(64..).unwrap().iter().any(|&b| b != 0));
    }

    #[test]
    fn a_pool_filled_by_another_process_is_refilled_before_use() {
        let pool = RandomPool::default();
        pool.take::<8>().unwrap();
        let before: Vec<u8> = {
            let mut drawn = pool.0.lock().unwrap();
            // As a forked child sees it: the parent's pid and the parent's bytes.
            drawn.pid = drawn.pid.wrapping_add(1);
            drawn.bytes.get(8..40).unwrap().to_vec()
        };
        let next = pool.take::<32>().unwrap();
        assert_ne!(next.to_vec(), before);
        assert_eq!(pool.0.lock().unwrap().used, 32);
    }

    /// Pretends the pool was filled by another process (a forked child's view of it); the
    /// bytes it would hand out next.
    fn as_if_forked(pool: &RandomPool) -> Vec<u8> {
        let mut drawn = pool.0.lock().unwrap();
        drawn.pid = drawn.pid.wrapping_add(1);
        let used = drawn.used;
        drawn.bytes.get(used..used + 32).unwrap().to_vec()
    }

    #[test]
    fn a_hold_asks_which_process_this_is_when_it_begins_and_the_draws_after_it_do_again() {
        let pool = RandomPool::default();
        pool.take::<8>().unwrap();
        // Filled by another process before the hold: not handed out under it.
        let before = as_if_forked(&pool);
        let held = pool.hold();
        assert_ne!(pool.take::<32>().unwrap().to_vec(), before);
        // Nested holds end with the last one.
        let inner = pool.hold();
        drop(inner);
        assert_eq!(pool.0.lock().unwrap().holds, 1);
        drop(held);
        assert_eq!(pool.0.lock().unwrap().holds, 0);
        // Once the hold is over, each draw asks again.
        let after = as_if_forked(&pool);
        assert_ne!(pool.take::<32>().unwrap().to_vec(), after);
        assert_eq!(pool.0.lock().unwrap().used, 32);
    }
}
