//! Leaderboards (排行榜): standard competition ranking of confirmed minutes, kept current as
//! records change, for the (period, scope, kind) triples that are asked for.

use crate::ids::{OrgId, TeamId, VolunteerId};
use crate::time::Period;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Whose records a board counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "scope", content = "id")]
pub enum Scope {
    /// The whole ledger.
    All,
    /// Records served at an org or anywhere below it.
    Org(OrgId),
    /// Records organised by a team.
    Team(TeamId),
}

impl Scope {
    /// Parses `all`, `org:<id>` or `team:<id>`.
    pub fn parse(text: &str) -> crate::Result<Self> {
        let bad = || {
            crate::error::invalid_field(
                "scope",
                "scope",
                format!("'{text}' is not all, org:<id> or team:<id>"),
            )
        };
        if text == "all" {
            return Ok(Self::All);
        }
        match text.split_once(':') {
            Some(("org", id)) => Ok(Self::Org(OrgId::new(id).map_err(|_| bad())?)),
            Some(("team", id)) => Ok(Self::Team(TeamId::new(id).map_err(|_| bad())?)),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::All => f.write_str("all"),
            Self::Org(o) => write!(f, "org:{o}"),
            Self::Team(t) => write!(f, "team:{t}"),
        }
    }
}

/// What a board ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum BoardKind {
    /// Volunteers, by minutes they served in the scope.
    Volunteers,
    /// Teams, by minutes of the records they organised in the scope.
    Teams,
    /// The orgs directly below the scope's org (for `all`: the root orgs), by minutes served
    /// in each one's subtree. Minutes served at the scope's org itself rank no child.
    Orgs,
}

crate::error::named_enum!(BoardKind, "board", {
    Volunteers => "volunteers",
    Teams => "teams",
    Orgs => "orgs",
});

/// One line of a board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "BoardEntry")
)]
pub struct BoardEntry {
    /// Standard competition rank (1, 2, 2, 4).
    pub rank: i32,
    /// The volunteer number, team id or org id; `None` for a volunteer shown under a pseudonym.
    pub id: Option<String>,
    /// The masked name, pseudonym, team name or org name.
    pub name: String,
    /// Confirmed minutes in the period and scope.
    pub minutes: i64,
}

/// A leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "Leaderboard")
)]
pub struct Leaderboard {
    /// The period.
    pub period: Period,
    /// The scope.
    pub scope: Scope,
    /// What is ranked.
    pub kind: BoardKind,
    /// The log entry the board is as of (the last one applied).
    pub as_of_seq: i64,
    /// How many are ranked (those with minutes in the period), beyond the lines shown.
    pub ranked: i32,
    /// The top lines, best first; ties by id.
    pub entries: BoardLines,
}

/// The lines of a board: shared, so that reading an unchanged board again copies nothing.
/// Dereferences to a slice of [`BoardEntry`]; crosses to other languages as a list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BoardLines(Arc<[BoardEntry]>);

impl BoardLines {
    /// The lines as an owned vector.
    pub fn to_vec(&self) -> Vec<BoardEntry> {
        self.0.to_vec()
    }
}

impl std::ops::Deref for BoardLines {
    type Target = [BoardEntry];
    fn deref(&self) -> &[BoardEntry] {
        &self.0
    }
}

impl From<Vec<BoardEntry>> for BoardLines {
    fn from(v: Vec<BoardEntry>) -> Self {
        Self(v.into())
    }
}

impl<'a> IntoIterator for &'a BoardLines {
    type Item = &'a BoardEntry;
    type IntoIter = std::slice::Iter<'a, BoardEntry>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for BoardLines {
    type Item = BoardEntry;
    type IntoIter = std::vec::IntoIter<BoardEntry>;
    #[allow(clippy::unnecessary_to_owned)]
    fn into_iter(self) -> Self::IntoIter {
        self.0.to_vec().into_iter()
    }
}

impl Serialize for BoardLines {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for BoardLines {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<BoardEntry>::deserialize(d).map(Self::from)
    }
}

#[cfg(feature = "uniffi")]
uniffi::custom_type!(BoardLines, Vec<BoardEntry>, {
    lower: |l| l.to_vec(),
    try_lift: |v| Ok(BoardLines::from(v)),
});

/// One volunteer's place on a board, with the change since the previous period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "Standing")
)]
pub struct Standing {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// The period.
    pub period: Period,
    /// The scope.
    pub scope: Scope,
    /// Their minutes in the period and scope.
    pub minutes: i64,
    /// Their rank, if they have minutes.
    pub rank: Option<i32>,
    /// How many are ranked.
    pub ranked: i32,
    /// Their rank in the previous period, if any.
    pub previous_rank: Option<i32>,
    /// Places gained since the previous period (positive is up); `None` when either period
    /// has no rank.
    pub places_up: Option<i64>,
}

/// Ranks (id, minutes) pairs: most minutes first, ties by id, standard competition ranks.
/// Pairs with zero minutes are not ranked.
///
/// ```
/// let ranked = volunteer_ledger::rank_pairs(vec![("b".into(), 60), ("a".into(), 60), ("c".into(), 90), ("d".into(), 10)]);
/// let ranks: Vec<(u32, &str)> = ranked.iter().map(|(r, id, _)| (*r, id.as_str())).collect();
/// assert_eq!(ranks, [(1, "c"), (2, "a"), (2, "b"), (4, "d")]);
/// ```
pub fn rank_pairs(mut pairs: Vec<(String, u64)>) -> Vec<(u32, String, u64)> {
    pairs.retain(|(_, m)| *m > 0);
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let ranks: Vec<u32> = competition_ranks(pairs.iter().map(|p| p.1)).collect();
    ranks
        .into_iter()
        .zip(pairs)
        .map(|(r, (id, m))| (r, id, m))
        .collect()
}

/// Standard competition ranks for minutes already sorted best first.
pub(crate) fn competition_ranks(sorted: impl Iterator<Item = u64>) -> impl Iterator<Item = u32> {
    let mut last: Option<u64> = None;
    let mut rank = 0u32;
    sorted.enumerate().map(move |(i, m)| {
        if last != Some(m) {
            rank = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
            last = Some(m);
        }
        rank
    })
}

/// The rendered top lines of a board, kept until a change reaches them.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    pub(crate) limit: u32,
    pub(crate) lines: BoardLines,
}

/// A live board: minutes per entity and the order, updated in O(log n) per change.
#[derive(Debug, Default, Clone)]
pub(crate) struct Board {
    minutes: HashMap<u32, u64>,
    order: BTreeSet<(Reverse<u64>, Arc<str>, u32)>,
    pub(crate) rendered: Option<Rendered>,
}

impl Board {
    /// Adds (or with a negative delta removes) minutes of an entity whose tie-break key is `key`.
    pub(crate) fn add(&mut self, entity: u32, key: &Arc<str>, delta: i64) {
        let old = self.minutes.get(&entity).copied().unwrap_or(0);
        let new = old.saturating_add_signed(delta);
        if old == new {
            return;
        }
        if let Some(r) = &self.rendered {
            // The top lines depend only on entities at or above the last line's minutes: a
            // change wholly below it leaves them (and their ranks) as they are.
            let full = r.lines.len() >= r.limit as usize;
            let cutoff = r.lines.last().map_or(0, |l| l.minutes.unsigned_abs());
            if !full || old >= cutoff || new >= cutoff {
                self.rendered = None;
            }
        }
        if old > 0 {
            self.order.remove(&(Reverse(old), Arc::clone(key), entity));
        }
        if new > 0 {
            self.minutes.insert(entity, new);
            self.order.insert((Reverse(new), Arc::clone(key), entity));
        } else {
            self.minutes.remove(&entity);
        }
    }

    /// How many entities are ranked.
    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }

    /// The best `limit` lines: (rank, entity, minutes).
    pub(crate) fn top(&self, limit: usize) -> Vec<(u32, u32, u64)> {
        let mins = self.order.iter().map(|(Reverse(m), _, _)| *m);
        competition_ranks(mins)
            .zip(self.order.iter())
            .take(limit)
            .map(|(r, (Reverse(m), _, e))| (r, *e, *m))
            .collect()
    }

    /// An entity's minutes and rank (1 + how many have strictly more).
    pub(crate) fn rank_of(&self, entity: u32) -> (u64, Option<u32>) {
        match self.minutes.get(&entity) {
            None => (0, None),
            Some(&m) => {
                let above = self.order.range(..(Reverse(m), Arc::from(""), 0)).count();
                (
                    m,
                    Some(u32::try_from(above).unwrap_or(u32::MAX).saturating_add(1)),
                )
            }
        }
    }
}

/// Where a board's minutes are added: a live board, or a tally that becomes one.
pub(crate) trait Tally {
    /// Adds (or with a negative delta removes) minutes of an entity whose tie-break key is `key`.
    fn add(&mut self, entity: u32, key: &Arc<str>, delta: i64);
}

impl Tally for Board {
    fn add(&mut self, entity: u32, key: &Arc<str>, delta: i64) {
        Board::add(self, entity, key, delta);
    }
}

/// Minutes summed per entity, then made a board in one go: a board built record by record
/// moves an entity in its order once per record, which was most of a board's first build.
#[derive(Debug, Default)]
pub(crate) struct BoardTally {
    minutes: HashMap<u32, (u64, Arc<str>)>,
}

impl Tally for BoardTally {
    fn add(&mut self, entity: u32, key: &Arc<str>, delta: i64) {
        let e = self
            .minutes
            .entry(entity)
            .or_insert_with(|| (0, Arc::clone(key)));
        e.0 = e.0.saturating_add_signed(delta);
    }
}

impl BoardTally {
    /// The board of these minutes: the same as adding them one by one to an empty board.
    pub(crate) fn into_board(self) -> Board {
        let order = self
            .minutes
            .iter()
            .filter(|(_, (m, _))| *m > 0)
            .map(|(e, (m, k))| (Reverse(*m), Arc::clone(k), *e))
            .collect();
        let minutes = self
            .minutes
            .into_iter()
            .filter_map(|(e, (m, _))| (m > 0).then_some((e, m)))
            .collect();
        Board {
            minutes,
            order,
            rendered: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn board_matches_rank_pairs() {
        let mut b = Board::default();
        let k = |s: &str| Arc::<str>::from(s);
        b.add(0, &k("a"), 60);
        b.add(1, &k("b"), 60);
        b.add(2, &k("c"), 90);
        b.add(3, &k("d"), 10);
        b.add(3, &k("d"), -10);
        assert_eq!(b.top(10), vec![(1, 2, 90), (2, 0, 60), (2, 1, 60)]);
        assert_eq!(b.rank_of(1), (60, Some(2)));
        assert_eq!(b.rank_of(3), (0, None));
        assert_eq!(b.len(), 3);
    }

    #[test]
    fn a_tally_makes_the_board_adding_one_by_one_makes() {
        let k = |s: &str| Arc::<str>::from(s);
        let adds = [
            (0, "a", 60),
            (1, "b", 30),
            (0, "a", 30),
            (2, "c", 90),
            (1, "b", 60),
            (3, "d", 10),
            (3, "d", -10),
        ];
        let (mut b, mut t) = (Board::default(), BoardTally::default());
        for (e, key, d) in adds {
            b.add(e, &k(key), d);
            Tally::add(&mut t, e, &k(key), d);
        }
        let built = t.into_board();
        assert_eq!(built.top(10), b.top(10));
        assert_eq!(built.top(10), vec![(1, 0, 90), (1, 1, 90), (1, 2, 90)]);
        assert_eq!((built.len(), built.rank_of(3)), (b.len(), b.rank_of(3)));
    }
}
