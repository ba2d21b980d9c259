//! Compact string storage: every id of a kind lives in shared 1 MiB chunks and is named by a
//! `u32`, so a million record ids cost their bytes plus a few bytes each, not a `String` each
//! (and no buffer ever doubles past what it holds).

use hashbrown::HashTable;
use std::hash::BuildHasher;

const CHUNK: usize = 1 << 20;
/// The most bytes one stored text may have.
const MAX_TEXT: usize = u16::MAX as usize;

/// Texts stored one after another in chunks, each named by its index.
///
/// In a snapshot they are front-coded: each text as the length of the start it shares with
/// the text before, and the rest (record ids of one sheet share all but the row number, and
/// contents often repeat whole). A million uploaded records' ids and contents take 7 MB
/// instead of 42 MB.
#[derive(Debug, Default, Clone)]
pub(crate) struct Texts {
    chunks: Vec<String>,
    /// Where each text starts: chunk index × CHUNK + offset. A text ends where the next one
    /// starts in the same chunk, or at the end of its chunk.
    starts: Vec<u32>,
}

impl serde::Serialize for Texts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.front_coded())
    }
}

impl<'de> serde::Deserialize<'de> for Texts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FrontCoded;
        impl serde::de::Visitor<'_> for FrontCoded {
            type Value = Texts;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("front-coded texts")
            }
            fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Texts, E> {
                Texts::from_front_coded(b).ok_or_else(|| E::custom("malformed front-coded texts"))
            }
        }
        d.deserialize_bytes(FrontCoded)
    }
}

/// How many times its own size front-coded texts may grow to when read (see
/// [`Texts::from_front_coded`]): a million uploaded records' ids and contents grow ≈ 6 times;
/// texts that would grow more are written sharing nothing ([`Texts::front_coded`]).
const MAX_GROWTH: usize = 256;

/// The most text bytes front-coded texts of `len` bytes are read back as.
fn read_limit(len: usize) -> usize {
    len.saturating_mul(MAX_GROWTH).max(64 << 20)
}

/// Appends `n` as LEB128 (7 bits a byte, low bits first).
fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a LEB128 number at `*at` (at most 4 bytes: texts are under 64 KiB).
fn take_varint(b: &[u8], at: &mut usize) -> Option<usize> {
    let mut n = 0usize;
    for shift in [0, 7, 14, 21] {
        let byte = *b.get(*at)?;
        *at += 1;
        n |= usize::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(n);
        }
    }
    None
}

impl Texts {
    /// Every text, front-coded: the bytes it shares with the one before (cut back to a
    /// character boundary) and the rest, as `shared`, `rest length`, `rest`.
    ///
    /// Texts that would grow past what [`Texts::from_front_coded`] reads back (long contents
    /// repeated row after row) are written sharing nothing: every snapshot written can be read.
    fn front_coded(&self) -> Vec<u8> {
        let shared = self.coded(true);
        let whole: usize = self.chunks.iter().map(String::len).sum();
        if whole <= read_limit(shared.len()) {
            shared
        } else {
            self.coded(false)
        }
    }

    /// The texts as `shared`, `rest length`, `rest` each (`shared` always 0 unless `share`).
    fn coded(&self, share: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.starts.len() * 4);
        let mut prev = "";
        for i in 0..self.starts.len() {
            let text = self.get(u32::try_from(i).unwrap_or(u32::MAX));
            let mut shared = if share {
                prev.bytes()
                    .zip(text.bytes())
                    .take_while(|(a, b)| a == b)
                    .count()
            } else {
                0
            };
            while !text.is_char_boundary(shared) {
                shared -= 1;
            }
            let rest = text.get(shared..).unwrap_or_default();
            put_varint(&mut out, shared);
            put_varint(&mut out, rest.len());
            out.extend_from_slice(rest.as_bytes());
            prev = text;
        }
        out
    }

    /// The texts [`Texts::front_coded`] wrote, or `None` when the bytes are not such — or
    /// when they would make more than [`MAX_GROWTH`] times their size (and at least 64 MiB):
    /// four bytes can repeat 64 KiB of the text before, and a snapshot planted in the file must
    /// not make the ledger allocate gigabytes (an unusable snapshot only means a replay).
    fn from_front_coded(b: &[u8]) -> Option<Self> {
        let limit = read_limit(b.len());
        let mut made = 0usize;
        let mut texts = Self::default();
        let (mut prev, mut text) = (String::new(), String::new());
        let mut at = 0;
        while at < b.len() {
            let shared = take_varint(b, &mut at)?;
            let len = take_varint(b, &mut at)?;
            let rest = b.get(at..at.checked_add(len)?)?;
            at += len;
            made = made.checked_add(shared)?.checked_add(len)?;
            if made > limit {
                return None;
            }
            text.clear();
            text.push_str(prev.get(..shared)?);
            text.push_str(std::str::from_utf8(rest).ok()?);
            texts.push(&text)?;
            std::mem::swap(&mut prev, &mut text);
        }
        Some(texts)
    }

    /// Makes room in the index for `more` new texts (the chunks grow by themselves).
    pub(crate) fn reserve(&mut self, more: usize) {
        self.starts.reserve(more);
    }

    /// Whether a text of `len` bytes can still be stored (4 GiB in all, 64 KiB each).
    pub(crate) fn has_room(&self, len: usize) -> bool {
        len <= MAX_TEXT
            && (self.chunks.len() + 1) * CHUNK <= u32::MAX as usize
            && self.starts.len() < u32::MAX as usize
    }

    /// Stores a text and returns its index, or `None` when there is no room.
    pub(crate) fn push(&mut self, s: &str) -> Option<u32> {
        if !self.has_room(s.len()) {
            return None;
        }
        let idx = u32::try_from(self.starts.len()).ok()?;
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.len() + s.len() <= CHUNK);
        if !fits {
            self.chunks.push(String::with_capacity(CHUNK));
        }
        let ci = self.chunks.len() - 1;
        let chunk = self.chunks.last_mut()?;
        let start = u32::try_from(ci * CHUNK + chunk.len()).ok()?;
        chunk.push_str(s);
        self.starts.push(start);
        Some(idx)
    }

    /// The text at an index ("" for an unknown index).
    pub(crate) fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let (start, ci) = (start as usize, start as usize / CHUNK);
        let Some(chunk) = self.chunks.get(ci) else {
            return "";
        };
        let end = match self.starts.get(i + 1) {
            Some(&next) if next as usize / CHUNK == ci => next as usize % CHUNK,
            _ => chunk.len(),
        };
        chunk.get(start % CHUNK..end).unwrap_or("")
    }

    /// Bytes held on the heap by the index.
    pub(crate) fn index_bytes(&self) -> usize {
        self.starts.capacity() * 4
    }

    /// Bytes held on the heap by the text itself.
    pub(crate) fn text_bytes(&self) -> usize {
        self.chunks.iter().map(String::capacity).sum()
    }
}

/// Interned strings with lookup by text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    texts: Texts,
    table: HashTable<u32>,
    /// foldhash, randomly seeded per table: several times faster than SipHash on short ids,
    /// and still seeded so that crafted ids cannot be aimed at one bucket.
    hasher: hashbrown::DefaultHashBuilder,
}

/// An interner is stored as its texts; the lookup table is rebuilt when it is read.
impl serde::Serialize for Interner {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.texts.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Interner {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let texts = Texts::deserialize(d)?;
        let hasher = hashbrown::DefaultHashBuilder::default();
        let n = texts.starts.len();
        let mut table = HashTable::with_capacity(n);
        for i in 0..n {
            let i = u32::try_from(i).map_err(serde::de::Error::custom)?;
            let h = hasher.hash_one(texts.get(i));
            table.insert_unique(h, i, |&j| hasher.hash_one(texts.get(j)));
        }
        Ok(Self {
            texts,
            table,
            hasher,
        })
    }
}

impl Interner {
    /// Makes room for `more` new texts.
    pub(crate) fn reserve(&mut self, more: usize) {
        let Self {
            table,
            texts,
            hasher,
        } = self;
        table.reserve(more, |&i| hasher.hash_one(texts.get(i)));
        texts.reserve(more);
    }
    /// The text of an index ("" for an unknown index).
    pub(crate) fn resolve(&self, i: u32) -> &str {
        self.texts.get(i)
    }

    /// The index of a text, if interned.
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        let h = self.hasher.hash_one(s);
        self.table.find(h, |&i| self.texts.get(i) == s).copied()
    }

    /// Whether a new text of `len` bytes can still be interned.
    pub(crate) fn has_room(&self, len: usize) -> bool {
        self.texts.has_room(len)
    }

    /// Interns a text, returning its index (the existing one if already there), or `None`
    /// when there is no room.
    pub(crate) fn intern(&mut self, s: &str) -> Option<u32> {
        // One hash for the lookup and the insert.
        let h = self.hasher.hash_one(s);
        if let Some(&i) = self.table.find(h, |&i| self.texts.get(i) == s) {
            return Some(i);
        }
        let idx = self.texts.push(s)?;
        let Self {
            table,
            texts,
            hasher,
        } = self;
        table.insert_unique(h, idx, |&i| hasher.hash_one(texts.get(i)));
        Some(idx)
    }

    /// Bytes held on the heap: the ids, their index and the lookup table (for memory figures).
    pub(crate) fn heap_bytes(&self) -> usize {
        // A hashbrown table holds a u32 and a control byte per bucket; `capacity` is 7/8 of
        // the buckets once past a handful.
        let buckets = self.table.capacity() * 8 / 7;
        self.texts.text_bytes() + self.texts.index_bytes() + buckets * 5
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

    #[test]
    fn front_coded_texts_read_back_as_they_were() {
        let mut t = Texts::default();
        let words = [
            "0228e95ac4b78251-2",
            "0228e95ac4b78251-3",
            "0228e95ac4b78251-10",
            "",
            "社区服务",
            "社区服务",
            "社区巡逻",
            "社",
            "x",
        ];
        for w in words {
            t.push(w).unwrap();
        }
        let long = "志".repeat(20_000);
        for n in 0..40 {
            t.push(&format!("{long}{n}")).unwrap();
        }
        let coded = t.front_coded();
        // The first id whole, the second as the 17 bytes it shares and "3"; of the long texts
        // only the first is written whole.
        assert_eq!(coded.get(..2), Some(&[0, 18][..]));
        assert_eq!(coded.get(20..23), Some(&[17, 1, b'3'][..]));
        assert!(coded.len() < 60_000 + 400, "{}", coded.len());
        let back = Texts::from_front_coded(&coded).unwrap();
        assert_eq!(back.starts.len(), t.starts.len());
        for i in 0..u32::try_from(t.starts.len()).unwrap() {
            assert_eq!(back.get(i), t.get(i));
        }
        assert_eq!(back.starts, t.starts);
        let restored: Texts = postcard::from_bytes(&postcard::to_allocvec(&t).unwrap()).unwrap();
        assert_eq!(restored.starts, t.starts);
        // Cut short, or sharing more than the text before holds, or not UTF-8: refused.
        assert!(Texts::from_front_coded(&coded[..coded.len() - 1]).is_none());
        assert!(Texts::from_front_coded(&[5, 1, b'a']).is_none());
        assert!(Texts::from_front_coded(&[0, 1, 0xff]).is_none());
        assert!(Texts::from_front_coded(&[0x80, 0x80, 0x80, 0x80, 0x01]).is_none());
        // 4 bytes a text repeating 60,000 bytes: past 256 times the input and 64 MiB, refused.
        let mut bomb = vec![0, 0xe0, 0xd4, 0x03];
        bomb.extend(std::iter::repeat_n(b'x', 60_000));
        for _ in 0..2_000 {
            bomb.extend_from_slice(&[0xe0, 0xd4, 0x03, 0]);
        }
        assert!(Texts::from_front_coded(&bomb).is_none());
        assert!(Texts::from_front_coded(&bomb[..60_004 + 4 * 1_000]).is_some());
        // What the writer writes is always read back, even texts that would grow past the
        // limit if shared: 30,000 copies of a 3,000-byte content (90 MB).
        let mut long = Texts::default();
        let content = "说明".repeat(500);
        for _ in 0..30_000 {
            long.push(&content).unwrap();
        }
        let coded = long.front_coded();
        assert!(coded.len() > 90_000_000, "written sharing nothing");
        let back = Texts::from_front_coded(&coded).unwrap();
        assert_eq!(back.get(29_999), content);
        // Sharing part of a character: refused.
        assert!(Texts::from_front_coded(&[0, 3, 0xe7, 0xa4, 0xbe, 1, 0]).is_none());
    }

    #[test]
    fn texts_cross_chunks_intact() {
        let mut t = Texts::default();
        let long = "志".repeat(20_000); // 60 000 bytes
        let mut idx = Vec::new();
        for n in 0..40 {
            idx.push((t.push(&format!("{n}{long}")).unwrap(), n));
            t.push("").unwrap();
        }
        assert!(t.text_bytes() > CHUNK);
        for (i, n) in idx {
            assert_eq!(t.get(i), format!("{n}{long}"));
        }
        assert_eq!(t.get(9999), "");
        assert!(!t.has_room(MAX_TEXT + 1));
    }
}
