//! Every configurable number of the rules, with named profiles. The default profile is `mca`
//! (Ministry of Civil Affairs: 中国社区志愿者注册管理办法). Policies load from and save to TOML
//! and JSON, so a platform changes rules by data, not code.

use crate::error::{LedgerError, Result};
use crate::team_rating::TeamScoring;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The thresholds of volunteer star levels (星级), in whole hours of cumulative confirmed
/// service: the first entry is 1 star, the second 2 stars, and so on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StarProfile {
    /// The profile's name (`mca`, `beijing` …).
    pub name: String,
    /// Hours needed for each level, strictly increasing.
    pub thresholds_hours: Vec<i32>,
}

impl StarProfile {
    /// MCA, Art. 18: 100, 300, 600, 1000, 1500 hours for 1 to 5 stars.
    pub fn mca() -> Self {
        Self {
            name: "mca".into(),
            thresholds_hours: vec![100, 300, 600, 1000, 1500],
        }
    }
    /// Beijing: 100, 200, 500, 800, 1000 hours.
    pub fn beijing() -> Self {
        Self {
            name: "beijing".into(),
            thresholds_hours: vec![100, 200, 500, 800, 1000],
        }
    }
    /// Thresholds in minutes.
    pub fn thresholds_minutes(&self) -> impl Iterator<Item = u64> + '_ {
        // Validated positive (Policy::validate); a negative one would count as zero.
        self.thresholds_hours
            .iter()
            .map(|h| u64::try_from(*h).unwrap_or(0) * 60)
    }
}

/// The rules a ledger applies. Construct with [`Policy::mca`] (the default) or
/// [`Policy::profile`], or load from TOML/JSON.
///
/// ```
/// use volunteer_ledger::Policy;
/// let p = Policy::profile("beijing").unwrap();
/// let text = p.to_toml().unwrap();
/// assert_eq!(Policy::from_toml(&text).unwrap(), p);
/// assert_eq!(Policy::profile("nowhere").unwrap_err().code(), "E_POLICY");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The shipped working-day calendar the ledger judges by (`cn-state-council`, see
    /// `SHIPPED_CALENDARS`), besides `holidays` and `extra_working_days`; none when absent.
    /// Written only when set, so that logs made before it keep their hashes (and, having
    /// none, their judgements).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// Most check-in/check-out pairs per volunteer, activity and day (default 3).
    pub checkin_pairs_per_day: i32,
    /// How far in the future a record may end, for clocks that disagree (default 300 s).
    pub clock_skew_seconds: i32,
    /// Most minutes one volunteer may serve on one local day (default 720: 12 hours).
    pub daily_cap_minutes: i32,
    /// Who may be proposed as an excellent volunteer (优秀志愿者). Written only when it differs
    /// from the default, so that logs made before it keep their hashes.
    #[serde(default, skip_serializing_if = "ExcellentRule::is_default")]
    pub excellent: ExcellentRule,
    /// Weekend days that are working days (调休), besides those of `calendar`.
    pub extra_working_days: Vec<NaiveDate>,
    /// Four-eyes confirmation and anomaly flags. Written only when it differs from the default.
    #[serde(default, skip_serializing_if = "FraudRules::is_default")]
    pub fraud: FraudRules,
    /// Public holidays that are not working days, besides those of `calendar`.
    pub holidays: Vec<NaiveDate>,
    /// The policy's name.
    pub name: String,
    /// Working days after the service within which a record is recorded normally (default
    /// 10). A later record is a make-up (补录) that needs an org admin to confirm.
    pub recording_window_working_days: i32,
    /// Volunteer star thresholds.
    pub stars: StarProfile,
    /// The team scoring table (服务队星级评定). Written only when it differs from the default
    /// (`district`).
    #[serde(default, skip_serializing_if = "TeamScoring::is_default")]
    pub team_rating: TeamScoring,
}

/// The rule that proposes excellent volunteers (优秀志愿者) for a year: a star level, hours in
/// the year, a clean year (no record of theirs revoked or disputed), and a place among the
/// top of their street. Fields in sorted order, as every log-bound struct (it is part of the
/// policy in `ledger_created`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ExcellentRule {
    /// The star level held at the end of the year at least (default 1).
    pub min_star_level: i32,
    /// Hours of counted service in the year at least (default 100).
    pub min_year_hours: i32,
    /// How many per street, by hours in the year (default 10; ties at the last place are all
    /// proposed).
    pub top_per_street: i32,
}

impl Default for ExcellentRule {
    fn default() -> Self {
        Self {
            min_year_hours: 100,
            min_star_level: 1,
            top_per_street: 10,
        }
    }
}

impl ExcellentRule {
    /// Whether this is the default rule.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// Rules against bought hours (DESIGN §3): four-eyes confirmation of large entries, and the
/// thresholds of the anomaly flags. Fields in sorted order (part of the policy in
/// `ledger_created`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct FraudRules {
    /// Flag an actor who enters more records than this … (default 30)
    pub burst_entries: i32,
    /// … within this many seconds (default 600).
    pub burst_window_seconds: i32,
    /// Flag a volunteer's day of more minutes than this (default 600; the daily cap refuses
    /// beyond `daily_cap_minutes`).
    pub flag_day_minutes: i32,
    /// A record of more minutes than this counts only once an admin other than the one who
    /// entered it confirms it (default 480: 8 hours). 0 turns four eyes off.
    pub four_eyes_minutes: i32,
    /// Flag a record entered more than this many days after its service ended (default 30).
    pub late_entry_days: i32,
}

impl Default for FraudRules {
    fn default() -> Self {
        Self {
            four_eyes_minutes: 480,
            burst_entries: 30,
            burst_window_seconds: 600,
            flag_day_minutes: 600,
            late_entry_days: 30,
        }
    }
}

impl FraudRules {
    /// Whether these are the default rules.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(feature = "uniffi")]
uniffi::custom_type!(NaiveDate, String, {
    remote,
    lower: |d| d.format("%Y-%m-%d").to_string(),
    try_lift: |s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| uniffi::deps::anyhow::anyhow!(e.to_string())),
});

impl Default for Policy {
    fn default() -> Self {
        Self::mca()
    }
}

impl Policy {
    /// The national default (`mca`).
    pub fn mca() -> Self {
        Self {
            name: "mca".into(),
            calendar: Some(Self::DEFAULT_CALENDAR.into()),
            stars: StarProfile::mca(),
            daily_cap_minutes: 720,
            checkin_pairs_per_day: 3,
            recording_window_working_days: 10,
            holidays: Vec::new(),
            extra_working_days: Vec::new(),
            clock_skew_seconds: 300,
            excellent: ExcellentRule::default(),
            fraud: FraudRules::default(),
            team_rating: TeamScoring::default(),
        }
    }

    /// The `mca` rules with Beijing's star thresholds.
    pub fn beijing() -> Self {
        Self {
            name: "beijing".into(),
            stars: StarProfile::beijing(),
            ..Self::mca()
        }
    }

    /// The working-day calendar of the built-in profiles: the State Council's notices.
    pub const DEFAULT_CALENDAR: &'static str = "cn-state-council";

    /// The profile a ledger takes unless told otherwise: the Ministry of Civil Affairs' rules.
    pub const DEFAULT_PROFILE: &'static str = "mca";

    /// The names of the built-in profiles.
    pub const PROFILES: &'static [&'static str] = &["mca", "beijing"];

    /// A built-in profile by name.
    pub fn profile(name: &str) -> Result<Self> {
        match name {
            "mca" => Ok(Self::mca()),
            "beijing" => Ok(Self::beijing()),
            _ => Err(LedgerError::Policy {
                detail: format!(
                    "no profile named '{name}'; known: {}",
                    Self::PROFILES.join(", ")
                ),
            }),
        }
    }

    /// Checks the policy's own constraints.
    pub fn validate(&self) -> Result<()> {
        let bad = |d: &str| {
            Err(LedgerError::Policy {
                detail: d.to_owned(),
            })
        };
        let t = &self.stars.thresholds_hours;
        if t.is_empty() || t.len() > 10 {
            return bad("stars.thresholds_hours must hold 1 to 10 levels");
        }
        if t.first().is_some_and(|x| *x <= 0) || t.windows(2).any(|w| w.first() >= w.get(1)) {
            return bad("stars.thresholds_hours must be positive and strictly increasing");
        }
        if !(1..=24 * 60).contains(&self.daily_cap_minutes) {
            return bad("daily_cap_minutes must be 1 to 1440");
        }
        if self.checkin_pairs_per_day <= 0 {
            return bad("checkin_pairs_per_day must be at least 1");
        }
        if let Some(c) = &self.calendar
            && !crate::calendar::SHIPPED_CALENDARS.contains(&c.as_str())
        {
            return Err(LedgerError::Policy {
                detail: format!(
                    "calendar: no shipped calendar named '{}'; known: {}",
                    c.chars().take(40).collect::<String>(),
                    crate::calendar::SHIPPED_CALENDARS.join(", ")
                ),
            });
        }
        if !(0..=366).contains(&self.recording_window_working_days) {
            return bad("recording_window_working_days must be 0 to 366");
        }
        if !(0..=86_400).contains(&self.clock_skew_seconds) {
            return bad("clock_skew_seconds must be 0 to 86400");
        }
        if self.excellent.min_year_hours <= 0 || self.excellent.top_per_street <= 0 {
            return bad("excellent.min_year_hours and excellent.top_per_street must be at least 1");
        }
        if !(0..=255).contains(&self.excellent.min_star_level) {
            return bad("excellent.min_star_level must be 0 to 255");
        }
        let f = &self.fraud;
        if f.four_eyes_minutes < 0 || f.late_entry_days < 0 {
            return bad("fraud.four_eyes_minutes and fraud.late_entry_days must not be negative");
        }
        if f.burst_entries <= 0 || f.burst_window_seconds <= 0 || f.flag_day_minutes <= 0 {
            return bad(
                "fraud.burst_entries, fraud.burst_window_seconds and fraud.flag_day_minutes must be at least 1",
            );
        }
        self.team_rating.validate()
    }

    /// The working-day calendar of this policy alone: the shipped calendar it names and its
    /// own lists (a ledger adds the years set in its log).
    pub(crate) fn working_calendar(&self) -> crate::calendar::WorkingCalendar<'_> {
        crate::calendar::WorkingCalendar::new(
            self.calendar.as_deref(),
            &self.holidays,
            &self.extra_working_days,
            self.recording_window_working_days,
        )
    }

    /// Reads a policy from TOML and validates it.
    pub fn from_toml(text: &str) -> Result<Self> {
        let p: Self = toml::from_str(text).map_err(|e| LedgerError::Policy {
            detail: e.to_string(),
        })?;
        p.validate()?;
        Ok(p)
    }

    /// Writes the policy as TOML.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self).map_err(|e| LedgerError::Policy {
            detail: e.to_string(),
        })
    }

    /// Reads a policy from JSON and validates it.
    pub fn from_json(text: &str) -> Result<Self> {
        let p: Self = serde_json::from_str(text).map_err(|e| LedgerError::Policy {
            detail: e.to_string(),
        })?;
        p.validate()?;
        Ok(p)
    }

    /// Writes the policy as JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| LedgerError::Policy {
            detail: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_round_trip_through_toml_and_json() {
        for name in Policy::PROFILES {
            let p = Policy::profile(name).unwrap();
            assert_eq!(Policy::from_toml(&p.to_toml().unwrap()).unwrap(), p);
            assert_eq!(Policy::from_json(&p.to_json().unwrap()).unwrap(), p);
        }
    }

    #[test]
    fn new_sections_are_written_only_when_changed() {
        // Logs made before the sections existed keep their hashes: the defaults write nothing.
        let json = Policy::mca().to_json().unwrap();
        for key in ["team_rating", "fraud", "excellent"] {
            assert!(!json.contains(key), "{key} in {json}");
        }
        let mut p = Policy::mca();
        p.team_rating = TeamScoring::pvsa_group();
        p.fraud.four_eyes_minutes = 240;
        p.excellent.top_per_street = 3;
        assert_eq!(Policy::from_toml(&p.to_toml().unwrap()).unwrap(), p);
        assert_eq!(Policy::from_json(&p.to_json().unwrap()).unwrap(), p);
        p.team_rating.star_thresholds.clear();
        assert_eq!(p.validate().unwrap_err().code(), "E_POLICY");
    }

    #[test]
    fn bad_policies_are_refused() {
        let mut p = Policy::mca();
        p.stars.thresholds_hours = vec![100, 100];
        assert_eq!(p.validate().unwrap_err().code(), "E_POLICY");
        assert_eq!(
            Policy::from_toml("name = 1").unwrap_err().code(),
            "E_POLICY"
        );
        let mut p = Policy::mca();
        p.calendar = Some("nowhere".into());
        assert_eq!(p.validate().unwrap_err().code(), "E_POLICY");
    }

    #[test]
    fn built_in_profiles_use_the_shipped_calendar_and_a_policy_without_one_has_none() {
        for name in Policy::PROFILES {
            let p = Policy::profile(name).unwrap();
            assert_eq!(p.calendar.as_deref(), Some("cn-state-council"));
            assert!(
                p.to_json()
                    .unwrap()
                    .contains("\"calendar\": \"cn-state-council\"")
            );
        }
        // A policy written before the field existed reads as one without a shipped calendar.
        let mut old = Policy::mca();
        old.calendar = None;
        let json = old.to_json().unwrap();
        assert!(!json.contains("calendar"), "{json}");
        assert_eq!(Policy::from_json(&json).unwrap().calendar, None);
    }
}
