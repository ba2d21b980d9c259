//! Registering many volunteers at once. In a file ledger's batch, the writing thread of a bulk
//! add (`crate::store::writer`) writes each registration's entry and data key while this thread
//! validates, seals, checks and applies the next one; elsewhere each is committed as usual.

use super::identity::{KeyWrite, TAG_KEY_META};
use super::{Ledger, Log, Receipt};
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, Identity};
use crate::log::Entry;
use crate::org::NewVolunteer;
use crate::progress::Progress;
use crate::store::{Admitted, DataKeyRow};

/// Where [`Ledger::register_through`] sends what it admits: the writing thread of a file
/// ledger's batch, or nowhere (each registration is then committed on its own).
pub(crate) struct RegistrationPipe<'a> {
    send: Option<&'a mut dyn FnMut(&Admitted) -> bool>,
    /// Why the registrations must stop (applying an entry failed): the batch then fails.
    failed: Option<LedgerError>,
    /// A buffer for each entry's stored body, used again from one entry to the next.
    body: Vec<u8>,
}

impl Ledger {
    /// Registers many volunteers as [`Ledger::register_volunteer`] registers one, each on its
    /// own (one refusal does not stop the others); the results are in input order. A file
    /// ledger writes them in one transaction: if that write fails, none is kept and the error
    /// is returned.
    pub fn register_volunteers(
        &mut self,
        actor: &ActorId,
        volunteers: Vec<NewVolunteer>,
    ) -> Result<Vec<Result<Receipt>>> {
        self.register_volunteers_with_progress(actor, volunteers, Progress::none())
    }

    /// [`Ledger::register_volunteers`], telling `progress` the volunteers done (see
    /// [`Progress`]).
    pub fn register_volunteers_with_progress(
        &mut self,
        actor: &ActorId,
        volunteers: Vec<NewVolunteer>,
        mut progress: Progress<'_>,
    ) -> Result<Vec<Result<Receipt>>> {
        self.batch(|l| {
            let total = volunteers.len() as u64;
            l.reserve_volunteers_for(volunteers.len());
            progress.start(total);
            let answers = l.with_registrations(true, |l, pipe| {
                (1u64..)
                    .zip(volunteers)
                    .map(|(done, v)| {
                        let answer = l.register_through(actor, v, None, pipe);
                        progress.at(done);
                        answer
                    })
                    .collect()
            });
            progress.finish(total);
            answers
        })
    }

    /// Makes room for `n` more volunteers, so that a bulk registration of a known size grows
    /// the ledger's tables once.
    pub(crate) fn reserve_volunteers_for(&mut self, n: usize) {
        let s = &mut self.state;
        s.vols.reserve(n);
        s.vol_ids.reserve(n);
        let vols = &s.vols;
        s.identities
            .reserve(n, |&i| super::state::held_hash(vols, i));
        if let Log::Memory(log) = &mut self.log {
            log.reserve(n);
        }
    }

    /// Runs `f`, whose registrations go through [`Ledger::register_through`]: piped to a
    /// writing thread when `pipe` is asked for and this is a file ledger's batch that has not
    /// failed. While they are piped, the ledger has no log of its own: `f` must make no other
    /// change (one would be refused with `E_STORAGE`).
    pub(crate) fn with_registrations<R>(
        &mut self,
        pipe: bool,
        f: impl FnOnce(&mut Self, &mut RegistrationPipe<'_>) -> R,
    ) -> R {
        // This call has the ledger to itself: its sealings draw without asking each time
        // which process this is.
        let _held = self.vault.hold_randomness();
        let run = |l: &mut Self, send: Option<&mut dyn FnMut(&Admitted) -> bool>| {
            let mut pipe = RegistrationPipe {
                send,
                failed: None,
                body: Vec::new(),
            };
            let out = f(l, &mut pipe);
            (out, pipe.failed)
        };
        if pipe {
            self.through_writer(run)
        } else {
            run(self, None).0
        }
    }

    /// Registers a volunteer as [`Ledger::register_volunteer`] does, through `pipe`: sent to
    /// the writing thread (the entry applied here at once, so that the next registration is
    /// checked against it), or committed when there is no writing thread. `identity`, when
    /// given, is the volunteer's document as validated already (by a sheet's reader, at the
    /// ledger's date or before): not validated again.
    pub(crate) fn register_through(
        &mut self,
        actor: &ActorId,
        volunteer: NewVolunteer,
        identity: Option<Identity>,
        pipe: &mut RegistrationPipe<'_>,
    ) -> Result<Receipt> {
        let Some(send) = pipe.send.as_mut() else {
            return self.register_volunteer(actor, volunteer);
        };
        if let Some(e) = &pipe.failed {
            return Err(e.clone());
        }
        let (change, key, held) = self.sealed_registration(actor, volunteer, identity)?;
        let now = self.clock.now();
        let admit = match self.state.check(actor, now, &change) {
            Ok(Some(admit)) => admit,
            Ok(None) => return Ok(self.duplicate_receipt(&change)),
            Err(e) => return Err(e),
        };
        let seq = self.len;
        let mut stored_body = std::mem::take(&mut pipe.body);
        stored_body.clear();
        let entry =
            Entry::new_keeping_body(seq, now, actor.clone(), change, self.last, &mut stored_body);
        if let Err(e) = self.state.apply_holding(&entry, admit, Some(held)) {
            // Applied in part (an internal limit): the batch fails and the ledger is read again.
            pipe.failed = Some(e.clone());
            return Err(e);
        }
        self.len += 1;
        self.last = entry.hash;
        // The writer writes the volunteer's projection row; nothing else of the ledger's
        // tables changes while registrations are piped (`with_registrations`).
        let vol = match &entry.change {
            crate::log::Change::VolunteerRegistered(r) => self.state.vol_idx(r.id()).ok(),
            _ => None,
        };
        let volunteer = vol
            .and_then(|vi| self.state.volunteer_view(vi))
            .map(Box::new);
        if volunteer.is_none() {
            self.mark_dirty(&entry.change);
        }
        let data_key = match key {
            KeyWrite::Put {
                volunteer,
                wrapped,
                tag_key_id,
                ..
            } => {
                if let Some(id) = &tag_key_id {
                    self.vault.tag_key_id = Some(id.clone());
                }
                Some(DataKeyRow {
                    volunteer,
                    wrapped,
                    meta: tag_key_id.map(|id| (TAG_KEY_META, id)),
                })
            }
            KeyWrite::None | KeyWrite::Destroy { .. } => None,
        };
        let receipt = Receipt {
            seq: crate::error::signed(seq),
            hash: entry.hash.to_hex(),
            duplicate: false,
        };
        let admitted = Admitted {
            entry,
            n: 0,
            vol: vol.unwrap_or_default(),
            state: crate::record::RecordState::Confirmed,
            make_up: false,
            data_key,
            volunteer,
            stored_body,
        };
        let sent = send(&admitted);
        // The body's buffer serves the next registration.
        pipe.body = admitted.stored_body;
        if !sent {
            // The writer stopped: its error fails the batch, and nothing of it is kept.
            pipe.failed = Some(LedgerError::Storage {
                path: String::new(),
                detail: "the writing thread stopped".into(),
                detail_zh: "写入线程已停止".into(),
            });
        }
        Ok(receipt)
    }
}

#[cfg(test)]
mod tests {
    use crate::ids::ActorId;
    use crate::org::{LedgerConfig, NewOrg, OrgKind};
    use crate::{Clock, Ledger};

    /// While registrations are piped the ledger has no log of its own: any other change is
    /// refused, not applied without being written.
    #[test]
    fn no_other_change_is_made_while_registrations_are_piped() {
        let dir = std::env::temp_dir().join(format!("vl-piping-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.vl");
        let admin: ActorId = "admin".parse().unwrap();
        let config = LedgerConfig::new("p".parse().unwrap(), "测试区", admin.clone());
        let mut l = Ledger::create_with_clock(&path, config, Clock::System).unwrap();
        let org = NewOrg {
            id: "D".parse().unwrap(),
            name: "测试区".into(),
            kind: OrgKind::District,
            parent: None,
        };
        let refused = l
            .batch(|l| l.with_registrations(true, |l, _| l.register_org(&admin, org.clone())))
            .unwrap();
        assert_eq!(refused.unwrap_err().code(), "E_STORAGE");
        assert!(l.org(&"D".parse().unwrap()).is_err());
        // Outside the pipe the same change is made.
        l.register_org(&admin, org).unwrap();
        drop(l);
        let l = Ledger::open(&path).unwrap();
        assert!(l.org(&"D".parse().unwrap()).is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }
}
