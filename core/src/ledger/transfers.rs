//! Transfers: a volunteer's service sealed into a package for another ledger, and a package
//! from another ledger carried in.

use super::Ledger;
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, RecordId, VolunteerId, mask_name};
use crate::log::{Change, TransferIn, TransferOut};
use crate::time::Timestamp;
use crate::transfer::{
    TRANSFER_FORMAT, TransferPackage, TransferRecord, YearTotal, open_package, package_hash,
    seal_package,
};
use serde::{Deserialize, Serialize};

/// What importing a transfer package did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "TransferReceipt"
    )
)]
pub struct TransferReceipt {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// The package's hash (hex).
    pub package_hash: String,
    /// Records carried in (those not here already).
    pub records_added: i32,
    /// Their minutes.
    pub minutes_added: i64,
    /// Carried records not carried in because their time overlaps service the volunteer
    /// already has here (a live local record, service carried in earlier, or an earlier record
    /// of the package): `record@ledger`, in the package's order. They are never counted twice.
    pub overlapping: Vec<String>,
    /// Their minutes.
    pub minutes_overlapping: i64,
    /// The entry that imported it (for a duplicate: the head).
    pub seq: i64,
    /// The package had been imported before: nothing changed.
    pub duplicate: bool,
}

impl Ledger {
    /// Issues a signed transfer package for a volunteer leaving for another ledger, and marks
    /// them as transferred out (every record stays here for audit). Returns the package's
    /// text, to hand to the destination.
    pub fn export_transfer(
        &mut self,
        actor: &ActorId,
        volunteer: &VolunteerId,
        destination: Option<crate::ids::LedgerId>,
    ) -> Result<String> {
        let key = self.signing_key.clone().ok_or(LedgerError::NoSigningKey)?;
        let mut package = self.transfer_package(volunteer, destination.clone())?;
        // The head it is made at, and where each of this ledger's own records' entries is in it.
        let checkpoint = self.sign_head(&key)?;
        let own: Vec<u64> = package
            .records
            .iter()
            .filter(|r| r.ledger == self.config.ledger_id)
            .map(|r| {
                self.state
                    .rec_idx(&r.record)
                    .ok()
                    .and_then(|i| self.state.records.get(i as usize))
                    .map_or(u64::MAX, |rec| u64::from(rec.seq))
            })
            .collect();
        let mut proofs = self.inclusion_proofs(self.len, &own)?.into_iter();
        for r in package
            .records
            .iter_mut()
            .filter(|r| r.ledger == self.config.ledger_id)
        {
            r.proof = proofs.next();
        }
        package.checkpoint = Some(checkpoint);
        let text = seal_package(&package, &key);
        let change = Change::TransferredOut(TransferOut {
            destination,
            package_hash: package_hash(&text),
            volunteer: volunteer.clone(),
        });
        self.commit(actor, change)?;
        if let Some(head) = &package.checkpoint {
            // Best effort, as for certificates: the package carries the head.
            let _ = self.keep_head(head);
        }
        Ok(text)
    }

    /// The package a volunteer's history makes now (unsigned): every counted record here and
    /// every record carried in earlier, per-year totals and stars.
    pub fn transfer_package(
        &self,
        volunteer: &VolunteerId,
        destination: Option<crate::ids::LedgerId>,
    ) -> Result<TransferPackage> {
        let (v, vol) = self.state.volunteer_of(volunteer)?;
        let off = self.state.off;
        let mut records: Vec<TransferRecord> = vol
            .records
            .iter()
            .filter_map(|&i| self.state.records.get(i as usize).map(|r| (i, r)))
            .filter(|(_, r)| r.counted())
            .filter_map(|(i, r)| {
                let org = self.state.orgs.get(r.org as usize)?;
                Some(TransferRecord {
                    content: self.state.texts.get(i).to_owned(),
                    end: Timestamp(r.end()),
                    entry_hash: self.entry_hash(r.seq)?.to_hex(),
                    ledger: self.config.ledger_id.clone(),
                    minutes: i64::from(r.minutes),
                    org: org.org.id.clone(),
                    org_name: org.org.name.clone(),
                    proof: None,
                    record: RecordId::new(self.state.record_ids.resolve(i)).ok()?,
                    start: Timestamp(r.start()),
                })
            })
            .collect();
        records.extend(
            self.state
                .keys_and_transfers
                .carried
                .get(&v)
                .into_iter()
                .flatten()
                // A carried record's proof is against its own ledger's head, which does not
                // travel on: only the issuer's own records are proven (`export_transfer`).
                .map(|r| TransferRecord {
                    proof: None,
                    ..r.clone()
                }),
        );
        records
            .sort_by(|a, b| (a.start, &a.ledger, &a.record).cmp(&(b.start, &b.ledger, &b.record)));
        let mut years: std::collections::BTreeMap<i32, i64> = std::collections::BTreeMap::new();
        for r in &records {
            *years
                .entry(chrono::Datelike::year(&r.start.local_date(off)))
                .or_default() += r.minutes;
        }
        let stars = self.star_summary(volunteer)?;
        Ok(TransferPackage {
            checkpoint: None,
            destination,
            format: TRANSFER_FORMAT.to_owned(),
            identity_kind: vol.identity.kind,
            issued_at: self.clock.now(),
            issuer: self.issuer()?,
            masked_identity: vol.identity.mask.to_string(),
            masked_name: mask_name(&vol.name),
            total_minutes: records.iter().map(|r| r.minutes).sum(),
            records,
            star_level: stars.level,
            star_profile: self.config.policy.stars.name.clone(),
            stars_reached: stars.reached,
            volunteer: volunteer.clone(),
            year_totals: years
                .into_iter()
                .map(|(year, minutes)| YearTotal { minutes, year })
                .collect(),
        })
    }

    /// Imports a transfer package: verifies its form, its issuer (on the trust list), its
    /// signature and its destination, matches its volunteer with the one registered here (by
    /// volunteer number and masked identity), then carries its history in. The volunteer's
    /// totals and stars include it; this ledger's boards do not (that service was not done
    /// here). Importing the same package again changes nothing.
    pub fn import_transfer(&mut self, actor: &ActorId, package: &str) -> Result<TransferReceipt> {
        let p = open_package(package, &self.state.keys_and_transfers.trusted)?;
        // What the import will carry in, sorted as applying it will sort it (on the state
        // before it; an unknown volunteer is refused by the check below).
        let sorted = self
            .state
            .vol_idx(&p.volunteer)
            .ok()
            .map(|v| self.state.carry(v, &p.records));
        let minutes = |rs: &[&TransferRecord]| {
            rs.iter()
                .map(|r| u64::from(r.counted_minutes()))
                .sum::<u64>()
        };
        let (records_added, minutes_added, overlapping, minutes_overlapping) = match &sorted {
            Some(c) => (
                c.kept.len() as u32,
                minutes(&c.kept),
                c.overlapping
                    .iter()
                    .map(|r| format!("{}@{}", r.record, r.ledger))
                    .collect(),
                minutes(&c.overlapping),
            ),
            None => (0, 0, Vec::new(), 0),
        };
        let (receipt, admit) = self.commit(
            actor,
            Change::TransferredIn(TransferIn {
                package: package.to_owned(),
            }),
        )?;
        let fresh = admit.is_some();
        Ok(TransferReceipt {
            volunteer: p.volunteer,
            package_hash: package_hash(package),
            records_added: if fresh {
                i32::try_from(records_added).unwrap_or(i32::MAX)
            } else {
                0
            },
            minutes_added: if fresh {
                crate::error::signed(minutes_added)
            } else {
                0
            },
            overlapping: if fresh { overlapping } else { Vec::new() },
            minutes_overlapping: if fresh {
                crate::error::signed(minutes_overlapping)
            } else {
                0
            },
            seq: receipt.seq,
            duplicate: !fresh,
        })
    }
}
