//! Organisations, volunteers, teams, actors and roles: the data the core keeps about who
//! serves where and who may change what.

use crate::ids::{ActorId, IdentityKind, OrgId, TeamId, VolunteerId};
use serde::{Deserialize, Serialize};

/// What kind of organisation a node of the tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 区
    District,
    /// 街道
    Street,
    /// 社区
    Community,
    /// 邻里
    Neighbourhood,
    /// 街坊
    Block,
    /// 机关/事业单位 — a work unit whose staff report in at their community.
    WorkUnit,
    /// 志愿服务组织
    VolunteerOrg,
    /// Anything else a platform hangs in its tree.
    Other,
}

crate::error::named_enum!(OrgKind, "org", {
    District => "district",
    Street => "street",
    Community => "community",
    Neighbourhood => "neighbourhood",
    Block => "block",
    WorkUnit => "work_unit",
    VolunteerOrg => "volunteer_org",
    Other => "other",
});

/// An organisation to register. `parent` places it in the tree; a root has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "Org")
)]
pub struct NewOrg {
    /// Its id.
    pub id: OrgId,
    /// Its kind.
    pub kind: OrgKind,
    /// Its name (public; an organisation's name is not personal data).
    pub name: String,
    /// The org above it, if any.
    pub parent: Option<OrgId>,
}

/// A registered organisation, as queries return it.
pub type Org = NewOrg;

/// A volunteer to register. The identity number is validated (see [`crate::Identity`]),
/// then sealed: the ledger keeps its mask, a keyed hash and its ciphertext, never the number
/// (`docs/identity.md`); it leaves the core unmasked only on a full certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct NewVolunteer {
    /// The home community (or other org) the volunteer belongs to, if any.
    pub home_org: Option<OrgId>,
    /// The volunteer number (志愿者编号).
    pub id: VolunteerId,
    /// The kind of identity document.
    pub identity_kind: IdentityKind,
    /// The identity number as written; normalised on registration.
    pub identity_number: String,
    /// The full name.
    pub name: String,
}

/// A correction of a registered volunteer (`Ledger::correct_volunteer`): each value given
/// replaces what they hold, `None` keeps it; at least one is given, with a reason. The number
/// is validated as at registration (`identity_kind` defaults to the kind held); the phone may
/// be written with spaces, `-`, `(`, `)` and a leading `+`. Its `Debug` shows neither in clear.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct VolunteerCorrection {
    /// The corrected full name.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
    /// The corrected kind of identity document (with a number).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub identity_kind: Option<IdentityKind>,
    /// The corrected identity number as written.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub identity_number: Option<String>,
    /// The new phone number as written.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<String>,
    /// Why (kept in the log).
    pub reason: String,
}

impl std::fmt::Debug for VolunteerCorrection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let masked = |s: &Option<String>| s.as_ref().map(|_| "<set>");
        f.debug_struct("VolunteerCorrection")
            .field("name", &masked(&self.name))
            .field("identity_kind", &self.identity_kind)
            .field("identity_number", &masked(&self.identity_number))
            .field("phone", &masked(&self.phone))
            .field("reason", &self.reason)
            .finish()
    }
}

/// How a volunteer appears on public leaderboards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "mode", content = "pseudonym")]
pub enum BoardVisibility {
    /// Masked name and volunteer number (the default).
    #[default]
    Public,
    /// Under a pseudonym of their choosing, without their volunteer number.
    Pseudonym {
        /// The name shown.
        name: String,
    },
    /// Not on public boards at all (their own standing still answers).
    Hidden,
}

impl BoardVisibility {
    /// From a mode (`public`, `hidden`, `pseudonym`) and, for `pseudonym` only, the name shown.
    pub fn parse(mode: &str, pseudonym: Option<&str>) -> crate::Result<Self> {
        let bad =
            |field: &str, detail: String| crate::error::invalid_field("visibility", field, detail);
        match (mode, pseudonym) {
            ("public", None) => Ok(Self::Public),
            ("hidden", None) => Ok(Self::Hidden),
            ("pseudonym", Some(name)) => Ok(Self::Pseudonym {
                name: name.to_owned(),
            }),
            ("pseudonym", None) => Err(bad("pseudonym", "is required for mode 'pseudonym'".into())),
            ("public" | "hidden", Some(_)) => {
                Err(bad("pseudonym", format!("is not taken by mode '{mode}'")))
            }
            _ => Err(bad(
                "mode",
                "is not one of: public, hidden, pseudonym".into(),
            )),
        }
    }

    /// The mode's stable name.
    pub fn mode(&self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Pseudonym { .. } => "pseudonym",
            Self::Hidden => "hidden",
        }
    }

    /// The pseudonym, for mode `pseudonym`.
    pub fn pseudonym(&self) -> Option<&str> {
        match self {
            Self::Pseudonym { name } => Some(name),
            _ => None,
        }
    }
}

/// A registered volunteer as queries return it: personal data masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "VolunteerView"
    )
)]
pub struct VolunteerView {
    /// The volunteer number.
    pub id: VolunteerId,
    /// The name, masked (first character + `*`).
    pub masked_name: String,
    /// The identity kind.
    pub identity_kind: IdentityKind,
    /// The identity number, masked (first 6 + last 4).
    pub masked_identity: String,
    /// The identity number was erased (PIPL Art. 47): no full certificate can show it.
    pub identity_erased: bool,
    /// The phone number, masked (first 3 + last 4 digits), if one is held.
    pub masked_phone: Option<String>,
    /// The home org.
    pub home_org: Option<OrgId>,
    /// Cumulative counted minutes, those carried in from other ledgers included.
    pub total_minutes: i64,
    /// Of `total_minutes`, those carried in from other ledgers (转移接续).
    pub carried_minutes: i64,
    /// How the volunteer appears on boards.
    pub visibility: BoardVisibility,
    /// The work unit, if any.
    pub work_unit: Option<OrgId>,
    /// Whether the volunteer has transferred out of this ledger.
    pub transferred_out: bool,
}

/// A team (志愿服务队) to create: it belongs to an org and has a leader, liaisons and members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "Team")
)]
pub struct NewTeam {
    /// Its id.
    pub id: TeamId,
    /// The leader (队长), a registered volunteer.
    pub leader: VolunteerId,
    /// Liaisons (联络员), registered volunteers.
    pub liaisons: Vec<VolunteerId>,
    /// Members; the leader and liaisons are members too, whether listed or not.
    pub members: Vec<VolunteerId>,
    /// Its name.
    pub name: String,
    /// The org it belongs to.
    pub org: OrgId,
}

/// A role an actor holds. Team leaders and liaisons hold their role through the team, and a
/// volunteer acts for themselves under their volunteer number; neither is granted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "kind", content = "org")]
pub enum Role {
    /// Manages the whole ledger.
    PlatformAdmin,
    /// Manages an org's subtree: registers orgs, volunteers and teams below it, appoints
    /// admins and recorders, confirms make-up records, resolves disputes.
    OrgAdmin(OrgId),
    /// Records and confirms service for an org's subtree.
    Recorder(OrgId),
}

impl Role {
    /// From a role name (`platform_admin`, `org_admin`, `recorder`) and, for the org roles,
    /// the org.
    pub fn parse(name: &str, org: Option<&str>) -> crate::Result<Self> {
        let given = org.is_some();
        let org = || -> crate::Result<OrgId> {
            match org {
                Some(o) => o.parse(),
                None => Err(crate::error::invalid_field(
                    "role",
                    "org",
                    format!("{name} needs an org"),
                )),
            }
        };
        match name {
            "platform_admin" if given => Err(crate::error::invalid_field(
                "role",
                "org",
                "is not taken by the role 'platform_admin'",
            )),
            "platform_admin" => Ok(Self::PlatformAdmin),
            "org_admin" => Ok(Self::OrgAdmin(org()?)),
            "recorder" => Ok(Self::Recorder(org()?)),
            _ => Err(crate::error::invalid_field(
                "role",
                "role",
                "is not one of: platform_admin, org_admin, recorder",
            )),
        }
    }

    /// The org of an org role.
    pub fn org(&self) -> Option<&OrgId> {
        match self {
            Self::PlatformAdmin => None,
            Self::OrgAdmin(o) | Self::Recorder(o) => Some(o),
        }
    }

    /// The role's stable name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::PlatformAdmin => "platform_admin",
            Self::OrgAdmin(_) => "org_admin",
            Self::Recorder(_) => "recorder",
        }
    }
}

/// The UTC offset a ledger and a sheet's times are in unless told otherwise, in minutes:
/// +08:00, China Standard Time.
pub const DEFAULT_UTC_OFFSET_MINUTES: i32 = 480;

/// The creation parameters of a ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LedgerConfig {
    /// The ledger's id.
    pub ledger_id: crate::ids::LedgerId,
    /// Its name (`某区志愿服务记录`).
    pub name: String,
    /// The first platform admin.
    pub platform_admin: ActorId,
    /// Its rules.
    pub policy: crate::policy::Policy,
    /// Its UTC offset in minutes (default 480, +08:00).
    pub utc_offset_minutes: i32,
}

impl LedgerConfig {
    /// A ledger in +08:00 with the `mca` policy.
    pub fn new(
        ledger_id: crate::ids::LedgerId,
        name: impl Into<String>,
        platform_admin: ActorId,
    ) -> Self {
        Self {
            ledger_id,
            name: name.into(),
            utc_offset_minutes: DEFAULT_UTC_OFFSET_MINUTES,
            policy: crate::policy::Policy::mca(),
            platform_admin,
        }
    }
}
