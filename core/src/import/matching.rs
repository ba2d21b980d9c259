//! Matching a sheet's people and orgs against a ledger (`docs/upload.md`, "Matching"): a
//! volunteer named by identity number is found by the keyed hash the register holds — never
//! by name — and a name that disagrees with the register is reported, not guessed; an org
//! named by name is found only when that name is unique in the ledger's tree. Every problem
//! names the row and the column, never the person or the number.

use super::cells::{Cell, normalise};
use super::problems::{RowProblem, core_problem, problem};
use crate::error::LedgerError;
use crate::ids::{Identity, IdentityKind, OrgId, VolunteerId};
use crate::ledger::{Ledger, OrgLookup, OrgNames, RegisterIndex};
use crate::vault::TagKey;

/// An org name held by more than one org of the tree.
pub const E_UPLOAD_AMBIGUOUS: &str = "E_UPLOAD_AMBIGUOUS";
/// A name that disagrees with the register.
pub const E_UPLOAD_MISMATCH: &str = "E_UPLOAD_MISMATCH";
/// A kind of identity document the reader does not know.
pub const E_UPLOAD_IDENTITY_KIND: &str = "E_UPLOAD_IDENTITY_KIND";

/// A ledger's register and tree, taken once per upload: the tree at once, the register when
/// a first row names a volunteer by identity number.
pub(crate) struct Matcher<'l> {
    ledger: Option<&'l Ledger>,
    register: std::cell::OnceCell<Option<RegisterIndex>>,
    orgs: OrgNames,
    today: chrono::NaiveDate,
    /// The key of the register's tags (`None`: the ledger holds none).
    tag_key: Option<TagKey>,
}

/// What a [`Matcher`] of rows read while the ledger adds them matches against, taken from the
/// ledger at once: it can go to the thread that reads the rows.
pub(crate) struct TakenMatch {
    register: Option<RegisterIndex>,
    orgs: OrgNames,
    today: chrono::NaiveDate,
    tag_key: Option<TagKey>,
}

impl TakenMatch {
    /// What `ledger` holds now (its register only when `identities`).
    pub(crate) fn of(ledger: &Ledger, identities: bool) -> Self {
        Self {
            register: identities.then(|| ledger.register_index()),
            orgs: ledger.org_names(),
            today: ledger.today(),
            tag_key: ledger.index_tag_key(),
        }
    }

    /// The matcher.
    pub(crate) fn matcher(self) -> Matcher<'static> {
        Matcher {
            ledger: None,
            register: std::cell::OnceCell::from(self.register),
            orgs: self.orgs,
            today: self.today,
            tag_key: self.tag_key,
        }
    }
}

impl<'l> Matcher<'l> {
    /// Matches against `ledger`, taking its register when a row first needs it.
    pub(crate) fn of(ledger: &'l Ledger) -> Self {
        Self {
            ledger: Some(ledger),
            register: std::cell::OnceCell::new(),
            orgs: ledger.org_names(),
            today: ledger.today(),
            tag_key: ledger.index_tag_key(),
        }
    }

    /// Matches against what `ledger` holds now, taken at once (its register only when
    /// `identities`): for rows read while the ledger adds them.
    pub(crate) fn taken(ledger: &Ledger, identities: bool) -> Matcher<'static> {
        TakenMatch::of(ledger, identities).matcher()
    }

    /// The tag the register would hold for `id` (`None`: the ledger holds no tag key), made
    /// here so that a sheet's reading thread makes it.
    pub(super) fn tag(&self, id: &Identity) -> Option<[u8; 32]> {
        self.tag_key.as_ref().map(|k| k.tag(id))
    }

    /// Today in the ledger's offset: identity numbers are validated at it.
    pub(super) fn today(&self) -> chrono::NaiveDate {
        self.today
    }

    fn register(&self) -> Option<&RegisterIndex> {
        self.register
            .get_or_init(|| self.ledger.map(Ledger::register_index))
            .as_ref()
    }

    /// The org an org cell names, by id or unique name; text that is neither is taken as an
    /// id, for the ledger to refuse as unknown (`E_UNKNOWN_ORG`) as it refuses any.
    pub(super) fn org(
        &self,
        row: u32,
        column: Option<String>,
        text: String,
    ) -> Result<OrgId, RowProblem> {
        match self.orgs.find(&text) {
            OrgLookup::Found(id) => Ok(id),
            OrgLookup::Ambiguous(n) => Err(problem(
                row,
                column,
                E_UPLOAD_AMBIGUOUS,
                format!(
                    "row {row}: {n} orgs of the tree have this name; give the org's id instead"
                ),
                format!("第 {row} 行：组织树中有 {n} 个组织同名，请改填组织编号"),
            )),
            OrgLookup::Unknown => OrgId::new(text).map_err(|e| core_problem(row, column, &e)),
        }
    }

    /// The volunteer a row's identity document is registered to, checked against the name
    /// the row also gives, if it gives one.
    pub(super) fn volunteer(
        &self,
        row: u32,
        cells: &PersonCells<'_>,
    ) -> Result<VolunteerId, RowProblem> {
        let identity = cells.identity(row, self.today)?;
        let register = self.register().filter(|r| r.can_match()).ok_or_else(|| {
            core_problem(
                row,
                cells.number.1.clone(),
                &LedgerError::KeyUnavailable {
                    what: "the identity index's key (match identity numbers)".into(),
                },
            )
        })?;
        let Some(found) = register.find(&identity) else {
            return Err(problem(
                row,
                cells.number.1.clone(),
                "E_UNKNOWN_VOLUNTEER",
                format!("row {row}: no volunteer is registered with this identity number"),
                format!("第 {row} 行：没有以此证件号码注册的志愿者"),
            ));
        };
        check_name(row, cells.name.as_ref(), found.name)?;
        VolunteerId::new(found.id).map_err(|e| core_problem(row, None, &e))
    }
}

/// The cells that say who a row means.
pub(super) struct PersonCells<'c> {
    /// The identity number and its column's header.
    pub(super) number: (Cell<'c>, Option<String>),
    /// The kind of document, if the sheet says, and its column's header.
    pub(super) kind: (Cell<'c>, Option<String>),
    /// The name, if the sheet gives one, and its column's header.
    pub(super) name: Option<(String, Option<String>)>,
}

impl PersonCells<'_> {
    /// The row's identity document, validated.
    pub(super) fn identity(
        &self,
        row: u32,
        today: chrono::NaiveDate,
    ) -> Result<Identity, RowProblem> {
        let kind = identity_kind_of(&self.kind.0.as_text()).ok_or_else(|| {
            problem(
                row,
                self.kind.1.clone(),
                E_UPLOAD_IDENTITY_KIND,
                format!(
                    "row {row}: the kind of identity document is not one the register knows \
                     (居民身份证, 护照, 港澳居民来往内地通行证, 台湾居民来往大陆通行证)"
                ),
                format!(
                    "第 {row} 行：证件类型无法识别（可用 居民身份证、护照、港澳居民来往内地通行证、\
                     台湾居民来往大陆通行证）"
                ),
            )
        })?;
        Identity::new_at(kind, &self.number.0.as_id(), today)
            .map_err(|e| core_problem(row, self.number.1.clone(), &e))
    }
}

/// A name given in a row against the register's: equal once spaces are dropped and full-width
/// letters read as ASCII (case aside), or the row is reported.
pub(super) fn check_name(
    row: u32,
    given: Option<&(String, Option<String>)>,
    registered: &str,
) -> Result<(), RowProblem> {
    let Some((given, column)) = given else {
        return Ok(());
    };
    if name_form(given) == name_form(registered) {
        return Ok(());
    }
    Err(problem(
        row,
        column.clone(),
        E_UPLOAD_MISMATCH,
        format!("row {row}: the name differs from the register's for this volunteer"),
        format!("第 {row} 行：姓名与登记信息不一致"),
    ))
}

/// A name as names are compared.
pub(super) fn name_form(name: &str) -> String {
    normalise(name)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '·' && *c != '•')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The kind of identity document a cell names; an empty cell is a resident identity card.
pub(crate) fn identity_kind_of(text: &str) -> Option<IdentityKind> {
    let t: String = normalise(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    Some(match t.as_str() {
        ""
        | "居民身份证"
        | "身份证"
        | "二代身份证"
        | "港澳台居民居住证"
        | "港澳居民居住证"
        | "台湾居民居住证"
        | "resident_id"
        | "residentid"
        | "idcard" => IdentityKind::ResidentId,
        "护照" | "passport" => IdentityKind::Passport,
        "港澳居民来往内地通行证"
        | "港澳通行证"
        | "回乡证"
        | "hk_macau_permit"
        | "hkmacaupermit" => IdentityKind::HkMacauPermit,
        "台湾居民来往大陆通行证" | "台胞证" | "taiwan_permit" | "taiwanpermit" => {
            IdentityKind::TaiwanPermit
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_documents_read_in_chinese_and_english() {
        assert_eq!(identity_kind_of(""), Some(IdentityKind::ResidentId));
        assert_eq!(identity_kind_of(" 身份证 "), Some(IdentityKind::ResidentId));
        assert_eq!(identity_kind_of("Passport"), Some(IdentityKind::Passport));
        assert_eq!(identity_kind_of("台胞证"), Some(IdentityKind::TaiwanPermit));
        assert_eq!(identity_kind_of("驾驶证"), None);
    }

    #[test]
    fn names_compare_without_spaces_width_or_case() {
        assert_eq!(name_form("张 三"), name_form("张三"));
        assert_eq!(name_form("ＬＩ Ｌｅｉ"), name_form("li lei"));
        assert_ne!(name_form("张三"), name_form("张山"));
    }
}
