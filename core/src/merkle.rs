//! A Merkle tree over the log's entry hashes, as Certificate Transparency builds one (RFC 9162
//! §2.1): leaf = SHA-256(0x00 ‖ entry hash), node = SHA-256(0x01 ‖ left ‖ right), a tree of
//! `n > 1` leaves split at the largest power of two below `n`. A signed head names the root of
//! the first `n` entries ([`crate::checkpoint`]); an inclusion proof shows that an entry is
//! one of them, a consistency proof that a later head extends an earlier one.
//!
//! The ledger keeps only the [`Frontier`] (the roots of the O(log n) full subtrees the tree
//! is made of) to know its root, and folds the entries it applies into it lazily
//! (`LazyFrontier`): when a head is signed, a proof asked for or a snapshot written, not on
//! every append. Proofs are computed when asked from the stored entry hashes, reading them
//! once, in order, holding O(log n) hashes. Format: `docs/checkpoints.md`.

use crate::error::Result;
use crate::hash::Hash;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash of a leaf: SHA-256(0x00 ‖ entry hash).
pub fn leaf_hash(entry: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry.0);
    Hash(h.finalize().into())
}

/// The hash of an inner node: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left.0);
    h.update(right.0);
    Hash(h.finalize().into())
}

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Hash(Sha256::digest([]).into())
}

/// The largest power of two strictly below `n` (`n > 1`).
fn split(n: u64) -> u64 {
    debug_assert!(n > 1);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// The roots of the full subtrees a tree of `size` leaves is made of, largest (leftmost)
/// first: one per bit set in `size`. Enough to give the root and to take the next leaf.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frontier {
    size: u64,
    nodes: Vec<Hash>,
}

impl Frontier {
    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Adds the next entry's hash as a leaf: one leaf hash and, on average, one node hash.
    pub fn push(&mut self, entry: &Hash) {
        let mut h = leaf_hash(entry);
        let mut s = self.size;
        while s & 1 == 1 {
            let Some(left) = self.nodes.pop() else { break };
            h = node_hash(&left, &h);
            s >>= 1;
        }
        self.nodes.push(h);
        self.size += 1;
    }

    /// The root of the tree (RFC 9162's MTH).
    pub fn root(&self) -> Hash {
        let mut it = self.nodes.iter().rev();
        let Some(last) = it.next() else {
            return empty_root();
        };
        it.fold(*last, |right, left| node_hash(left, &right))
    }
}

/// A [`Frontier`] that takes entry hashes as they are applied and hashes them into the tree
/// only when its root or its frontier is asked for (a signed head, a proof, a snapshot):
/// appending an entry costs a copy of its hash, not two SHA-256 computations. The hashes kept
/// pending are those the ledger applied, never read back from storage, so a root it gives is
/// the root of the entries as applied, as if each had been folded in on the spot.
///
/// A fold asked for through `&self` is remembered until the next push, so that asking twice
/// hashes once, and [`LazyFrontier::settle`] keeps it.
#[derive(Debug, Clone, Default)]
pub(crate) struct LazyFrontier {
    folded: Frontier,
    /// Entry hashes after `folded`, in order.
    pending: Vec<Hash>,
    /// `folded` with every pending hash folded in, once computed.
    memo: std::sync::OnceLock<Frontier>,
}

impl LazyFrontier {
    /// Starts from a frontier (a snapshot's), nothing pending.
    pub(crate) fn from_frontier(folded: Frontier) -> Self {
        Self {
            folded,
            ..Self::default()
        }
    }

    /// The number of leaves, pending ones included.
    pub(crate) fn size(&self) -> u64 {
        self.folded.size() + self.pending.len() as u64
    }

    /// Bytes held on the heap by the pending hashes.
    pub(crate) fn pending_bytes(&self) -> usize {
        self.pending.capacity() * std::mem::size_of::<Hash>()
    }

    /// Takes the next entry's hash (folded in later).
    pub(crate) fn push(&mut self, entry: &Hash) {
        self.pending.push(*entry);
        self.memo = std::sync::OnceLock::new();
    }

    /// The whole frontier, pending hashes folded in (computed once until the next push).
    pub(crate) fn frontier(&self) -> &Frontier {
        if self.pending.is_empty() {
            return &self.folded;
        }
        self.memo.get_or_init(|| {
            let mut f = self.folded.clone();
            for h in &self.pending {
                f.push(h);
            }
            f
        })
    }

    /// The root of the whole tree.
    pub(crate) fn root(&self) -> Hash {
        self.frontier().root()
    }

    /// Folds the pending hashes in for good (reusing a fold already computed) and frees them.
    pub(crate) fn settle(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let folded = match self.memo.take() {
            Some(f) => f,
            None => self.frontier().clone(),
        };
        let adopted = self.adopt(folded);
        debug_assert!(adopted, "a fold of the pending hashes holds every leaf");
    }

    /// Takes `folded` — the same leaves folded elsewhere (a writing thread folds what it
    /// writes) — in place of the pending hashes, when it holds as many leaves as this tree.
    /// Says whether it did; otherwise nothing changes.
    pub(crate) fn adopt(&mut self, folded: Frontier) -> bool {
        if folded.size() != self.size() {
            return false;
        }
        self.memo = std::sync::OnceLock::new();
        self.folded = folded;
        self.pending = Vec::new();
        true
    }
}

/// Equal when they give the same tree, however much of it is pending.
impl PartialEq for LazyFrontier {
    fn eq(&self, other: &Self) -> bool {
        self.frontier() == other.frontier()
    }
}

impl Eq for LazyFrontier {}

/// In a snapshot as the whole frontier, pending hashes folded in.
impl Serialize for LazyFrontier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.frontier().serialize(s)
    }
}

impl<'de> Deserialize<'de> for LazyFrontier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Frontier::deserialize(d).map(Self::from_frontier)
    }
}

/// The next entry hash, in order from entry 0 (what a ledger reads from its log).
pub type Leaves<'a> = dyn FnMut() -> Result<Hash> + 'a;

/// The root of the next `n` leaves.
fn subtree_root(n: u64, next: &mut Leaves<'_>) -> Result<Hash> {
    let mut f = Frontier::default();
    for _ in 0..n {
        f.push(&next()?);
    }
    Ok(f.root())
}

/// Inclusion paths (RFC 9162 §2.1.3.1) for the leaves `targets` (sorted, distinct, below
/// `offset + n`) of the subtree of the next `n` leaves, which starts at `offset`; `paths[i]`
/// receives the path of `targets[i]`, leaf to root. Returns the subtree's root. Reads the
/// leaves once, in order.
fn paths(
    offset: u64,
    n: u64,
    targets: &[u64],
    paths: &mut [Vec<Hash>],
    next: &mut Leaves<'_>,
) -> Result<Hash> {
    if targets.is_empty() {
        return subtree_root(n, next);
    }
    if n == 1 {
        return Ok(leaf_hash(&next()?));
    }
    let k = split(n);
    let at = targets.partition_point(|&t| t < offset + k);
    let (lt, rt) = targets.split_at(at);
    let (lp, rp) = paths.split_at_mut(at);
    let left = self::paths(offset, k, lt, lp, next)?;
    let right = self::paths(offset + k, n - k, rt, rp, next)?;
    lp.iter_mut().for_each(|p| p.push(right));
    rp.iter_mut().for_each(|p| p.push(left));
    Ok(node_hash(&left, &right))
}

/// The inclusion paths of the leaves `targets` in the tree of the first `size` leaves read
/// from `next`, in the order of `targets`, with the tree's root. Every target must be below
/// `size` (the caller checks; a target out of range gets an empty path).
pub fn inclusion_paths(
    size: u64,
    targets: &[u64],
    next: &mut Leaves<'_>,
) -> Result<(Vec<Vec<Hash>>, Hash)> {
    paths_in_order(size, targets, |sorted, found| {
        paths(0, size, sorted, found, next)
    })
}

/// Runs `find` on the targets below `size`, sorted and distinct, and gives their paths back in
/// the order of `targets` (an empty path for one out of range), with the root `find` gave.
fn paths_in_order(
    size: u64,
    targets: &[u64],
    find: impl FnOnce(&[u64], &mut [Vec<Hash>]) -> Result<Hash>,
) -> Result<(Vec<Vec<Hash>>, Hash)> {
    let mut sorted: Vec<u64> = targets.iter().copied().filter(|&t| t < size).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut found = vec![Vec::new(); sorted.len()];
    let root = if size == 0 {
        empty_root()
    } else {
        find(&sorted, &mut found)?
    };
    let out = targets
        .iter()
        .map(|t| {
            sorted
                .binary_search(t)
                .ok()
                .and_then(|i| found.get(i).cloned())
                .unwrap_or_default()
        })
        .collect();
    Ok((out, root))
}

/// How many leaves a block of [`BlockRoots`] holds.
pub const BLOCK: u64 = 1024;

/// The entry hashes of the entries `from..to`, by position (a ledger reads them from its log).
pub type LeafRange<'a> = dyn FnMut(u64, u64) -> Result<Vec<Hash>> + 'a;

/// The roots of the complete, aligned blocks of [`BLOCK`] leaves (leaves `i·BLOCK` to
/// `(i+1)·BLOCK`): every subtree of a block's size or larger that the tree is made of is built
/// from them, so a proof reads only the leaves of the blocks its targets lie in and of the
/// last, incomplete block — not the whole log — and hashes about one node per block.
/// 32 bytes per 1,024 entries; filled the first time proofs are asked, then kept up as the log
/// grows (entries never change once written).
#[derive(Debug, Clone, Default)]
pub struct BlockRoots {
    roots: Vec<Hash>,
}

/// A read of leaves that did not give what was asked.
fn short_read(at: u64) -> crate::LedgerError {
    crate::LedgerError::ChainBroken {
        seq: at,
        detail: "the log ends before the Merkle tree does".into(),
    }
}

/// Reads leaves `from..to`, checking that all of them came.
fn read_leaves(read: &mut LeafRange<'_>, from: u64, to: u64) -> Result<Vec<Hash>> {
    let leaves = read(from, to)?;
    if leaves.len() as u64 != to - from {
        return Err(short_read(from + leaves.len() as u64));
    }
    Ok(leaves)
}

/// The root of a tree whose leaves are already subtree roots (`nodes`, at least one), split
/// as RFC 9162 splits: for blocks of a power-of-two size, the root of the leaves they cover.
fn nodes_root(nodes: &[Hash]) -> Hash {
    match nodes {
        [] => empty_root(),
        [one] => *one,
        _ => {
            let k = usize::try_from(split(nodes.len() as u64)).unwrap_or(0);
            let (l, r) = nodes.split_at(k.min(nodes.len()));
            node_hash(&nodes_root(l), &nodes_root(r))
        }
    }
}

impl BlockRoots {
    /// How many blocks are known.
    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// Whether no block is known.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// Learns the roots of every complete block of the first `size` leaves it does not know,
    /// reading 64 blocks' leaves at a time.
    fn extend_to(&mut self, size: u64, read: &mut LeafRange<'_>) -> Result<()> {
        let want = size / BLOCK;
        while (self.roots.len() as u64) < want {
            let first = self.roots.len() as u64;
            let upto = want.min(first + 64);
            let leaves = read_leaves(read, first * BLOCK, upto * BLOCK)?;
            self.roots
                .extend(leaves.chunks(BLOCK as usize).map(root_of));
        }
        Ok(())
    }

    /// The root of the leaves `offset..offset + n` (`n > 0`), a subtree of the tree.
    fn range_root(&self, offset: u64, n: u64, read: &mut LeafRange<'_>) -> Result<Hash> {
        if offset.is_multiple_of(BLOCK) && n.is_multiple_of(BLOCK) {
            let blocks = usize::try_from(offset / BLOCK)
                .ok()
                .zip(usize::try_from((offset + n) / BLOCK).ok())
                .and_then(|(a, b)| self.roots.get(a..b))
                .filter(|b| !b.is_empty())
                .ok_or_else(|| short_read(offset))?;
            return Ok(nodes_root(blocks));
        }
        if n <= BLOCK {
            return Ok(root_of(&read_leaves(read, offset, offset + n)?));
        }
        let k = split(n);
        let left = self.range_root(offset, k, read)?;
        let right = self.range_root(offset + k, n - k, read)?;
        Ok(node_hash(&left, &right))
    }

    /// As [`paths`], with the subtrees no target lies in taken from the blocks.
    fn paths(
        &self,
        offset: u64,
        n: u64,
        targets: &[u64],
        found: &mut [Vec<Hash>],
        read: &mut LeafRange<'_>,
    ) -> Result<Hash> {
        if targets.is_empty() {
            return self.range_root(offset, n, read);
        }
        if n <= BLOCK {
            let leaves = read_leaves(read, offset, offset + n)?;
            return self::paths(offset, n, targets, found, &mut slice_leaves(&leaves));
        }
        let k = split(n);
        let at = targets.partition_point(|&t| t < offset + k);
        let (lt, rt) = targets.split_at(at);
        let (lp, rp) = found.split_at_mut(at);
        let left = self.paths(offset, k, lt, lp, read)?;
        let right = self.paths(offset + k, n - k, rt, rp, read)?;
        lp.iter_mut().for_each(|p| p.push(right));
        rp.iter_mut().for_each(|p| p.push(left));
        Ok(node_hash(&left, &right))
    }

    /// What [`inclusion_paths`] gives, reading leaves by position: the blocks of the first
    /// `size` leaves are learnt first (once; later calls read only new blocks), then only the
    /// leaves of the blocks the targets lie in and of the last, incomplete block are read.
    pub fn inclusion_paths(
        &mut self,
        size: u64,
        targets: &[u64],
        read: &mut LeafRange<'_>,
    ) -> Result<(Vec<Vec<Hash>>, Hash)> {
        self.extend_to(size, read)?;
        paths_in_order(size, targets, |sorted, found| {
            self.paths(0, size, sorted, found, read)
        })
    }
}

/// RFC 9162's SUBPROOF(m, D[n], b) over the next `n` leaves; returns their root.
fn subproof(
    m: u64,
    n: u64,
    whole: bool,
    out: &mut Vec<Hash>,
    next: &mut Leaves<'_>,
) -> Result<Hash> {
    if m == n {
        let h = subtree_root(n, next)?;
        if !whole {
            out.push(h);
        }
        return Ok(h);
    }
    let k = split(n);
    if m <= k {
        let left = subproof(m, k, whole, out, next)?;
        let right = subtree_root(n - k, next)?;
        out.push(right);
        Ok(node_hash(&left, &right))
    } else {
        let left = subtree_root(k, next)?;
        let right = subproof(m - k, n - k, false, out, next)?;
        out.push(left);
        Ok(node_hash(&left, &right))
    }
}

/// The consistency proof (RFC 9162 §2.1.4.1) that the tree of the first `n` leaves extends
/// the tree of the first `m`, with the root of the larger. Empty when `m` is 0 or `m == n`;
/// the caller checks `m <= n`.
pub fn consistency_path(m: u64, n: u64, next: &mut Leaves<'_>) -> Result<(Vec<Hash>, Hash)> {
    let mut out = Vec::new();
    if m == 0 || m >= n {
        return Ok((out, subtree_root(n, next)?));
    }
    let root = subproof(m, n, true, &mut out, next)?;
    Ok((out, root))
}

/// Checks an inclusion path (RFC 9162 §2.1.3.2): the entry hash `entry` is leaf `index` of
/// the tree of `size` leaves whose root is `root`.
pub fn verify_inclusion(index: u64, size: u64, entry: &Hash, path: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = leaf_hash(entry);
    for p in path {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}

/// Checks a consistency proof (RFC 9162 §2.1.4.2): the tree of `n` leaves with root
/// `root_n` extends the tree of `m` leaves with root `root_m` (`0 < m <= n`; for `m == n`
/// the proof is empty and the roots equal).
pub fn verify_consistency(m: u64, n: u64, root_m: &Hash, root_n: &Hash, proof: &[Hash]) -> bool {
    if m == 0 || m > n {
        return false;
    }
    if m == n {
        return proof.is_empty() && root_m == root_n;
    }
    let mut path: Vec<&Hash> = Vec::with_capacity(proof.len() + 1);
    if m.is_power_of_two() {
        path.push(root_m);
    }
    path.extend(proof);
    let mut it = path.into_iter();
    let Some(first) = it.next() else {
        return false;
    };
    let (mut f, mut s) = (m - 1, n - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in it {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    fr == *root_m && sr == *root_n && s == 0
}

/// Leaves read from a slice (tests, vectors, a log in memory).
pub fn slice_leaves(hashes: &[Hash]) -> impl FnMut() -> Result<Hash> + '_ {
    let mut it = hashes.iter();
    move || {
        it.next()
            .copied()
            .ok_or_else(|| crate::LedgerError::ChainBroken {
                seq: hashes.len() as u64,
                detail: "the log ends before the tree does".into(),
            })
    }
}

/// The root of a list of entry hashes (RFC 9162's MTH, by its recursive definition).
pub fn root_of(hashes: &[Hash]) -> Hash {
    match hashes {
        [] => empty_root(),
        [one] => leaf_hash(one),
        _ => {
            let k = usize::try_from(split(hashes.len() as u64)).unwrap_or(0);
            let (l, r) = hashes.split_at(k.min(hashes.len()));
            node_hash(&root_of(l), &root_of(r))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| crate::hash::hash_bytes(&(i as u64).to_le_bytes()))
            .collect()
    }

    #[test]
    fn the_frontier_root_is_the_recursive_root() {
        let hs = entries(70);
        let mut f = Frontier::default();
        assert_eq!(f.root(), root_of(&[]));
        for n in 1..=70 {
            f.push(&hs[n - 1]);
            assert_eq!(f.root(), root_of(&hs[..n]), "n = {n}");
            assert!(f.nodes.len() as u32 == (n as u64).count_ones());
        }
    }

    #[test]
    fn a_lazy_frontier_gives_the_roots_of_an_eager_one() {
        let hs = entries(70);
        let mut lazy = LazyFrontier::default();
        let mut eager = Frontier::default();
        for (n, h) in hs.iter().enumerate() {
            lazy.push(h);
            eager.push(h);
            assert_eq!(lazy.size(), eager.size());
            // Asked now and then, settled now and then: the same tree every time.
            if n % 3 == 0 {
                assert_eq!(lazy.root(), eager.root(), "n = {n}");
            }
            if n % 7 == 0 {
                lazy.settle();
                assert!(lazy.pending.is_empty());
            }
            if n % 11 == 0 {
                let bytes = postcard::to_allocvec(&lazy).unwrap();
                assert_eq!(bytes, postcard::to_allocvec(&eager).unwrap());
                let back: LazyFrontier = postcard::from_bytes(&bytes).unwrap();
                assert_eq!(back, lazy);
                assert_eq!(back.root(), eager.root());
            }
        }
        assert_eq!(lazy.root(), root_of(&hs));
        assert_eq!(lazy.frontier(), &eager);
    }

    #[test]
    fn a_lazy_frontier_adopts_only_a_fold_of_as_many_leaves() {
        let hs = entries(40);
        let mut lazy = LazyFrontier::default();
        for h in &hs[..5] {
            lazy.push(h);
        }
        // Folded elsewhere from the frontier as it stood, as a writing thread does.
        let mut elsewhere = lazy.frontier().clone();
        for h in &hs[5..] {
            lazy.push(h);
            elsewhere.push(h);
        }
        let mut longer = elsewhere.clone();
        longer.push(&hs[0]);
        assert!(!lazy.adopt(longer), "one leaf too many");
        assert_eq!(lazy.pending.len(), hs.len());
        assert!(lazy.adopt(elsewhere));
        assert!(lazy.pending.is_empty());
        assert_eq!(lazy.root(), root_of(&hs));
    }

    #[test]
    fn rfc_shapes_for_small_trees() {
        let hs = entries(3);
        let (l0, l1, l2) = (leaf_hash(&hs[0]), leaf_hash(&hs[1]), leaf_hash(&hs[2]));
        assert_eq!(root_of(&hs[..1]), l0);
        assert_eq!(root_of(&hs[..2]), node_hash(&l0, &l1));
        assert_eq!(root_of(&hs), node_hash(&node_hash(&l0, &l1), &l2));
        // Leaf 2 of 3: its sibling is the left subtree.
        let (p, _) = inclusion_paths(3, &[2], &mut slice_leaves(&hs)).unwrap();
        assert_eq!(p, vec![vec![node_hash(&l0, &l1)]]);
    }

    /// Leaves read by position from a slice, counting how many were read.
    fn by_position<'a>(
        hashes: &'a [Hash],
        count: &'a mut u64,
    ) -> impl FnMut(u64, u64) -> Result<Vec<Hash>> + 'a {
        move |from, to| {
            let (a, b) = (from as usize, (to as usize).min(hashes.len()));
            *count += (b - a) as u64;
            Ok(hashes[a..b].to_vec())
        }
    }

    #[test]
    fn block_roots_give_the_paths_and_root_of_reading_every_leaf() {
        let all = entries(3 * BLOCK as usize + 517);
        let mut blocks = BlockRoots::default();
        for size in [1, 2, 7, 1023, 1024, 1025, 2048, 2049, 3000, 3 * BLOCK + 517] {
            let hashes = &all[..size as usize];
            let targets = [0, size / 3, size / 2, size - 1, size - 1];
            let want = inclusion_paths(size, &targets, &mut slice_leaves(hashes)).unwrap();
            let mut read = 0;
            let got = blocks
                .inclusion_paths(size, &targets, &mut by_position(hashes, &mut read))
                .unwrap();
            assert_eq!(got, want, "size {size}");
            assert_eq!(got.1, root_of(hashes));
            for (t, path) in targets.iter().zip(&got.0) {
                assert!(verify_inclusion(
                    *t,
                    size,
                    &hashes[*t as usize],
                    path,
                    &got.1
                ));
            }
        }
        // Once the blocks are known, a proof of the last entry reads its block and the tail.
        let size = 3 * BLOCK + 517;
        let mut read = 0;
        blocks
            .inclusion_paths(size, &[size - 1], &mut by_position(&all, &mut read))
            .unwrap();
        assert!(read <= BLOCK, "{read} leaves read");
        assert_eq!(blocks.len(), 3);
    }

    #[test]
    fn block_roots_refuse_a_log_shorter_than_the_tree() {
        let all = entries(BLOCK as usize + 3);
        let mut read = 0;
        let e = BlockRoots::default()
            .inclusion_paths(BLOCK + 10, &[0], &mut by_position(&all, &mut read))
            .unwrap_err();
        assert_eq!(e.code(), "E_CHAIN_BROKEN");
    }

    #[test]
    fn the_empty_tree_is_the_hash_of_nothing() {
        assert_eq!(
            empty_root().to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
