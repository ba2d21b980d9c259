//! Leaderboards: the boards kept up to date as records count, a board as of a past moment,
//! and a volunteer's standing.

use super::lifecycle::{replay, replay_entry};
use super::state::{BoardKey, HeldRecord, RecordContext, ScopeKey, State};
use super::{Ledger, Log, detached};
use crate::error::{LedgerError, Result};
use crate::ids::{VolunteerId, mask_name};
use crate::log::Hash;
use crate::org::BoardVisibility;
use crate::ranking::{
    Board, BoardEntry, BoardKind, BoardTally, Leaderboard, Scope, Standing, Tally,
};
use crate::time::{Period, Timestamp};
use chrono::NaiveDate;

impl State {
    pub(super) fn rec_ctx(&self, rec: HeldRecord) -> Option<RecordContext<'_>> {
        Some(RecordContext {
            date: Timestamp(rec.start()).local_date(self.off),
            ancestors: self.ancestors(rec.org),
            rec,
            vol: self.vol(rec.vol)?,
            team_key: self.teams.get(rec.team as usize).map(|t| &t.key),
            hidden: self.visibility.get(&rec.vol) == Some(&BoardVisibility::Hidden),
        })
    }

    /// Adds a record's minutes to a board if the board counts it.
    pub(super) fn count_into(
        &self,
        key: &BoardKey,
        board: &mut impl Tally,
        c: &RecordContext<'_>,
        delta: i64,
    ) {
        if !key.period.contains(c.date) {
            return;
        }
        let in_scope = match key.scope {
            ScopeKey::All => true,
            ScopeKey::Org(o) => c.ancestors.contains(&o),
            ScopeKey::Team(t) => c.rec.team == t,
        };
        if !in_scope {
            return;
        }
        match key.kind {
            BoardKind::Volunteers => {
                if !c.hidden {
                    board.add(c.rec.vol, &c.vol.key, delta);
                }
            }
            BoardKind::Teams => {
                if let Some(t) = c.team_key {
                    board.add(c.rec.team, t, delta);
                }
            }
            BoardKind::Orgs => {
                let child = match key.scope {
                    ScopeKey::All => c.ancestors.last().copied(),
                    ScopeKey::Org(o) => c
                        .ancestors
                        .iter()
                        .position(|a| *a == o)
                        .and_then(|p| p.checked_sub(1))
                        .and_then(|p| c.ancestors.get(p).copied()),
                    ScopeKey::Team(_) => None,
                };
                if let Some(ch) = child.and_then(|ch| self.orgs.get(ch as usize).map(|o| (ch, o))) {
                    board.add(ch.0, &ch.1.key, delta);
                }
            }
        }
    }

    pub(super) fn scope_key(&self, scope: &Scope) -> Result<ScopeKey> {
        Ok(match scope {
            Scope::All => ScopeKey::All,
            Scope::Org(o) => ScopeKey::Org(self.org_idx(o)?),
            Scope::Team(t) => ScopeKey::Team(self.team_idx(t)?),
        })
    }

    pub(super) fn build_board(&self, key: &BoardKey) -> Board {
        let mut board = BoardTally::default();
        // The period as instants: [local midnight of its first day, that of the day after its
        // last). A start in it is a start on one of its local days, found with two integer
        // comparisons instead of a date conversion per record of the ledger.
        let midnight = |d: NaiveDate| {
            d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp()
                - i64::from(self.off.local_minus_utc())
        };
        let range = key
            .period
            .date_range()
            .map(|(first, last)| (midnight(first), last.succ_opt().map_or(i64::MAX, midnight)));
        for rec in self.records.iter().filter(|r| r.counted()) {
            if let Some((from, until)) = range {
                let start = rec.start();
                if start < from || start >= until {
                    continue;
                }
            }
            if let Some(ctx) = self.rec_ctx(*rec) {
                self.count_into(key, &mut board, &ctx, i64::from(rec.minutes));
            }
        }
        board.into_board()
    }

    pub(super) fn render(
        &self,
        key: &BoardKey,
        board: &Board,
        scope: &Scope,
        limit: u32,
        as_of_seq: u64,
    ) -> Leaderboard {
        let entries = match &board.rendered {
            Some(r) if r.limit == limit => r.lines.clone(),
            _ => self.board_lines(key, board, limit),
        };
        Leaderboard {
            period: key.period,
            scope: scope.clone(),
            kind: key.kind,
            as_of_seq: crate::error::signed(as_of_seq),
            ranked: i32::try_from(board.len()).unwrap_or(i32::MAX),
            entries,
        }
    }

    pub(super) fn board_lines(
        &self,
        key: &BoardKey,
        board: &Board,
        limit: u32,
    ) -> crate::ranking::BoardLines {
        board
            .top(limit as usize)
            .into_iter()
            .map(|(rank, e, minutes)| {
                let (id, name) = match key.kind {
                    BoardKind::Volunteers => match self.vol(e) {
                        Some(v) => match self.visibility.get(&e) {
                            Some(BoardVisibility::Pseudonym { name }) => (None, name.clone()),
                            _ => (Some(v.key.to_string()), mask_name(&v.name)),
                        },
                        None => (None, String::new()),
                    },
                    BoardKind::Teams => self
                        .teams
                        .get(e as usize)
                        .map_or((None, String::new()), |t| {
                            (Some(t.team.id.to_string()), t.team.name.clone())
                        }),
                    BoardKind::Orgs => self
                        .orgs
                        .get(e as usize)
                        .map_or((None, String::new()), |o| {
                            (Some(o.org.id.to_string()), o.org.name.clone())
                        }),
                };
                BoardEntry {
                    rank: i32::try_from(rank).unwrap_or(i32::MAX),
                    id,
                    name,
                    minutes: crate::error::signed(minutes),
                }
            })
            .collect::<Vec<_>>()
            .into()
    }
}

impl Ledger {
    /// The top `limit` of a leaderboard, always current. The first request for a (period,
    /// scope, kind) builds its board from the records; after that every change keeps it
    /// current, so later requests cost only the lines read.
    pub fn leaderboard(
        &mut self,
        period: Period,
        scope: &Scope,
        kind: BoardKind,
        limit: u32,
    ) -> Result<Leaderboard> {
        let key = BoardKey {
            period,
            scope: self.state.scope_key(scope)?,
            kind,
        };
        self.ensure_board(key);
        let seq = self.len.saturating_sub(1);
        let empty = Board::default();
        let board = self.state.boards.get(&key).unwrap_or(&empty);
        let fresh = !matches!(&board.rendered, Some(r) if r.limit == limit);
        let out = self.state.render(&key, board, scope, limit, seq);
        if fresh && let Some(b) = self.state.boards.get_mut(&key) {
            b.rendered = Some(crate::ranking::Rendered {
                limit,
                lines: out.entries.clone(),
            });
        }
        Ok(out)
    }

    pub(super) fn ensure_board(&mut self, key: BoardKey) {
        if !self.state.boards.contains_key(&key) {
            let board = self.state.build_board(&key);
            self.state.boards.insert(key, board);
        }
    }

    /// A leaderboard as it stood just after entry `seq`: the log up to that entry is replayed
    /// and the board computed from it, so a board published earlier is shown again exactly.
    /// `seq` is signed, as [`Receipt::seq`](super::Receipt::seq) and [`Leaderboard::as_of_seq`] are; a negative
    /// one is refused with `E_FIELD`.
    pub fn leaderboard_as_of(
        &self,
        seq: i64,
        period: Period,
        scope: &Scope,
        kind: BoardKind,
        limit: u32,
    ) -> Result<Leaderboard> {
        let seq: u64 = crate::error::non_negative("seq", seq)?;
        let len = self.len;
        if seq >= len {
            return Err(LedgerError::UnknownEntry { seq, len });
        }
        let state = match &self.log {
            Log::Memory(log) => replay(
                &self.config,
                log.get(..=usize::try_from(seq).unwrap_or(usize::MAX))
                    .unwrap_or_default(),
            )?,
            Log::File(store) => {
                let mut state = State::new(&self.config)?;
                store.each_entry(0, Some(seq), Hash::ZERO, |e| replay_entry(&mut state, &e))?;
                state
            }
            Log::Detached => return Err(detached()),
            Log::Failed(e) => return Err(e.clone()),
        };
        let key = BoardKey {
            period,
            scope: state.scope_key(scope)?,
            kind,
        };
        let board = state.build_board(&key);
        Ok(state.render(&key, &board, scope, limit, seq))
    }

    /// A volunteer's place on the board of a period and scope, and the change since the
    /// previous period. A volunteer hidden from boards has minutes but no rank.
    pub fn standing(
        &mut self,
        volunteer: &VolunteerId,
        period: Period,
        scope: &Scope,
    ) -> Result<Standing> {
        let v = self.state.vol_idx(volunteer)?;
        let sk = self.state.scope_key(scope)?;
        let key = BoardKey {
            period,
            scope: sk,
            kind: BoardKind::Volunteers,
        };
        self.ensure_board(key);
        let (mut minutes, rank, ranked) = self
            .state
            .boards
            .get(&key)
            .map(|b| {
                let (m, r) = b.rank_of(v);
                (m, r, u32::try_from(b.len()).unwrap_or(u32::MAX))
            })
            .unwrap_or((0, None, 0));
        if rank.is_none() {
            // Hidden volunteers are not on the board; count their minutes directly.
            minutes = self.minutes_in(v, &key);
        }
        let previous_rank = match period.previous() {
            Some(p) => {
                let pk = BoardKey {
                    period: p,
                    scope: sk,
                    kind: BoardKind::Volunteers,
                };
                self.ensure_board(pk);
                self.state.boards.get(&pk).and_then(|b| b.rank_of(v).1)
            }
            None => None,
        };
        let places_up = match (rank, previous_rank) {
            (Some(r), Some(p)) => Some(i64::from(p) - i64::from(r)),
            _ => None,
        };
        Ok(Standing {
            volunteer: volunteer.clone(),
            period,
            scope: scope.clone(),
            minutes: crate::error::signed(minutes),
            rank: rank.map(|r| i32::try_from(r).unwrap_or(i32::MAX)),
            ranked: i32::try_from(ranked).unwrap_or(i32::MAX),
            previous_rank: previous_rank.map(|r| i32::try_from(r).unwrap_or(i32::MAX)),
            places_up,
        })
    }

    pub(super) fn minutes_in(&self, v: u32, key: &BoardKey) -> u64 {
        let recs = self
            .state
            .vol(v)
            .map(|v| v.records.as_slice())
            .unwrap_or_default();
        let mut board = Board::default();
        let vis_key = BoardKey {
            kind: BoardKind::Volunteers,
            ..*key
        };
        for &i in recs {
            let Some(rec) = self.state.records.get(i as usize).filter(|r| r.counted()) else {
                continue;
            };
            if let Some(mut ctx) = self.state.rec_ctx(*rec) {
                // Count as if visible, for the volunteer's own eyes.
                ctx.hidden = false;
                self.state
                    .count_into(&vis_key, &mut board, &ctx, i64::from(rec.minutes));
            }
        }
        board.rank_of(v).0
    }
}
