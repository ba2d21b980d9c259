//! The rows of the register's sheets: a volunteer sheet (姓名, 证件类型, 证件号码, 志愿者编号,
//! 所属组织, 手机) and an org-tree sheet (名称, 类型, 上级组织, 组织编号). A row makes what the
//! ledger registers, or the problem that keeps it from doing so; nothing personal is quoted.

use super::cells::{RowCells, normalise, normalise_cow};
use super::layout::{Field, HEADER_SYNONYMS, Layout, ORG_HEADER_SYNONYMS, no_column};
use super::matching::PersonCells;
use super::options::ImportOptions;
use super::problems::{E_UPLOAD_MISSING, RowProblem, core_problem, problem};
use super::sheet::{RowContext, RowReader};
use crate::ids::{Identity, OrgId, VolunteerId};
use crate::org::OrgKind;

/// A phone number in a form the register does not take.
pub const E_UPLOAD_PHONE: &str = "E_UPLOAD_PHONE";
/// An org kind the register does not know.
pub const E_UPLOAD_ORG_KIND: &str = "E_UPLOAD_ORG_KIND";

/// A volunteer as a register sheet's row gives them.
#[derive(Debug, Clone)]
pub(super) struct VolunteerRow {
    /// Their number, when the sheet gives one (else one is made on upload).
    pub(super) id: Option<VolunteerId>,
    pub(super) name: String,
    pub(super) identity: Identity,
    /// The identity's tag under the register's key (made by the reader; `None`: no key).
    pub(super) tag: Option<[u8; 32]>,
    /// Their home org, by the id or unique name the sheet gives.
    pub(super) home_org: Option<OrgId>,
    /// A mobile number, 11 digits.
    pub(super) phone: Option<String>,
}

/// The reader of volunteer sheets.
pub(super) struct Volunteers;

impl RowReader for Volunteers {
    type Item = VolunteerRow;

    fn headers(&self) -> &'static [(&'static str, Field)] {
        HEADER_SYNONYMS
    }

    fn min_headers(&self) -> usize {
        2
    }

    fn example_headers(&self) -> &'static str {
        "姓名, 证件号码"
    }

    fn check(&self, layout: &Layout, _: &ImportOptions) -> crate::error::Result<()> {
        if layout.index(Field::Name).is_none() {
            return Err(no_column("name column (姓名 / name)"));
        }
        if layout.index(Field::IdentityNumber).is_none() {
            return Err(no_column(
                "identity number column (证件号码 / identity number)",
            ));
        }
        Ok(())
    }

    fn read<R: RowCells + ?Sized>(
        &self,
        layout: &Layout,
        cells: &R,
        row: u32,
        at: &RowContext<'_>,
    ) -> Result<VolunteerRow, RowProblem> {
        let r = Cells { layout, cells, row };
        let name = r.required(Field::Name, "the name", "姓名")?;
        let number = r.cell(Field::IdentityNumber);
        if number.is_empty() {
            return Err(r.missing(Field::IdentityNumber, "the identity number", "证件号码"));
        }
        let person = PersonCells {
            number: (number, r.col(Field::IdentityNumber)),
            kind: (r.cell(Field::IdentityKind), r.col(Field::IdentityKind)),
            name: None,
        };
        let today = at.matcher.map_or(chrono::NaiveDate::MAX, |m| m.today());
        let identity = person.identity(row, today)?;
        let id = r
            .text(Field::Volunteer)
            .map(|t| {
                VolunteerId::new(normalise_cow(&t).trim())
                    .map_err(|e| core_problem(row, r.col(Field::Volunteer), &e))
            })
            .transpose()?;
        let home_org = match r.text(Field::Org) {
            Some(t) => Some(r.org(at, normalise_cow(&t).trim().to_owned())?),
            None => at.opts.default_org.clone(),
        };
        let phone = r.text(Field::Phone).map(|t| r.phone(&t)).transpose()?;
        Ok(VolunteerRow {
            id,
            name: normalise_cow(&name).trim().to_owned(),
            tag: at.matcher.and_then(|m| m.tag(&identity)),
            identity,
            home_org,
            phone,
        })
    }
}

/// An org as an org-tree sheet's row gives it; its parent is found on upload, among the
/// ledger's orgs and the rows above.
#[derive(Debug, Clone)]
pub(super) struct OrgRow {
    pub(super) id: Option<OrgId>,
    pub(super) name: String,
    pub(super) kind: OrgKind,
    /// The parent's id or name, as the sheet gives it.
    pub(super) parent: Option<String>,
}

/// The reader of org-tree sheets.
pub(super) struct Orgs;

impl RowReader for Orgs {
    type Item = OrgRow;

    fn headers(&self) -> &'static [(&'static str, Field)] {
        ORG_HEADER_SYNONYMS
    }

    fn min_headers(&self) -> usize {
        2
    }

    fn example_headers(&self) -> &'static str {
        "名称, 类型, 上级组织"
    }

    fn check(&self, layout: &Layout, _: &ImportOptions) -> crate::error::Result<()> {
        if layout.index(Field::Name).is_none() {
            return Err(no_column("name column (名称 / name)"));
        }
        if layout.index(Field::OrgKind).is_none() {
            return Err(no_column("kind column (类型 / kind)"));
        }
        Ok(())
    }

    fn read<R: RowCells + ?Sized>(
        &self,
        layout: &Layout,
        cells: &R,
        row: u32,
        _: &RowContext<'_>,
    ) -> Result<OrgRow, RowProblem> {
        let r = Cells { layout, cells, row };
        let name = r.required(Field::Name, "the name", "名称")?;
        let kind_text = r.required(Field::OrgKind, "the kind", "类型")?;
        let kind = org_kind_of(&kind_text).ok_or_else(|| {
            problem(
                row,
                r.col(Field::OrgKind),
                E_UPLOAD_ORG_KIND,
                format!(
                    "row {row}: the kind is not one the tree knows (区, 街道, 社区, 邻里, 街坊, \
                     机关/事业单位, 志愿服务组织, 其他)"
                ),
                format!(
                    "第 {row} 行：类型无法识别（可用 区、街道、社区、邻里、街坊、机关/事业单位、\
                     志愿服务组织、其他）"
                ),
            )
        })?;
        let id = r
            .text(Field::Org)
            .map(|t| {
                OrgId::new(normalise(&t).trim())
                    .map_err(|e| core_problem(row, r.col(Field::Org), &e))
            })
            .transpose()?;
        Ok(OrgRow {
            id,
            name: normalise(&name).trim().to_owned(),
            kind,
            parent: r
                .text(Field::Parent)
                .map(|t| normalise(&t).trim().to_owned()),
        })
    }
}

/// The kind of org a cell names, in Chinese or as the library spells it.
pub(super) fn org_kind_of(text: &str) -> Option<OrgKind> {
    let t: String = normalise(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if let Ok(kind) = t.parse::<OrgKind>() {
        return Some(kind);
    }
    Some(match t.as_str() {
        "区" | "县" | "区县" => OrgKind::District,
        "街道" | "乡镇" | "镇" | "乡" => OrgKind::Street,
        "社区" | "村" | "居委会" | "村委会" => OrgKind::Community,
        "邻里" | "小区" => OrgKind::Neighbourhood,
        "街坊" | "楼栋" => OrgKind::Block,
        "机关/事业单位" | "机关" | "事业单位" | "单位" => OrgKind::WorkUnit,
        "志愿服务组织" | "志愿者组织" | "志愿服务队" => OrgKind::VolunteerOrg,
        "其他" => OrgKind::Other,
        _ => return None,
    })
}

/// A register row's cells by field.
struct Cells<'r, R: ?Sized> {
    layout: &'r Layout,
    cells: &'r R,
    row: u32,
}

impl<R: RowCells + ?Sized> Cells<'_, R> {
    fn cell(&self, f: Field) -> super::cells::Cell<'_> {
        self.layout
            .index(f)
            .map_or(super::cells::Cell::Empty, |i| self.cells.cell(i))
    }

    fn col(&self, f: Field) -> Option<String> {
        self.layout.header(f)
    }

    fn text(&self, f: Field) -> Option<String> {
        let c = self.cell(f);
        let t = c.as_text();
        (!t.trim().is_empty()).then_some(t)
    }

    fn missing(&self, f: Field, en: &str, zh: &str) -> RowProblem {
        let row = self.row;
        problem(
            row,
            self.col(f),
            E_UPLOAD_MISSING,
            format!("row {row}: {en} is empty"),
            format!("第 {row} 行：{zh}为空"),
        )
    }

    fn required(&self, f: Field, en: &str, zh: &str) -> Result<String, RowProblem> {
        self.text(f).ok_or_else(|| self.missing(f, en, zh))
    }

    fn org(&self, at: &RowContext<'_>, text: String) -> Result<OrgId, RowProblem> {
        match at.matcher {
            Some(m) => m.org(self.row, self.col(Field::Org), text),
            None => OrgId::new(text).map_err(|e| core_problem(self.row, self.col(Field::Org), &e)),
        }
    }

    /// A mainland mobile number: 11 digits from 1, spaces, dashes and a +86 / 86 prefix aside.
    fn phone(&self, text: &str) -> Result<String, RowProblem> {
        let digits: String = normalise(text)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("86").filter(|d| d.len() == 11))
            .unwrap_or(&digits);
        if digits.len() == 11
            && digits.starts_with('1')
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Ok(digits.to_owned());
        }
        let row = self.row;
        Err(problem(
            row,
            self.col(Field::Phone),
            E_UPLOAD_PHONE,
            format!("row {row}: the mobile number is not 11 digits starting with 1"),
            format!("第 {row} 行：手机号码不是以 1 开头的 11 位数字"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_kinds_read_in_chinese_and_english() {
        assert_eq!(org_kind_of("街道"), Some(OrgKind::Street));
        assert_eq!(org_kind_of(" Community "), Some(OrgKind::Community));
        assert_eq!(org_kind_of("work_unit"), Some(OrgKind::WorkUnit));
        assert_eq!(org_kind_of("公司"), None);
    }
}
