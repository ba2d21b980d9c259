//! The register as sheets: a volunteer sheet ([`upload_volunteers`]) and an org-tree sheet
//! ([`upload_orgs`]) added to a ledger in one transaction, each row through the same
//! validation and authorisation as a single registration, each refusal reported with its
//! row, column and code (naming no one); a sheet uploaded again adds nothing; a dry run works
//! on a copy.

use super::layout::{Field, header_of};
use super::limits::MAX_REPORTED_PROBLEMS;
use super::matching::{TakenMatch, check_name};
use super::options::ImportOptions;
use super::plain_sheet::{Decoded, first_pass, read_rows_aside};
use super::problems::{RowProblem, core_problem, problem};
use super::register_rows::{OrgRow, Orgs, VolunteerRow, Volunteers};
use super::sheet::{ReadRow, ReadSheet};
use super::upload::in_batch;
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, VolunteerId};
use crate::ledger::{Ledger, OrgLookup, RegistrationPipe};
use crate::org::{NewOrg, NewVolunteer, VolunteerCorrection};
use crate::progress::Progress;
use serde::{Deserialize, Serialize};

/// What an upload of the register (volunteers or orgs) did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "RegisterReport"
    )
)]
pub struct RegisterReport {
    /// SHA-256 of the file, lower-case hex.
    pub fingerprint: String,
    /// Nothing was written.
    pub dry_run: bool,
    /// Data rows read (blank rows aside).
    pub rows: i32,
    /// Rows newly registered (in a dry run: that would be).
    pub accepted: i32,
    /// Rows registered before (the same person, or the same org): nothing was written.
    pub duplicates: i32,
    /// The ids made for accepted rows that gave none, in row order.
    pub assigned: Vec<AssignedId>,
    /// The rows refused, in row order: the first 10,000 of them; also a registered row whose
    /// phone could not be kept (counted in `accepted`, not `refused`).
    pub rejected: Vec<RowProblem>,
    /// How many rows were refused in all.
    pub refused: i32,
}

/// An id made for a row that gave none.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "AssignedId")
)]
pub struct AssignedId {
    /// The row, 1-based as Excel shows it.
    pub row: i32,
    /// The volunteer number or org id made for it.
    pub id: String,
}

/// Uploads a volunteer sheet: columns 姓名, 证件类型 (a resident identity card when absent),
/// 证件号码, 志愿者编号 (made when absent: `V` and eight digits, the smallest free number from
/// the count of volunteers plus one), 所属组织 (an org's id or unique name; else
/// `opts.default_org`) and 手机 (checked: 11 digits from 1), Chinese or English headers, CSV
/// (UTF-8/GBK) or xlsx. A person already registered (same identity document, same name, the
/// same number or none) is a duplicate and writes nothing; a name that differs from the
/// register's is reported (`E_UPLOAD_MISMATCH`: correct the volunteer instead), and an
/// identity held under another number is refused (`E_DUPLICATE_IDENTITY`). A file ledger
/// writes the whole sheet in one transaction; a dry run works on a copy.
///
/// `progress` is told the rows done of the sheet's data rows (see [`Progress`]).
///
/// Refuses only what [`read_sheet`](super::read_sheet) refuses (a sheet without 姓名 and
/// 证件号码 columns), and a failed write (`E_STORAGE`, nothing written).
pub fn upload_volunteers(
    ledger: &mut Ledger,
    actor: &ActorId,
    bytes: &[u8],
    opts: &ImportOptions,
    dry_run: bool,
    mut progress: Progress<'_>,
) -> Result<RegisterReport> {
    let progress = &mut progress;
    let decoded = Decoded::of(bytes, opts, ledger)?;
    let (opts, off) = (&decoded.opts, decoded.off);
    let Some(text) = decoded.plain() else {
        let (head, rows) = decoded.read_whole(bytes, Volunteers, ledger)?.split();
        let total = rows.len().saturating_add(head.unlisted_problems as usize);
        let rows = &mut rows.into_iter();
        return register_rows(ledger, actor, &head, total, rows, dry_run, progress);
    };
    // A CSV without quotes: once a first pass has found its header and counted its rows, they
    // are read on a second thread while this one registers the ones before.
    let plain = first_pass(bytes, text, opts, off, Volunteers)?;
    let matched = TakenMatch::of(ledger, false);
    read_rows_aside(text, &plain, opts, off, Volunteers, matched, |rows| {
        register_rows(
            ledger,
            actor,
            &plain.head,
            plain.total,
            rows,
            dry_run,
            progress,
        )
    })
}

/// Registers the volunteers of a sheet's data rows (`total` rows, in order; `head` has the
/// fingerprint, the columns and the count of problem rows left out of `rows`).
fn register_rows(
    ledger: &mut Ledger,
    actor: &ActorId,
    head: &ReadSheet<VolunteerRow>,
    total: usize,
    rows: &mut dyn Iterator<Item = ReadRow<VolunteerRow>>,
    dry_run: bool,
    progress: &mut Progress<'_>,
) -> Result<RegisterReport> {
    // A phone is kept as a correction after its registration: a sheet with phones commits
    // each entry, one without pipes its registrations to the writing thread.
    let columns = head.columns.as_slice();
    let phones = columns.iter().any(|(_, f)| *f == Field::Phone);
    in_batch(ledger, dry_run, |l| {
        // Room for every row: a sheet uploaded again reserves room it does not use, as much
        // as the sheet has rows.
        l.reserve_volunteers_for(total);
        l.with_registrations(!phones, |l, pipe| {
            let mut out = Report::new(&head.fingerprint, total, dry_run);
            let key = l.index_tag_key();
            let mut next = 0;
            progress.start(total as u64);
            for (done, (row, item)) in (1u64..).zip(rows) {
                progress.at(done);
                let v = match item {
                    Ok(v) => v,
                    Err(p) => {
                        out.refuse(p);
                        continue;
                    }
                };
                let phone = v.phone.clone();
                match register(l, actor, (columns, row), v, key.as_ref(), &mut next, pipe) {
                    Ok(Registered::Duplicate) => out.report.duplicates += 1,
                    Ok(Registered::Accepted(made, id)) => {
                        out.accept(row, made);
                        if let (Some(p), Some(id)) = (phone, id)
                            && let Err(e) = keep_phone(l, actor, &id, p)
                        {
                            out.note(core_problem(row, header_of(columns, Field::Phone), &e));
                        }
                    }
                    Err(p) => out.refuse(p),
                }
            }
            progress.finish(total as u64);
            out.finish(head.unlisted_problems)
        })
    })
}

enum Registered {
    Duplicate,
    /// Registered, under an id made for it if the row gave none; and the volunteer, for a
    /// volunteer sheet.
    Accepted(Option<String>, Option<VolunteerId>),
}

/// Keeps a registered volunteer's phone from the sheet: sealed and masked, as a correction
/// of the volunteer (registrations hold no phone).
fn keep_phone(l: &mut Ledger, actor: &ActorId, id: &VolunteerId, phone: String) -> Result<()> {
    let correction = VolunteerCorrection {
        name: None,
        identity_kind: None,
        identity_number: None,
        phone: Some(phone),
        reason: "phone from the register sheet / 名册表中的手机号码".into(),
    };
    l.correct_volunteer(actor, id, correction).map(|_| ())
}

/// Registers one row's volunteer (`at`: the sheet's columns and the row), or says why not.
fn register(
    l: &mut Ledger,
    actor: &ActorId,
    (columns, row): (&[(String, Field)], u32),
    v: VolunteerRow,
    key: Option<&crate::vault::TagKey>,
    next: &mut u64,
    pipe: &mut RegistrationPipe<'_>,
) -> std::result::Result<Registered, RowProblem> {
    let column = |f| header_of(columns, f);
    // The reader made the tag under the key the ledger held as the sheet was read: the key
    // of this batch, which registers no other.
    let tag = v.tag.or_else(|| key.map(|k| k.tag(&v.identity)));
    if let Some((number, name)) = l.holder_of(tag, &v.identity) {
        if v.id.as_ref().is_some_and(|id| id.as_str() != number) {
            let e = LedgerError::DuplicateIdentity {
                id: v.id.as_ref().map(ToString::to_string).unwrap_or_default(),
            };
            return Err(core_problem(row, column(Field::IdentityNumber), &e));
        }
        check_name(row, Some(&(v.name.clone(), column(Field::Name))), name)?;
        return Ok(Registered::Duplicate);
    }
    let (id, made) = match v.id {
        Some(id) => (id, None),
        None => {
            let id = l
                .free_volunteer_number(next)
                .map_err(|e| core_problem(row, column(Field::Volunteer), &e))?;
            let made = id.to_string();
            (id, Some(made))
        }
    };
    let new = NewVolunteer {
        home_org: v.home_org,
        id: id.clone(),
        identity_kind: v.identity.kind(),
        identity_number: v.identity.number().to_owned(),
        name: v.name,
    };
    match l.register_through(actor, new, Some(v.identity), pipe) {
        Ok(_) => Ok(Registered::Accepted(made, Some(id))),
        Err(e) => {
            let field = match e.code() {
                "E_DUPLICATE" => Field::Volunteer,
                "E_DUPLICATE_IDENTITY" => Field::IdentityNumber,
                "E_UNKNOWN_ORG" | "E_FORBIDDEN" => Field::Org,
                _ => Field::Other,
            };
            Err(core_problem(row, column(field), &e))
        }
    }
}

/// Uploads an org-tree sheet: columns 名称, 类型 (区, 街道, 社区 … or `district`, `street` …),
/// 上级组织 (the parent's id or unique name, among the ledger's orgs and the rows above) and
/// 组织编号 (made when absent: `O` and eight digits). An org already in the tree (the same
/// id, or — without an id — the same name under the same parent) is a duplicate. One
/// transaction; a dry run works on a copy. Refuses what [`read_sheet`](super::read_sheet)
/// refuses (a sheet without 名称 and 类型 columns) and a failed write. `progress` is told the
/// rows done (see [`Progress`]).
pub fn upload_orgs(
    ledger: &mut Ledger,
    actor: &ActorId,
    bytes: &[u8],
    opts: &ImportOptions,
    dry_run: bool,
    mut progress: Progress<'_>,
) -> Result<RegisterReport> {
    let sheet = Decoded::of(bytes, opts, ledger)?.read_whole(bytes, Orgs, ledger)?;
    in_batch(ledger, dry_run, |l| {
        let rows = sheet.rows.len();
        let mut out = Report::new(
            &sheet.fingerprint,
            rows + sheet.unlisted_problems as usize,
            dry_run,
        );
        let mut names = l.org_names();
        let mut next = 0;
        progress.start(rows as u64);
        for (done, (row, item)) in (1u64..).zip(sheet.rows) {
            progress.at(done);
            let o = match item {
                Ok(o) => o,
                Err(p) => {
                    out.refuse(p);
                    continue;
                }
            };
            match register_org(l, actor, &sheet.columns, row, o, &mut names, &mut next) {
                Ok(Registered::Duplicate) => out.report.duplicates += 1,
                Ok(Registered::Accepted(made, _)) => out.accept(row, made),
                Err(p) => out.refuse(p),
            }
        }
        progress.finish(rows as u64);
        out.finish(sheet.unlisted_problems)
    })
}

/// Registers one row's org, or says why not.
fn register_org(
    l: &mut Ledger,
    actor: &ActorId,
    columns: &[(String, Field)],
    row: u32,
    o: OrgRow,
    names: &mut crate::ledger::OrgNames,
    next: &mut u64,
) -> std::result::Result<Registered, RowProblem> {
    let column = |f| header_of(columns, f);
    let parent = match &o.parent {
        None => None,
        Some(text) => match names.find(text) {
            OrgLookup::Found(id) => Some(id),
            OrgLookup::Ambiguous(n) => {
                return Err(problem(
                    row,
                    column(Field::Parent),
                    super::matching::E_UPLOAD_AMBIGUOUS,
                    format!("row {row}: {n} orgs of the tree have the parent's name; give its id"),
                    format!("第 {row} 行：组织树中有 {n} 个组织与上级组织同名，请改填其编号"),
                ));
            }
            OrgLookup::Unknown => {
                let e = LedgerError::UnknownOrg { id: text.clone() };
                return Err(core_problem(row, column(Field::Parent), &e));
            }
        },
    };
    if l.org_in_tree(o.id.as_ref(), &o.name, parent.as_ref()) {
        return Ok(Registered::Duplicate);
    }
    let (id, made) = match o.id {
        Some(id) => (id, None),
        None => {
            let id = l
                .free_org_id(next)
                .map_err(|e| core_problem(row, column(Field::Org), &e))?;
            let made = id.to_string();
            (id, Some(made))
        }
    };
    let new = NewOrg {
        id: id.clone(),
        name: o.name.clone(),
        kind: o.kind,
        parent,
    };
    match l.register_org(actor, new) {
        Ok(_) => {
            names.insert(&id, &o.name);
            Ok(Registered::Accepted(made, None))
        }
        Err(e) => {
            let field = match e.code() {
                "E_DUPLICATE" => Field::Org,
                "E_FORBIDDEN" | "E_UNKNOWN_ORG" => Field::Parent,
                _ => Field::Other,
            };
            Err(core_problem(row, column(field), &e))
        }
    }
}

/// A report as it is made, row by row.
struct Report {
    report: RegisterReport,
}

impl Report {
    /// The report on a sheet of `rows` data rows.
    fn new(fingerprint: &str, rows: usize, dry_run: bool) -> Self {
        Self {
            report: RegisterReport {
                fingerprint: fingerprint.to_owned(),
                dry_run,
                rows: i32::try_from(rows).unwrap_or(i32::MAX),
                accepted: 0,
                duplicates: 0,
                assigned: Vec::new(),
                rejected: Vec::new(),
                refused: 0,
            },
        }
    }

    fn accept(&mut self, row: u32, made: Option<String>) {
        self.report.accepted += 1;
        if let Some(id) = made {
            let row = i32::try_from(row).unwrap_or(i32::MAX);
            self.report.assigned.push(AssignedId { row, id });
        }
    }

    /// A problem with a row that was registered (its phone could not be kept): listed, not
    /// counted as refused.
    fn note(&mut self, p: RowProblem) {
        if self.report.rejected.len() < MAX_REPORTED_PROBLEMS {
            self.report.rejected.push(p);
        }
    }

    fn refuse(&mut self, p: RowProblem) {
        self.report.refused += 1;
        if self.report.rejected.len() < MAX_REPORTED_PROBLEMS {
            self.report.rejected.push(p);
        }
    }

    fn finish(mut self, unlisted: u32) -> RegisterReport {
        let unlisted = i32::try_from(unlisted).unwrap_or(i32::MAX);
        self.report.refused = self.report.refused.saturating_add(unlisted);
        self.report
    }
}
