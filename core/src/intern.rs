//! Compact string storage: every id of a kind lives in one buffer and is named by a `u32`,
//! so a million record ids cost their bytes plus a few bytes each, not a `String` each.

use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Interned strings with lookup by text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    buf: String,
    ends: Vec<u32>,
    table: HashTable<u32>,
    hasher: std::hash::RandomState,
}

impl Interner {
    fn span(&self, i: u32) -> &str {
        let i = i as usize;
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0) as usize
        };
        self.buf.get(start..end).unwrap_or("")
    }

    /// The text of an index ("" for an unknown index).
    pub(crate) fn resolve(&self, i: u32) -> &str {
        self.span(i)
    }

    /// The index of a text, if interned.
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        let h = self.hasher.hash_one(s);
        self.table.find(h, |&i| self.span(i) == s).copied()
    }

    /// Interns a text, returning its index (the existing one if already there). Refuses once
    /// the buffer would pass 4 GiB.
    pub(crate) fn intern(&mut self, s: &str) -> Option<u32> {
        if let Some(i) = self.get(s) {
            return Some(i);
        }
        let idx = u32::try_from(self.ends.len()).ok()?;
        let end = u32::try_from(self.buf.len() + s.len()).ok()?;
        self.buf.push_str(s);
        self.ends.push(end);
        let h = self.hasher.hash_one(s);
        let Self {
            table,
            buf,
            ends,
            hasher,
        } = self;
        table.insert_unique(h, idx, |&i| {
            let i = i as usize;
            let e = ends.get(i).copied().unwrap_or(0) as usize;
            let st = if i == 0 {
                0
            } else {
                ends.get(i - 1).copied().unwrap_or(0) as usize
            };
            hasher.hash_one(buf.get(st..e).unwrap_or(""))
        });
        Some(idx)
    }

    /// Bytes held on the heap (for memory figures).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.buf.capacity() + self.ends.capacity() * 4 + self.table.capacity() * 5
    }
}

/// Free text stored by index, not looked up by content (record contents, reasons).
#[derive(Debug, Default, Clone)]
pub(crate) struct TextArena {
    buf: String,
    ends: Vec<u32>,
}

impl TextArena {
    /// Stores a text and returns its index, or `None` past 4 GiB.
    pub(crate) fn push(&mut self, s: &str) -> Option<u32> {
        let idx = u32::try_from(self.ends.len()).ok()?;
        let end = u32::try_from(self.buf.len() + s.len()).ok()?;
        self.buf.push_str(s);
        self.ends.push(end);
        Some(idx)
    }

    /// The text at an index.
    pub(crate) fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0) as usize
        };
        self.buf.get(start..end).unwrap_or("")
    }

    /// Bytes of index (not of text) on the heap.
    pub(crate) fn index_bytes(&self) -> usize {
        self.ends.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_idempotent_and_resolves() {
        let mut i = Interner::default();
        let a = i.intern("R1").unwrap();
        let b = i.intern("记录-2").unwrap();
        assert_eq!(i.intern("R1"), Some(a));
        assert_eq!(i.resolve(b), "记录-2");
        assert_eq!(i.get("nope"), None);
        for n in 0..10_000 {
            i.intern(&format!("X{n}")).unwrap();
        }
        assert_eq!(
            i.get("X9999").map(|x| i.resolve(x).to_owned()),
            Some("X9999".into())
        );
    }
}
