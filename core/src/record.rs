//! Service records (志愿服务记录): what a record says, its states, and the validation rules
//! that need no ledger (a record alone against the policy and the clock).

use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActivityId, ActorId, OrgId, RecordId, TeamId, VolunteerId};
use crate::policy::Policy;
use crate::time::Timestamp;
use chrono::FixedOffset;
#[cfg(test)]
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RecordSource {
    /// A check-in/check-out pair on site (签到签退).
    CheckIn,
    /// Typed in by an organiser.
    Entry,
    /// An uploaded spreadsheet row.
    Import,
    /// Carried in from another ledger.
    Transfer,
}

crate::error::named_enum!(RecordSource, "record source", {
    CheckIn => "check_in",
    Entry => "entry",
    Import => "import",
    Transfer => "transfer",
});

impl RecordSource {
    fn code(self) -> u8 {
        match self {
            Self::CheckIn => 0,
            Self::Entry => 1,
            Self::Import => 2,
            Self::Transfer => 3,
        }
    }
    pub(crate) fn from_code(c: u8) -> Self {
        match c {
            0 => Self::CheckIn,
            2 => Self::Import,
            3 => Self::Transfer,
            _ => Self::Entry,
        }
    }
    pub(crate) fn as_code(self) -> u8 {
        self.code()
    }
}

/// The state of a record. Only confirmed records count (and disputed ones that were
/// confirmed before the dispute, until it is resolved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    /// Waiting for the organiser (a self-report, a make-up record).
    Pending,
    /// Confirmed by the organiser: it counts.
    Confirmed,
    /// Superseded by a newer record; kept, linked, not counted.
    Amended,
    /// Revoked with a reason; kept, not counted.
    Revoked,
    /// Disputed (申诉), awaiting an org admin's resolution.
    Disputed,
}

crate::error::named_enum!(RecordState, "record state", {
    Pending => "pending",
    Confirmed => "confirmed",
    Amended => "amended",
    Revoked => "revoked",
    Disputed => "disputed",
});

/// A service record as a caller submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewRecord {
    /// The activity, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub activity: Option<ActivityId>,
    /// What was done (服务内容).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub content: String,
    /// When it ended.
    pub end: Timestamp,
    /// The record's id, made by the client; sending the same record again records it once.
    pub id: RecordId,
    /// The service was part of a job (履行岗位职责): refused.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub job_duty: bool,
    /// Minutes of actual service (实际服务时间, travel excluded), more than zero and at most
    /// `end − start`. Signed so that Java callers of the bindings can write it (a `long`);
    /// zero is refused with `E_ZERO_MINUTES` and a negative number with `E_FIELD`.
    pub minutes: i64,
    /// The org where the service was done (the organiser).
    pub org: OrgId,
    /// The service was paid (有偿): refused.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub paid: bool,
    /// The service was for the public benefit (公益性); `false` is refused.
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub public_benefit: bool,
    /// Where the record came from.
    pub source: RecordSource,
    /// When the service started.
    pub start: Timestamp,
    /// The organising team, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub team: Option<TeamId>,
    /// Who served.
    pub volunteer: VolunteerId,
}

impl NewRecord {
    /// A plain entered record for the public benefit.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: RecordId,
        volunteer: VolunteerId,
        org: OrgId,
        start: Timestamp,
        end: Timestamp,
        minutes: u32,
        content: impl Into<String>,
    ) -> Self {
        Self {
            id,
            volunteer,
            org,
            team: None,
            activity: None,
            start,
            end,
            minutes: i64::from(minutes),
            content: content.into(),
            source: RecordSource::Entry,
            paid: false,
            job_duty: false,
            public_benefit: true,
        }
    }
}

/// A record as queries return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ServiceRecord {
    /// What was submitted.
    pub record: NewRecord,
    /// Its state.
    pub state: RecordState,
    /// Whether it counts in totals, stars and boards.
    pub counted: bool,
    /// Recorded after the policy's window (补录).
    pub make_up: bool,
    /// Who entered or reported it.
    pub recorded_by: ActorId,
    /// Who confirmed it (the recorder itself when an organiser entered it).
    pub confirmed_by: Option<ActorId>,
    /// Above the policy's four-eyes threshold: only an admin other than the one who entered
    /// it confirms it.
    pub four_eyes: bool,
    /// The record it replaces, if it is an amendment.
    pub amends: Option<RecordId>,
    /// The record that replaced it, if amended.
    pub superseded_by: Option<RecordId>,
    /// Why it was revoked, disputed or amended, last reason given.
    pub reason: Option<String>,
    /// The log entry that added it.
    pub entry_seq: i64,
}

/// The earliest instant a record may name: 1970-01-01T00:00:00Z.
pub const EARLIEST: i64 = 0;
/// The latest instant a record may name: 2106-02-07T06:28:15Z (the ledger keeps a record's
/// start in 32 bits).
pub const LATEST: i64 = u32::MAX as i64;

/// Longest `content` accepted, in characters.
pub const MAX_CONTENT_CHARS: usize = 2000;

/// Checks what a record alone can be checked for: the nature of the service, its times and
/// minutes, the future, and the field lengths. The ledger adds the checks that need other
/// records (overlap, daily cap, check-in pairs) and authorisation.
///
/// ```
/// use volunteer_ledger::*;
/// let t = |h| Timestamp::from_local(480, 2015, 6, 2, h, 0).unwrap();
/// let mut r = NewRecord::new(
///     "R1".parse().unwrap(), "V1".parse().unwrap(), "O1".parse().unwrap(), t(9), t(11), 150, "",
/// );
/// let now = t(20);
/// assert_eq!(check_record(&r, &Policy::mca(), now).unwrap_err().code(), "E_MINUTES_EXCEED_SPAN");
/// r.minutes = 120;
/// assert!(check_record(&r, &Policy::mca(), now).is_ok());
/// r.paid = true;
/// assert_eq!(check_record(&r, &Policy::mca(), now).unwrap_err().code(), "E_PAID_SERVICE");
/// ```
pub fn check_record(r: &NewRecord, policy: &Policy, now: Timestamp) -> Result<()> {
    let rid = || r.id.to_string();
    if r.paid {
        return Err(LedgerError::PaidService { record: rid() });
    }
    if r.job_duty {
        return Err(LedgerError::JobDuty { record: rid() });
    }
    if !r.public_benefit {
        return Err(LedgerError::NotPublicBenefit { record: rid() });
    }
    for (field, t) in [("start", r.start), ("end", r.end)] {
        if !(EARLIEST..=LATEST).contains(&t.0) {
            return Err(invalid_field(
                format!("record {}", r.id),
                field,
                "lies outside 1970–2106",
            ));
        }
    }
    if r.end <= r.start {
        return Err(LedgerError::EndNotAfterStart { record: rid() });
    }
    if r.minutes < 0 {
        return Err(invalid_field(
            format!("record {}", r.id),
            "minutes",
            format!("{} is negative", r.minutes),
        ));
    }
    if r.minutes == 0 {
        return Err(LedgerError::ZeroMinutes { record: rid() });
    }
    let span = (r.end.0 - r.start.0) / 60;
    if r.minutes > span {
        return Err(LedgerError::MinutesExceedSpan {
            record: rid(),
            minutes: r.minutes,
            span,
        });
    }
    if r.end.0 > now.0.saturating_add(i64::from(policy.clock_skew_seconds)) {
        return Err(LedgerError::Future { record: rid() });
    }
    if r.content.chars().count() > MAX_CONTENT_CHARS {
        return Err(invalid_field(
            format!("record {}", r.id),
            "content",
            format!("is longer than {MAX_CONTENT_CHARS} characters"),
        ));
    }
    if r.content
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(invalid_field(
            format!("record {}", r.id),
            "content",
            "holds control characters",
        ));
    }
    Ok(())
}

/// Whether a record recorded at `now` is a make-up record (补录): its service ended more than
/// the policy's working-day window before `now`, in local dates, by the policy's calendar (the
/// shipped calendar it names and its own holiday lists; a ledger also counts the years an
/// admin has set since).
pub fn is_make_up(r: &NewRecord, policy: &Policy, off: FixedOffset, now: Timestamp) -> bool {
    policy
        .working_calendar()
        .is_make_up(r.end.local_date(off), now.local_date(off))
}

/// [`is_make_up`] by walking the calendar from the day of service.
#[cfg(test)]
fn is_make_up_walked(served: NaiveDate, today: NaiveDate, policy: &Policy) -> bool {
    let deadline = policy.working_calendar().deadline(
        served,
        u32::try_from(policy.recording_window_working_days).unwrap_or(0), // validated: 0 to 366
    );
    today > deadline
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    proptest! {
        /// The bounds that spare the calendar walk never change the answer.
        #[test]
        fn make_up_bounds_agree_with_the_walk(
            served in 0i64..800,
            later in 0i64..200,
            window in 0i32..40,
            holidays in proptest::collection::vec(0i64..1000, 0..30),
            extra in proptest::collection::vec(0i64..1000, 0..10),
            shipped in any::<bool>(),
        ) {
            let day = |n: i64| {
                NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + chrono::Days::new(n as u64)
            };
            let policy = Policy {
                recording_window_working_days: window,
                holidays: holidays.iter().map(|&n| day(n)).collect(),
                extra_working_days: extra.iter().map(|&n| day(n)).collect(),
                calendar: shipped.then(|| "cn-state-council".to_owned()),
                ..Policy::default()
            };
            let off = crate::time::offset(480).unwrap();
            let at = |n: i64, h: u32| {
                let d = day(n);
                Timestamp::from_local(480, d.year(), d.month(), d.day(), h, 0).unwrap()
            };
            let r = NewRecord::new(
                "R1".parse().unwrap(),
                "V1".parse().unwrap(),
                "C1".parse().unwrap(),
                at(served, 9),
                at(served, 11),
                60,
                "",
            );
            let now = at(served + later, 12);
            prop_assert_eq!(
                is_make_up(&r, &policy, off, now),
                is_make_up_walked(day(served), day(served + later), &policy)
            );
            if !shipped {
                // Without a shipped calendar a policy judges as it always has (by its own
                // lists alone), so that logs made before calendars replay the same.
                let deadline = crate::time::add_working_days(
                    day(served),
                    window as u32,
                    &policy.holidays,
                    &policy.extra_working_days,
                );
                prop_assert_eq!(is_make_up(&r, &policy, off, now), day(served + later) > deadline);
            }
        }
    }
}
