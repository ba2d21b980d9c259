//! The one error type of the core. Every refusal has a stable machine code (`E_…`) and a
//! message that names the thing at fault and the rule it broke, in English and Chinese.
//! Messages never carry a name or an identity number.

mod names;
pub(crate) use names::named_enum;

use std::fmt;

/// The most characters a message of the core has ([`LedgerError`]'s `Display`, English and
/// Chinese together): each value a message repeats is cut to a width (below) with `…`, so that
/// no message grows with its input and a long input is never repeated in full.
pub const MESSAGE_MAX_CHARS: usize = 500;

/// The width of an id or a short value in a message: ids are at most 64 characters, so a
/// valid one is never cut.
const WORD: usize = 64;
/// The width of a detail or a rule in English.
const TEXT: usize = 120;
/// The width of a detail in Chinese.
const ZH: usize = 100;
/// The width of a file path.
const PATH: usize = 96;

/// A value as a message shows it: at most `.1` characters, the last of them `…` when it is cut.
pub(crate) struct Clip<'a, T: ?Sized>(pub(crate) &'a T, pub(crate) usize);

impl<T: fmt::Display + ?Sized> fmt::Display for Clip<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Keeps the first `room` characters written to it and counts whether more came.
        struct Head {
            text: String,
            room: usize,
            more: bool,
        }
        impl fmt::Write for Head {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                if self.more {
                    return Ok(());
                }
                for c in s.chars() {
                    if self.room == 0 {
                        self.more = true;
                        break;
                    }
                    self.text.push(c);
                    self.room -= 1;
                }
                Ok(())
            }
        }
        let width = self.1.max(1);
        let mut head = Head {
            text: String::new(),
            room: width,
            more: false,
        };
        fmt::write(&mut head, format_args!("{}", self.0))?;
        if head.more {
            // Room for the `…`: the value is cut one character shorter.
            head.text.pop();
            head.text.push('…');
        }
        f.write_str(&head.text)
    }
}

/// The family an error belongs to; bindings map each family to one exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ErrorFamily {
    /// A value the caller passed is malformed (an identity number, a period, a field).
    Input,
    /// A service record breaks a rule of the policy.
    Validation,
    /// The actor may not make this change.
    Authorization,
    /// Something named does not exist.
    NotFound,
    /// Something with this id exists already, with other content.
    Conflict,
    /// The change does not fit the current state (confirming a revoked record …).
    State,
    /// The log or a stored thing is damaged or unsupported.
    Integrity,
    /// A policy is malformed.
    Policy,
    /// A ledger file could not be read or written (missing, locked, full disk …).
    Storage,
}

crate::error::named_enum!(ErrorFamily, "error family", {
    Input => "input",
    Validation => "validation",
    Authorization => "authorization",
    NotFound => "not_found",
    Conflict => "conflict",
    State => "state",
    Integrity => "integrity",
    Policy => "policy",
    Storage => "storage",
});

/// Every refusal of the core. Match on the variant in Rust, or on [`LedgerError::code`]
/// anywhere else: codes are stable across versions and languages. [`LedgerError::fields`]
/// gives a variant's values by name (the record, the actor …) for the bindings' exceptions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[non_exhaustive]
pub enum LedgerError {
    /// An identity number is not in the format its kind requires.
    #[error(
        "identity number ({kind}) has the wrong format: {detail} / 证件号码（{kind}）格式错误：{detail}",
        kind = Clip(.kind, WORD), detail = Clip(.detail, TEXT),
    )]
    IdentityFormat {
        /// The identity kind (`resident_id`, `passport` …).
        kind: String,
        /// What is wrong, without the number itself.
        detail: String,
    },
    /// A resident identity number's check digit (GB 11643, ISO 7064 MOD 11-2) is wrong.
    #[error("identity number check digit is wrong (GB 11643) / 身份证号码校验码错误")]
    IdentityChecksum,
    /// A resident identity number's birth date is not a real date, or lies in the future.
    #[error(
        "identity number holds no real birth date: {detail} / 身份证号码中的出生日期无效：{detail}",
        detail = Clip(.detail, TEXT),
    )]
    IdentityBirthDate {
        /// What is wrong with the date.
        detail: String,
    },
    /// A period string does not parse, or is out of range.
    #[error(
        "period '{text}' is not valid: {detail} (expected 2015-W23, 2015-06, 2015 or all) / 统计周期“{text}”无效：{detail}（应为 2015-W23、2015-06、2015 或 all）",
        text = Clip(.text, 32), detail = Clip(.detail, TEXT),
    )]
    InvalidPeriod {
        /// The text given.
        text: String,
        /// What is wrong.
        detail: String,
    },
    /// A field is empty, too long, or out of range.
    #[error(
        "{what}: field '{field}' {detail} / 字段“{field}”无效（{what}）：{detail}",
        what = Clip(.what, WORD), field = Clip(.field, 32), detail = Clip(.detail, TEXT),
    )]
    InvalidField {
        /// The thing being changed (`record R1`, `org 0101` …).
        what: String,
        /// The field name.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// A record ends at or before it starts.
    #[error(
        "record {record}: end must be after start / 服务记录 {record}：结束时间必须晚于开始时间",
        record = Clip(.record, WORD),
    )]
    EndNotAfterStart {
        /// The record id.
        record: String,
    },
    /// A record claims more minutes than its time span holds.
    #[error(
        "record {record}: {minutes} minutes claimed but the span holds only {span} / 服务记录 {record}：服务时长 {minutes} 分钟超过起止时间跨度 {span} 分钟",
        record = Clip(.record, WORD),
    )]
    MinutesExceedSpan {
        /// The record id.
        record: String,
        /// Minutes claimed.
        minutes: i64,
        /// Minutes between start and end.
        span: i64,
    },
    /// A record claims zero minutes.
    #[error(
        "record {record}: service minutes must be more than zero / 服务记录 {record}：服务时长必须大于零",
        record = Clip(.record, WORD),
    )]
    ZeroMinutes {
        /// The record id.
        record: String,
    },
    /// A record ends in the future (beyond the policy's clock-skew tolerance).
    #[error(
        "record {record}: ends in the future / 服务记录 {record}：结束时间晚于当前时间",
        record = Clip(.record, WORD),
    )]
    Future {
        /// The record id.
        record: String,
    },
    /// A record overlaps another counted or pending record of the same volunteer.
    #[error(
        "record {record}: overlaps record {other} of the same volunteer / 服务记录 {record}：与同一志愿者的服务记录 {other} 时间重叠",
        record = Clip(.record, WORD), other = Clip(.other, WORD),
    )]
    Overlap {
        /// The record id.
        record: String,
        /// The record it overlaps.
        other: String,
    },
    /// A record would take the volunteer's minutes on one day beyond the policy's cap.
    #[error(
        "record {record}: {total} minutes on {day} exceed the daily cap of {cap} / 服务记录 {record}：{day} 当日服务时长 {total} 分钟超过上限 {cap} 分钟",
        record = Clip(.record, WORD), day = Clip(.day, WORD),
    )]
    DailyCap {
        /// The record id.
        record: String,
        /// The local day.
        day: String,
        /// Minutes that day including this record.
        total: u64,
        /// The policy's cap.
        cap: i32,
    },
    /// A volunteer already has the policy's limit of check-in/check-out pairs for this
    /// activity on this day.
    #[error(
        "record {record}: more than {limit} check-in pairs for one activity on {day} / 服务记录 {record}：{day} 同一活动签到签退超过 {limit} 次",
        record = Clip(.record, WORD), day = Clip(.day, WORD),
    )]
    CheckInLimit {
        /// The record id.
        record: String,
        /// The local day.
        day: String,
        /// The policy's limit.
        limit: i32,
    },
    /// Paid service is not volunteering.
    #[error(
        "record {record}: paid service is not volunteer service / 服务记录 {record}：有偿服务不属于志愿服务",
        record = Clip(.record, WORD),
    )]
    PaidService {
        /// The record id.
        record: String,
    },
    /// Work that is part of one's job is not volunteering.
    #[error(
        "record {record}: service that is part of a job duty is not volunteer service / 服务记录 {record}：履行岗位职责不属于志愿服务",
        record = Clip(.record, WORD),
    )]
    JobDuty {
        /// The record id.
        record: String,
    },
    /// Service that is not for the public benefit is not volunteering.
    #[error(
        "record {record}: service that is not for the public benefit is not volunteer service / 服务记录 {record}：非公益性服务不属于志愿服务",
        record = Clip(.record, WORD),
    )]
    NotPublicBenefit {
        /// The record id.
        record: String,
    },
    /// A make-up record (recorded after the window) must be confirmed by an org admin.
    #[error(
        "record {record}: a make-up record (recorded after the {window}-working-day window) needs an org admin to confirm / 服务记录 {record}：超过 {window} 个工作日的补录须由组织管理员确认",
        record = Clip(.record, WORD),
    )]
    MakeUpNeedsOrgAdmin {
        /// The record id.
        record: String,
        /// The window in working days.
        window: i32,
    },
    /// The actor lacks the role the change requires.
    #[error(
        "actor {actor} may not {action}: {rule} / 操作人 {actor} 无权执行“{action}”：{rule}",
        actor = Clip(.actor, WORD), action = Clip(.action, 32), rule = Clip(.rule, TEXT),
    )]
    Forbidden {
        /// The actor id.
        actor: String,
        /// What was attempted.
        action: String,
        /// The rule that refuses it.
        rule: String,
    },
    /// Nobody confirms a record they entered or reported themselves.
    #[error(
        "record {record}: nobody confirms a record they entered themselves / 服务记录 {record}：不得确认本人录入的记录",
        record = Clip(.record, WORD),
    )]
    SelfConfirm {
        /// The record id.
        record: String,
    },
    /// A volunteer number is unknown.
    #[error(
        "volunteer {id} is not registered / 志愿者 {id} 未注册",
        id = Clip(.id, WORD),
    )]
    UnknownVolunteer {
        /// The volunteer number.
        id: String,
    },
    /// An org id is unknown.
    #[error(
        "org {id} is not registered / 组织 {id} 未注册",
        id = Clip(.id, WORD),
    )]
    UnknownOrg {
        /// The org id.
        id: String,
    },
    /// A team id is unknown.
    #[error(
        "team {id} does not exist / 服务队 {id} 不存在",
        id = Clip(.id, WORD),
    )]
    UnknownTeam {
        /// The team id.
        id: String,
    },
    /// A record id is unknown.
    #[error(
        "record {id} does not exist / 服务记录 {id} 不存在",
        id = Clip(.id, WORD),
    )]
    UnknownRecord {
        /// The record id.
        id: String,
    },
    /// An entry sequence number is beyond the log.
    #[error("entry {seq} does not exist; the log holds {len} entries / 日志条目 {seq} 不存在")]
    UnknownEntry {
        /// The sequence number asked for.
        seq: u64,
        /// Entries in the log.
        len: u64,
    },
    /// Something with this id exists already.
    #[error(
        "{what} {id} exists already / 编号已存在：{what} {id}",
        what = Clip(.what, WORD), id = Clip(.id, WORD),
    )]
    Duplicate {
        /// What kind of thing (`org`, `volunteer`, `team`).
        what: String,
        /// Its id.
        id: String,
    },
    /// Another volunteer holds this identity number.
    #[error(
        "volunteer {id}: the identity number is already registered to another volunteer / 志愿者 {id}：证件号码已被其他志愿者注册",
        id = Clip(.id, WORD),
    )]
    DuplicateIdentity {
        /// The volunteer number being registered.
        id: String,
    },
    /// A record id was sent again with different content.
    #[error(
        "record {record}: this id was already recorded with different content / 服务记录 {record}：编号已存在且内容不同",
        record = Clip(.record, WORD),
    )]
    RecordIdConflict {
        /// The record id.
        record: String,
    },
    /// The record's state does not allow this change.
    #[error(
        "record {record} is {state}; cannot {action} / 服务记录 {record} 当前状态为 {state}，不能执行“{action}”",
        record = Clip(.record, WORD), state = Clip(.state, WORD), action = Clip(.action, WORD),
    )]
    InvalidState {
        /// The record id.
        record: String,
        /// Its state.
        state: String,
        /// What was attempted.
        action: String,
    },
    /// The hash chain is broken at an entry.
    #[error(
        "log entry {seq}: {detail} / 日志条目 {seq} 校验失败：{detail}",
        detail = Clip(.detail, TEXT),
    )]
    ChainBroken {
        /// The first entry at fault.
        seq: u64,
        /// What is wrong.
        detail: String,
    },
    /// An entry replays to a refusal: the log holds a change its own rules reject.
    #[error(
        "log entry {seq} does not replay: {detail} / 日志条目 {seq} 无法重放：{detail}",
        detail = Clip(.detail, TEXT),
    )]
    ReplayRefused {
        /// The entry.
        seq: u64,
        /// The refusal.
        detail: String,
    },
    /// A ledger file could not be opened, read or written. Nothing was changed.
    #[error(
        "ledger file {path}: {detail} / 账本文件 {path}：{detail_zh}",
        path = Clip(.path, PATH), detail = Clip(.detail, TEXT), detail_zh = Clip(.detail_zh, ZH),
    )]
    Storage {
        /// The file.
        path: String,
        /// What went wrong (English).
        detail: String,
        /// What went wrong (Chinese).
        detail_zh: String,
    },
    /// A ledger file was written by a newer version of this library, with a schema this one
    /// does not know; it is left untouched.
    #[error(
        "ledger file {path} has schema version {found}; this library reads up to {supported}: upgrade volunteer-ledger to open it / 账本文件 {path} 的结构版本为 {found}，本程序只支持到 {supported}，请升级后再打开",
        path = Clip(.path, PATH),
    )]
    SchemaVersion {
        /// The file.
        path: String,
        /// The version the file holds.
        found: i64,
        /// The newest version this library reads.
        supported: i64,
    },
    /// A file is not a volunteer-ledger file (another database, or not SQLite at all).
    #[error(
        "{path} is not a volunteer-ledger file: {detail} / 不是志愿服务账本文件：{path}（{detail}）",
        path = Clip(.path, PATH), detail = Clip(.detail, TEXT),
    )]
    NotALedger {
        /// The file.
        path: String,
        /// What was found instead.
        detail: String,
    },
    /// A transfer package is malformed, altered or inconsistent.
    #[error(
        "transfer package: {detail} / 转移包无效：{detail}",
        detail = Clip(.detail, TEXT),
    )]
    TransferFormat {
        /// What is wrong.
        detail: String,
    },
    /// A transfer package has a format version this ledger does not know.
    #[error(
        "transfer package format '{found}' is not supported (this ledger reads volunteer-ledger/transfer@1 and @2) / 不支持的转移包格式版本“{found}”（本账本读取 volunteer-ledger/transfer@1 与 @2）",
        found = Clip(.found, WORD),
    )]
    TransferVersion {
        /// The format found.
        found: String,
    },
    /// A package or certificate comes from a ledger whose key is not on the trust list.
    #[error(
        "ledger {ledger} is not a trusted issuer here / 签发方 {ledger} 不在信任列表中",
        ledger = Clip(.ledger, WORD),
    )]
    UntrustedIssuer {
        /// The issuing ledger.
        ledger: String,
    },
    /// A signature does not match what it signs.
    #[error("the signature does not match: altered, or signed by another key / 签名校验失败")]
    BadSignature,
    /// The ledger has no signing key to sign with.
    #[error("this ledger has no signing key; set one first / 本账本尚未设置签名密钥")]
    NoSigningKey,
    /// What was asked needs a key this ledger does not have now: the ledger key (no key file,
    /// or the platform's provider does not resolve the id), or a volunteer's data key.
    #[error(
        "{what} is not available: the ledger key is needed and missing / 缺少{what}：需要账本密钥",
        what = Clip(.what, TEXT),
    )]
    KeyUnavailable {
        /// Which key, for what.
        what: String,
    },
    /// A volunteer's identity number was erased (PIPL Art. 47): it can no longer be shown.
    #[error(
        "volunteer {volunteer}: the identity number was erased / 志愿者 {volunteer}：证件号码已删除",
        volunteer = Clip(.volunteer, WORD),
    )]
    IdentityErased {
        /// The volunteer number.
        volunteer: String,
    },
    /// A package's volunteer does not match the local volunteer of that number.
    #[error(
        "volunteer {volunteer}: the package's identity does not match the volunteer registered here / 志愿者 {volunteer}：转移包中的身份与本地登记不符",
        volunteer = Clip(.volunteer, WORD),
    )]
    TransferIdentity {
        /// The volunteer number.
        volunteer: String,
    },
    /// A package was issued for another ledger.
    #[error(
        "the package is meant for ledger {destination}, not this one / 该转移包的接收方为 {destination}",
        destination = Clip(.destination, WORD),
    )]
    TransferDestination {
        /// The ledger named in the package.
        destination: String,
    },
    /// The volunteer has transferred out of this ledger.
    #[error(
        "volunteer {volunteer} has transferred out of this ledger / 志愿者 {volunteer} 已转出本账本",
        volunteer = Clip(.volunteer, WORD),
    )]
    TransferredOut {
        /// The volunteer number.
        volunteer: String,
    },
    /// A sync batch or sync receipt does not read as one (bad JSON, a missing field, too many
    /// records). Nothing was changed.
    #[error(
        "{what}: {detail} / 同步数据格式无效（{what}）：{detail}",
        what = Clip(.what, WORD), detail = Clip(.detail, TEXT),
    )]
    SyncFormat {
        /// `sync batch` or `sync receipt`.
        what: String,
        /// What is wrong (where, never the content).
        detail: String,
    },
    /// A sync batch or receipt has a format version this ledger does not know.
    #[error(
        "sync format '{found}' is not supported (this ledger reads volunteer-ledger/sync-batch@2 and sync-receipt@3) / 不支持的同步数据格式版本“{found}”（本账本读取 volunteer-ledger/sync-batch@2 与 sync-receipt@3）",
        found = Clip(.found, WORD),
    )]
    SyncVersion {
        /// The format found (at most 60 characters of it).
        found: String,
    },
    /// A sync batch is sent by another actor than the one who recorded it on the device.
    #[error(
        "the sync batch was recorded by actor {actor} but is sent by {sender}; a device's records are sent by the actor who recorded them / 同步批次的录入人 {actor} 与提交人 {sender} 不一致",
        actor = Clip(.actor, WORD), sender = Clip(.sender, WORD),
    )]
    SyncActor {
        /// The actor the batch names.
        actor: String,
        /// The actor sending it (as the platform authenticated them).
        sender: String,
    },
    /// A sync receipt answers another device's batch.
    #[error(
        "the sync receipt is for device {device}, not for this ledger ({this}) / 该同步回执属于设备 {device}，不属于本账本 {this}",
        device = Clip(.device, WORD), this = Clip(.this, WORD),
    )]
    SyncDevice {
        /// The device the receipt names.
        device: String,
        /// This ledger's id.
        this: String,
    },
    /// A sync receipt carries no signature (every `sync-receipt@1` receipt is unsigned).
    #[error(
        "the sync receipt is not signed ({detail}); only receipts signed by the sync server are applied / 同步回执未签名（{detail}），不予采用",
        detail = Clip(.detail, TEXT),
    )]
    SyncUnsigned {
        /// Why it counts as unsigned.
        detail: String,
    },
    /// A device was given a receipt before it was told which sync server to trust.
    #[error(
        "this device trusts no sync server yet; set the server's ledger id and public key first / 本设备尚未设置可信的同步服务器"
    )]
    SyncNoServer,
    /// A sync receipt is signed as another ledger, or with a key other than the trusted server's.
    #[error(
        "the sync receipt is signed as ledger {ledger} with a key that is not the trusted sync server's / 同步回执的签发方 {ledger} 不是本设备信任的同步服务器",
        ledger = Clip(.ledger, WORD),
    )]
    SyncUntrustedServer {
        /// The ledger the receipt names.
        ledger: String,
    },
    /// A sync receipt answers no batch this device is waiting on an answer for.
    #[error(
        "the sync receipt answers batch {batch}, which this device did not send or no longer waits on; its records stay to send / 该同步回执所答复的批次 {batch} 不是本设备待答复的批次",
        batch = Clip(.batch, WORD),
    )]
    SyncReceiptBatch {
        /// The batch hash the receipt names (at most 64 characters of it).
        batch: String,
    },
    /// A sync receipt's results are not the records of the batch it answers.
    #[error(
        "the sync receipt for batch {batch} {detail} / 同步回执与所答复批次 {batch} 的记录不符：{detail}",
        batch = Clip(.batch, WORD), detail = Clip(.detail, TEXT),
    )]
    SyncReceiptRecords {
        /// The batch hash.
        batch: String,
        /// What does not match (ids and positions only).
        detail: String,
    },
    /// A log does not extend a signed head its ledger issued, or a proof does not lead to the
    /// signed root: entries were removed or rewritten before the head.
    #[error(
        "the log does not match the signed head of {size} entries: {detail} / 日志与已签名的 {size} 条目检查点不符：{detail}",
        detail = Clip(.detail, TEXT),
    )]
    CheckpointMismatch {
        /// The size of the signed head at fault.
        size: u64,
        /// What does not match.
        detail: String,
    },
    /// A signed head or a proof is malformed.
    #[error(
        "signed head: {detail} / 签名检查点格式无效：{detail}",
        detail = Clip(.detail, TEXT),
    )]
    CheckpointFormat {
        /// What is wrong (which field, never the content).
        detail: String,
    },
    /// A certificate's JSON does not read as a certificate.
    #[error(
        "certificate: {detail} / 证明格式无效：{detail}",
        detail = Clip(.detail, TEXT),
    )]
    CertificateFormat {
        /// What is wrong (where, never the content).
        detail: String,
    },
    /// No certificate has this number or verification code.
    #[error(
        "no certificate has the code {code} / 未找到验证码为 {code} 的证明",
        code = Clip(.code, WORD),
    )]
    UnknownCertificate {
        /// The code asked for.
        code: String,
    },
    /// A volunteer joins a team they are in already.
    #[error(
        "team {team}: volunteer {volunteer} is a member already / 服务队 {team}：志愿者 {volunteer} 已是队员",
        team = Clip(.team, WORD), volunteer = Clip(.volunteer, WORD),
    )]
    AlreadyMember {
        /// The team.
        team: String,
        /// The volunteer number.
        volunteer: String,
    },
    /// A volunteer leaves a team they are not in.
    #[error(
        "team {team}: volunteer {volunteer} is not a member / 服务队 {team}：志愿者 {volunteer} 不是队员",
        team = Clip(.team, WORD), volunteer = Clip(.volunteer, WORD),
    )]
    NotMember {
        /// The team.
        team: String,
        /// The volunteer number.
        volunteer: String,
    },
    /// The leader or a liaison leaves their team.
    #[error(
        "team {team}: volunteer {volunteer} is its leader or a liaison and cannot leave it / 服务队 {team}：志愿者 {volunteer} 是队长或联络员，不能退队",
        team = Clip(.team, WORD), volunteer = Clip(.volunteer, WORD),
    )]
    OfficerLeaves {
        /// The team.
        team: String,
        /// The volunteer number.
        volunteer: String,
    },
    /// A team is not under the org it would organise for.
    #[error(
        "{what}: team {team} belongs to no org at or above org {org} / 服务队 {team} 不属于组织 {org} 或其上级（{what}）",
        what = Clip(.what, WORD), team = Clip(.team, WORD), org = Clip(.org, WORD),
    )]
    TeamOrg {
        /// The thing being changed (`activity A1`, `project P1`).
        what: String,
        /// The team.
        team: String,
        /// The org.
        org: String,
    },
    /// An activity id is unknown.
    #[error(
        "activity {id} does not exist / 活动 {id} 不存在",
        id = Clip(.id, WORD),
    )]
    UnknownActivity {
        /// The activity id.
        id: String,
    },
    /// A project id is unknown.
    #[error(
        "project {id} does not exist / 服务项目 {id} 不存在",
        id = Clip(.id, WORD),
    )]
    UnknownProject {
        /// The project id.
        id: String,
    },
    /// A project has been claimed already.
    #[error(
        "project {project} is claimed by team {team} already / 服务项目 {project} 已被服务队 {team} 认领",
        project = Clip(.project, WORD), team = Clip(.team, WORD),
    )]
    ProjectClaimed {
        /// The project.
        project: String,
        /// The team that claimed it.
        team: String,
    },
    /// An activity of a claimed project names another team.
    #[error(
        "activity {activity}: project {project} belongs to team {team}, not the team named / 活动 {activity}：服务项目 {project} 由服务队 {team} 认领",
        activity = Clip(.activity, WORD), project = Clip(.project, WORD), team = Clip(.team, WORD),
    )]
    ProjectTeam {
        /// The activity.
        activity: String,
        /// The project.
        project: String,
        /// The team that claimed it.
        team: String,
    },
    /// A record's org or team is not its activity's.
    #[error(
        "record {record}: its {field} is not the {field} of activity {activity} / 服务记录 {record}：{field} 与活动 {activity} 的 {field} 不一致",
        record = Clip(.record, WORD), field = Clip(.field, 16), activity = Clip(.activity, WORD),
    )]
    ActivityMismatch {
        /// The record.
        record: String,
        /// The activity.
        activity: String,
        /// `org` or `team`.
        field: String,
    },
    /// A make-up record claims more minutes than its activity's planned duration.
    #[error(
        "record {record}: a make-up record of {minutes} minutes exceeds the {planned} planned minutes of activity {activity} / 服务记录 {record}：补录时长 {minutes} 分钟超过活动 {activity} 计划时长 {planned} 分钟",
        record = Clip(.record, WORD), activity = Clip(.activity, WORD),
    )]
    MakeUpExceedsActivity {
        /// The record.
        record: String,
        /// The activity.
        activity: String,
        /// Minutes claimed.
        minutes: i64,
        /// The activity's planned minutes.
        planned: i64,
    },
    /// An evaluation is not 1 to 5.
    #[error(
        "activity {activity}: an evaluation is 1 to 5, not {score} / 活动 {activity}：评价应为 1 至 5 分，而非 {score}",
        activity = Clip(.activity, WORD),
    )]
    EvaluationScore {
        /// The activity.
        activity: String,
        /// The score given.
        score: i32,
    },
    /// An org of the wrong kind is named (a report-in to something that is not a community).
    #[error(
        "org {org} is not a {expected} / 组织 {org} 不是{expected_zh}",
        org = Clip(.org, WORD), expected = Clip(.expected, WORD),
        expected_zh = Clip(.expected_zh, ZH),
    )]
    OrgKind {
        /// The org.
        org: String,
        /// The kind expected (`community`, `work unit`).
        expected: String,
        /// The same in Chinese.
        expected_zh: String,
    },
    /// A large entry needs a second admin (four eyes) to confirm it.
    #[error(
        "record {record}: {minutes} minutes is more than {threshold}; only an admin other than the one who entered it confirms it / 服务记录 {record}：时长 {minutes} 分钟超过 {threshold} 分钟，须由录入人以外的管理员确认",
        record = Clip(.record, WORD),
    )]
    FourEyes {
        /// The record.
        record: String,
        /// Its minutes.
        minutes: u32,
        /// The policy's threshold.
        threshold: i32,
    },
    /// Nobody certifies their own hours: the actor is the volunteer of the record (or of the
    /// records a certificate would cover), whatever roles they hold.
    #[error(
        "record {record}: nobody {action} a record of their own service / 服务记录 {record}：任何人不得{action_zh}",
        record = Clip(.record, WORD), action = Clip(.action, WORD), action_zh = Clip(.action_zh, ZH),
    )]
    OwnRecord {
        /// The record (for a certificate, the first record it would cover).
        record: String,
        /// What was attempted (`confirms`, `amends`, `resolves a dispute of`, `certifies`).
        action: String,
        /// The same in Chinese, with its object (`确认本人的服务记录` …).
        action_zh: String,
    },
    /// An uploaded sheet goes past one of the reader's limits (file size, rows, columns, cells,
    /// the text of a cell, the unpacked size of an xlsx workbook): it is refused as a whole,
    /// before anything of it is recorded. The limits are the consts of
    /// [`crate::sheet_limits`].
    #[error(
        "sheet too large: {what} is beyond the limit of {limit} / 表格超出上传限制：{what_zh}超过上限 {limit}",
        what = Clip(.what, TEXT), what_zh = Clip(.what_zh, ZH),
    )]
    UploadTooLarge {
        /// What goes past the limit, and where (`the file size in bytes`, `the cells of row 5`).
        what: String,
        /// The same in Chinese.
        what_zh: String,
        /// The limit.
        limit: u64,
    },
    /// A policy does not parse or breaks its own constraints.
    #[error(
        "policy: {detail} / 政策配置无效：{detail}",
        detail = Clip(.detail, TEXT),
    )]
    Policy {
        /// What is wrong.
        detail: String,
    },
}

/// Splits a message written "English / 中文" at the first " / " followed by a Chinese
/// character; a message with no such split is both halves.
pub(crate) fn split_languages(msg: &str) -> (String, String) {
    let is_cjk =
        |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c);
    let mut from = 0;
    while let Some(i) = msg
        .get(from..)
        .and_then(|s| s.find(" / "))
        .map(|i| i + from)
    {
        let rest = msg.get(i + 3..).unwrap_or_default();
        if rest.chars().next().is_some_and(is_cjk) {
            return (msg.get(..i).unwrap_or(msg).to_owned(), rest.to_owned());
        }
        from = i + 3;
    }
    (msg.to_owned(), msg.to_owned())
}

impl LedgerError {
    /// The message in English and in Chinese (the two halves of `Display`).
    pub fn messages(&self) -> (String, String) {
        split_languages(&self.to_string())
    }

    /// The error's values by the names of its fields (`record`, `actor`, `seq`, `detail` …),
    /// each as text and cut as the message cuts it (120 characters at most, with `…`):
    /// what the bindings attach to their exceptions. Empty for an error with no values.
    pub fn fields(&self) -> std::collections::BTreeMap<String, String> {
        let mut out = std::collections::BTreeMap::new();
        let Ok(serde_json::Value::Object(outer)) = serde_json::to_value(self) else {
            return out;
        };
        for (_, inner) in outer {
            let serde_json::Value::Object(values) = inner else {
                continue;
            };
            for (name, value) in values {
                let text = match value {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                out.insert(name, Clip(&text, TEXT).to_string());
            }
        }
        out
    }

    /// The stable machine code of this error, such as `E_OVERLAP`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IdentityFormat { .. } => "E_IDENTITY_FORMAT",
            Self::IdentityChecksum => "E_IDENTITY_CHECKSUM",
            Self::IdentityBirthDate { .. } => "E_IDENTITY_BIRTH_DATE",
            Self::InvalidPeriod { .. } => "E_PERIOD",
            Self::InvalidField { .. } => "E_FIELD",
            Self::EndNotAfterStart { .. } => "E_END_NOT_AFTER_START",
            Self::MinutesExceedSpan { .. } => "E_MINUTES_EXCEED_SPAN",
            Self::ZeroMinutes { .. } => "E_ZERO_MINUTES",
            Self::Future { .. } => "E_FUTURE",
            Self::Overlap { .. } => "E_OVERLAP",
            Self::DailyCap { .. } => "E_DAILY_CAP",
            Self::CheckInLimit { .. } => "E_CHECKIN_LIMIT",
            Self::PaidService { .. } => "E_PAID_SERVICE",
            Self::JobDuty { .. } => "E_JOB_DUTY",
            Self::NotPublicBenefit { .. } => "E_NOT_PUBLIC_BENEFIT",
            Self::MakeUpNeedsOrgAdmin { .. } => "E_MAKEUP_NEEDS_ORG_ADMIN",
            Self::Forbidden { .. } => "E_FORBIDDEN",
            Self::SelfConfirm { .. } => "E_SELF_CONFIRM",
            Self::UnknownVolunteer { .. } => "E_UNKNOWN_VOLUNTEER",
            Self::UnknownOrg { .. } => "E_UNKNOWN_ORG",
            Self::UnknownTeam { .. } => "E_UNKNOWN_TEAM",
            Self::UnknownRecord { .. } => "E_UNKNOWN_RECORD",
            Self::UnknownEntry { .. } => "E_UNKNOWN_ENTRY",
            Self::Duplicate { .. } => "E_DUPLICATE",
            Self::DuplicateIdentity { .. } => "E_DUPLICATE_IDENTITY",
            Self::RecordIdConflict { .. } => "E_RECORD_ID_CONFLICT",
            Self::InvalidState { .. } => "E_INVALID_STATE",
            Self::ChainBroken { .. } => "E_CHAIN_BROKEN",
            Self::ReplayRefused { .. } => "E_REPLAY_REFUSED",
            Self::Policy { .. } => "E_POLICY",
            Self::TransferFormat { .. } => "E_TRANSFER_FORMAT",
            Self::TransferVersion { .. } => "E_TRANSFER_VERSION",
            Self::UntrustedIssuer { .. } => "E_UNTRUSTED_ISSUER",
            Self::BadSignature => "E_BAD_SIGNATURE",
            Self::NoSigningKey => "E_NO_SIGNING_KEY",
            Self::KeyUnavailable { .. } => "E_KEY_UNAVAILABLE",
            Self::IdentityErased { .. } => "E_IDENTITY_ERASED",
            Self::TransferIdentity { .. } => "E_TRANSFER_IDENTITY",
            Self::TransferDestination { .. } => "E_TRANSFER_DESTINATION",
            Self::TransferredOut { .. } => "E_TRANSFERRED_OUT",
            Self::SyncFormat { .. } => "E_SYNC_FORMAT",
            Self::SyncVersion { .. } => "E_SYNC_VERSION",
            Self::SyncActor { .. } => "E_SYNC_ACTOR",
            Self::SyncDevice { .. } => "E_SYNC_DEVICE",
            Self::SyncUnsigned { .. } => "E_SYNC_UNSIGNED",
            Self::SyncNoServer => "E_SYNC_NO_SERVER",
            Self::SyncUntrustedServer { .. } => "E_SYNC_UNTRUSTED_SERVER",
            Self::SyncReceiptBatch { .. } => "E_SYNC_RECEIPT_BATCH",
            Self::SyncReceiptRecords { .. } => "E_SYNC_RECEIPT_RECORDS",
            Self::UnknownCertificate { .. } => "E_UNKNOWN_CERTIFICATE",
            Self::CertificateFormat { .. } => "E_CERTIFICATE_FORMAT",
            Self::CheckpointMismatch { .. } => "E_CHECKPOINT_MISMATCH",
            Self::CheckpointFormat { .. } => "E_CHECKPOINT_FORMAT",
            Self::Storage { .. } => "E_STORAGE",
            Self::SchemaVersion { .. } => "E_SCHEMA_VERSION",
            Self::NotALedger { .. } => "E_NOT_A_LEDGER",
            Self::AlreadyMember { .. } => "E_ALREADY_MEMBER",
            Self::NotMember { .. } => "E_NOT_MEMBER",
            Self::OfficerLeaves { .. } => "E_OFFICER_LEAVES",
            Self::TeamOrg { .. } => "E_TEAM_ORG",
            Self::UnknownActivity { .. } => "E_UNKNOWN_ACTIVITY",
            Self::UnknownProject { .. } => "E_UNKNOWN_PROJECT",
            Self::ProjectClaimed { .. } => "E_PROJECT_CLAIMED",
            Self::ProjectTeam { .. } => "E_PROJECT_TEAM",
            Self::ActivityMismatch { .. } => "E_ACTIVITY_MISMATCH",
            Self::MakeUpExceedsActivity { .. } => "E_MAKEUP_EXCEEDS_ACTIVITY",
            Self::EvaluationScore { .. } => "E_EVALUATION_SCORE",
            Self::OrgKind { .. } => "E_ORG_KIND",
            Self::FourEyes { .. } => "E_FOUR_EYES",
            Self::OwnRecord { .. } => "E_OWN_RECORD",
            Self::UploadTooLarge { .. } => "E_UPLOAD_TOO_LARGE",
        }
    }

    /// The family of this error; bindings raise one exception class per family.
    pub fn family(&self) -> ErrorFamily {
        use ErrorFamily as F;
        match self {
            Self::IdentityFormat { .. }
            | Self::IdentityChecksum
            | Self::IdentityBirthDate { .. }
            | Self::InvalidPeriod { .. }
            | Self::InvalidField { .. } => F::Input,
            Self::EndNotAfterStart { .. }
            | Self::MinutesExceedSpan { .. }
            | Self::ZeroMinutes { .. }
            | Self::Future { .. }
            | Self::Overlap { .. }
            | Self::DailyCap { .. }
            | Self::CheckInLimit { .. }
            | Self::PaidService { .. }
            | Self::JobDuty { .. }
            | Self::NotPublicBenefit { .. } => F::Validation,
            Self::MakeUpNeedsOrgAdmin { .. }
            | Self::Forbidden { .. }
            | Self::SelfConfirm { .. } => F::Authorization,
            Self::UnknownVolunteer { .. }
            | Self::UnknownOrg { .. }
            | Self::UnknownTeam { .. }
            | Self::UnknownRecord { .. }
            | Self::UnknownEntry { .. } => F::NotFound,
            Self::Duplicate { .. }
            | Self::DuplicateIdentity { .. }
            | Self::RecordIdConflict { .. } => F::Conflict,
            Self::InvalidState { .. } => F::State,
            Self::ChainBroken { .. } | Self::ReplayRefused { .. } => F::Integrity,
            Self::Policy { .. } => F::Policy,
            Self::TransferFormat { .. }
            | Self::CertificateFormat { .. }
            | Self::CheckpointMismatch { .. }
            | Self::CheckpointFormat { .. }
            | Self::TransferVersion { .. }
            | Self::BadSignature
            | Self::TransferIdentity { .. }
            | Self::TransferDestination { .. } => F::Integrity,
            Self::UntrustedIssuer { .. } => F::Authorization,
            Self::NoSigningKey
            | Self::TransferredOut { .. }
            | Self::KeyUnavailable { .. }
            | Self::IdentityErased { .. } => F::State,
            Self::UnknownCertificate { .. } => F::NotFound,
            Self::Storage { .. } => F::Storage,
            Self::SchemaVersion { .. } | Self::NotALedger { .. } => F::Integrity,
            Self::SyncFormat { .. } | Self::SyncVersion { .. } | Self::SyncDevice { .. } => {
                F::Input
            }
            Self::SyncActor { .. } => F::Authorization,
            Self::SyncUnsigned { .. }
            | Self::SyncReceiptBatch { .. }
            | Self::SyncReceiptRecords { .. } => F::Integrity,
            Self::SyncUntrustedServer { .. } => F::Authorization,
            Self::SyncNoServer => F::State,
            Self::AlreadyMember { .. }
            | Self::NotMember { .. }
            | Self::OfficerLeaves { .. }
            | Self::ProjectClaimed { .. } => F::State,
            Self::UnknownActivity { .. } | Self::UnknownProject { .. } => F::NotFound,
            Self::TeamOrg { .. }
            | Self::ProjectTeam { .. }
            | Self::ActivityMismatch { .. }
            | Self::MakeUpExceedsActivity { .. }
            | Self::OrgKind { .. } => F::Validation,
            Self::EvaluationScore { .. } => F::Input,
            Self::FourEyes { .. } | Self::OwnRecord { .. } => F::Authorization,
            Self::UploadTooLarge { .. } => F::Input,
        }
    }

    /// Every code the core can return, for bindings and docs that enumerate them.
    pub const ALL_CODES: &'static [&'static str] = &[
        "E_IDENTITY_FORMAT",
        "E_IDENTITY_CHECKSUM",
        "E_IDENTITY_BIRTH_DATE",
        "E_PERIOD",
        "E_FIELD",
        "E_END_NOT_AFTER_START",
        "E_MINUTES_EXCEED_SPAN",
        "E_ZERO_MINUTES",
        "E_FUTURE",
        "E_OVERLAP",
        "E_DAILY_CAP",
        "E_CHECKIN_LIMIT",
        "E_PAID_SERVICE",
        "E_JOB_DUTY",
        "E_NOT_PUBLIC_BENEFIT",
        "E_MAKEUP_NEEDS_ORG_ADMIN",
        "E_FORBIDDEN",
        "E_SELF_CONFIRM",
        "E_UNKNOWN_VOLUNTEER",
        "E_UNKNOWN_ORG",
        "E_UNKNOWN_TEAM",
        "E_UNKNOWN_RECORD",
        "E_UNKNOWN_ENTRY",
        "E_DUPLICATE",
        "E_DUPLICATE_IDENTITY",
        "E_RECORD_ID_CONFLICT",
        "E_INVALID_STATE",
        "E_CHAIN_BROKEN",
        "E_REPLAY_REFUSED",
        "E_POLICY",
        "E_TRANSFER_FORMAT",
        "E_TRANSFER_VERSION",
        "E_UNTRUSTED_ISSUER",
        "E_BAD_SIGNATURE",
        "E_NO_SIGNING_KEY",
        "E_TRANSFER_IDENTITY",
        "E_TRANSFER_DESTINATION",
        "E_TRANSFERRED_OUT",
        "E_SYNC_FORMAT",
        "E_SYNC_VERSION",
        "E_SYNC_ACTOR",
        "E_SYNC_DEVICE",
        "E_SYNC_UNSIGNED",
        "E_SYNC_NO_SERVER",
        "E_SYNC_UNTRUSTED_SERVER",
        "E_SYNC_RECEIPT_BATCH",
        "E_SYNC_RECEIPT_RECORDS",
        "E_UNKNOWN_CERTIFICATE",
        "E_CERTIFICATE_FORMAT",
        "E_CHECKPOINT_MISMATCH",
        "E_CHECKPOINT_FORMAT",
        "E_STORAGE",
        "E_SCHEMA_VERSION",
        "E_NOT_A_LEDGER",
        "E_ALREADY_MEMBER",
        "E_NOT_MEMBER",
        "E_OFFICER_LEAVES",
        "E_TEAM_ORG",
        "E_UNKNOWN_ACTIVITY",
        "E_UNKNOWN_PROJECT",
        "E_PROJECT_CLAIMED",
        "E_PROJECT_TEAM",
        "E_ACTIVITY_MISMATCH",
        "E_MAKEUP_EXCEEDS_ACTIVITY",
        "E_EVALUATION_SCORE",
        "E_ORG_KIND",
        "E_FOUR_EYES",
        "E_OWN_RECORD",
        "E_UPLOAD_TOO_LARGE",
        "E_KEY_UNAVAILABLE",
        "E_IDENTITY_ERASED",
    ];
}

/// The result type of the core.
pub type Result<T, E = LedgerError> = std::result::Result<T, E>;

/// A helper to build [`LedgerError::InvalidField`].
pub(crate) fn invalid_field(
    what: impl fmt::Display,
    field: &str,
    detail: impl Into<String>,
) -> LedgerError {
    LedgerError::InvalidField {
        what: what.to_string(),
        field: field.to_owned(),
        detail: detail.into(),
    }
}

/// A count or a sequence number as the signed integer the bindings give Java callers (which
/// have no unsigned types): exact below `i64::MAX`, which no ledger reaches.
pub(crate) fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A count, limit or sequence number given as a signed integer (as Java callers of the
/// bindings give them) for a rule that needs it unsigned: a negative one, or one beyond
/// `T`'s range, is refused with `E_FIELD` naming `field`.
///
/// ```
/// use volunteer_ledger::error::non_negative;
/// assert_eq!(non_negative::<u32>("limit", 10), Ok(10));
/// assert_eq!(non_negative::<u32>("limit", -1).unwrap_err().code(), "E_FIELD");
/// assert_eq!(non_negative::<u32>("limit", i64::from(u32::MAX) + 1).unwrap_err().code(), "E_FIELD");
/// assert_eq!(non_negative::<u64>("seq", 0), Ok(0));
/// ```
pub fn non_negative<T: TryFrom<i64>>(field: &str, value: i64) -> Result<T> {
    T::try_from(value).map_err(|_| {
        invalid_field(
            "argument",
            field,
            if value < 0 {
                format!("{value} is negative")
            } else {
                format!("{value} is too large")
            },
        )
    })
}

/// A signed number of the policy or of the bindings' types, as the unsigned number a rule
/// counts in; validation refuses negatives before any rule reads them, and a negative one
/// that slipped through counts as zero rather than wrapping around.
pub(crate) fn count(x: impl Into<i64>) -> u64 {
    u64::try_from(x.into()).unwrap_or(0)
}

/// What kind of JSON problem, without quoting the text.
pub(crate) fn json_problem(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "a field is missing, unknown or of the wrong type",
        serde_json::error::Category::Eof => "cut short",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant, each text in it `h`.
    fn every_variant(h: &str) -> Vec<LedgerError> {
        let h = h.to_owned();
        vec![
            LedgerError::IdentityFormat {
                kind: h.clone(),
                detail: h.clone(),
            },
            LedgerError::IdentityChecksum,
            LedgerError::IdentityBirthDate { detail: h.clone() },
            LedgerError::InvalidPeriod {
                text: h.clone(),
                detail: h.clone(),
            },
            LedgerError::InvalidField {
                what: h.clone(),
                field: h.clone(),
                detail: h.clone(),
            },
            LedgerError::EndNotAfterStart { record: h.clone() },
            LedgerError::MinutesExceedSpan {
                record: h.clone(),
                minutes: i64::MAX,
                span: i64::MAX,
            },
            LedgerError::ZeroMinutes { record: h.clone() },
            LedgerError::Future { record: h.clone() },
            LedgerError::Overlap {
                record: h.clone(),
                other: h.clone(),
            },
            LedgerError::DailyCap {
                record: h.clone(),
                day: h.clone(),
                total: u64::MAX,
                cap: i32::MAX,
            },
            LedgerError::CheckInLimit {
                record: h.clone(),
                day: h.clone(),
                limit: i32::MAX,
            },
            LedgerError::PaidService { record: h.clone() },
            LedgerError::JobDuty { record: h.clone() },
            LedgerError::NotPublicBenefit { record: h.clone() },
            LedgerError::MakeUpNeedsOrgAdmin {
                record: h.clone(),
                window: i32::MAX,
            },
            LedgerError::Forbidden {
                actor: h.clone(),
                action: h.clone(),
                rule: h.clone(),
            },
            LedgerError::SelfConfirm { record: h.clone() },
            LedgerError::UnknownVolunteer { id: h.clone() },
            LedgerError::UnknownOrg { id: h.clone() },
            LedgerError::UnknownTeam { id: h.clone() },
            LedgerError::UnknownRecord { id: h.clone() },
            LedgerError::UnknownEntry {
                seq: u64::MAX,
                len: u64::MAX,
            },
            LedgerError::Duplicate {
                what: h.clone(),
                id: h.clone(),
            },
            LedgerError::DuplicateIdentity { id: h.clone() },
            LedgerError::RecordIdConflict { record: h.clone() },
            LedgerError::InvalidState {
                record: h.clone(),
                state: h.clone(),
                action: h.clone(),
            },
            LedgerError::ChainBroken {
                seq: u64::MAX,
                detail: h.clone(),
            },
            LedgerError::ReplayRefused {
                seq: u64::MAX,
                detail: h.clone(),
            },
            LedgerError::Storage {
                path: h.clone(),
                detail: h.clone(),
                detail_zh: h.clone(),
            },
            LedgerError::SchemaVersion {
                path: h.clone(),
                found: i64::MAX,
                supported: i64::MAX,
            },
            LedgerError::NotALedger {
                path: h.clone(),
                detail: h.clone(),
            },
            LedgerError::TransferFormat { detail: h.clone() },
            LedgerError::TransferVersion { found: h.clone() },
            LedgerError::UntrustedIssuer { ledger: h.clone() },
            LedgerError::BadSignature,
            LedgerError::NoSigningKey,
            LedgerError::TransferIdentity {
                volunteer: h.clone(),
            },
            LedgerError::TransferDestination {
                destination: h.clone(),
            },
            LedgerError::TransferredOut {
                volunteer: h.clone(),
            },
            LedgerError::SyncFormat {
                what: h.clone(),
                detail: h.clone(),
            },
            LedgerError::SyncVersion { found: h.clone() },
            LedgerError::SyncActor {
                actor: h.clone(),
                sender: h.clone(),
            },
            LedgerError::SyncDevice {
                device: h.clone(),
                this: h.clone(),
            },
            LedgerError::CertificateFormat { detail: h.clone() },
            LedgerError::UnknownCertificate { code: h.clone() },
            LedgerError::AlreadyMember {
                team: h.clone(),
                volunteer: h.clone(),
            },
            LedgerError::NotMember {
                team: h.clone(),
                volunteer: h.clone(),
            },
            LedgerError::OfficerLeaves {
                team: h.clone(),
                volunteer: h.clone(),
            },
            LedgerError::TeamOrg {
                what: h.clone(),
                team: h.clone(),
                org: h.clone(),
            },
            LedgerError::UnknownActivity { id: h.clone() },
            LedgerError::UnknownProject { id: h.clone() },
            LedgerError::ProjectClaimed {
                project: h.clone(),
                team: h.clone(),
            },
            LedgerError::ProjectTeam {
                activity: h.clone(),
                project: h.clone(),
                team: h.clone(),
            },
            LedgerError::ActivityMismatch {
                record: h.clone(),
                activity: h.clone(),
                field: h.clone(),
            },
            LedgerError::MakeUpExceedsActivity {
                record: h.clone(),
                activity: h.clone(),
                minutes: i64::MAX,
                planned: i64::MAX,
            },
            LedgerError::EvaluationScore {
                activity: h.clone(),
                score: i32::MAX,
            },
            LedgerError::OrgKind {
                org: h.clone(),
                expected: h.clone(),
                expected_zh: h.clone(),
            },
            LedgerError::FourEyes {
                record: h.clone(),
                minutes: u32::MAX,
                threshold: i32::MAX,
            },
            LedgerError::OwnRecord {
                record: h.clone(),
                action: h.clone(),
                action_zh: h.clone(),
            },
            LedgerError::UploadTooLarge {
                what: h.clone(),
                what_zh: h.clone(),
                limit: u64::MAX,
            },
            LedgerError::SyncUnsigned { detail: h.clone() },
            LedgerError::SyncNoServer,
            LedgerError::KeyUnavailable { what: h.clone() },
            LedgerError::IdentityErased {
                volunteer: h.clone(),
            },
            LedgerError::CheckpointMismatch {
                size: u64::MAX,
                detail: h.clone(),
            },
            LedgerError::CheckpointFormat { detail: h.clone() },
            LedgerError::SyncUntrustedServer { ledger: h.clone() },
            LedgerError::SyncReceiptBatch { batch: h.clone() },
            LedgerError::SyncReceiptRecords {
                batch: h.clone(),
                detail: h.clone(),
            },
            LedgerError::Policy { detail: h.clone() },
        ]
    }

    #[test]
    fn every_message_is_bounded_whatever_its_values() {
        for h in [
            "x".repeat(1 << 20),
            "志".repeat(300_000),
            "a b ".repeat(100_000),
        ] {
            let all = every_variant(&h);
            let mut codes: Vec<&str> = all.iter().map(LedgerError::code).collect();
            let mut want = LedgerError::ALL_CODES.to_vec();
            codes.sort_unstable();
            want.sort_unstable();
            assert_eq!(codes, want, "every variant is tried");
            for e in &all {
                let m = e.to_string();
                assert!(
                    m.chars().count() <= MESSAGE_MAX_CHARS,
                    "{}: {} characters",
                    e.code(),
                    m.chars().count()
                );
            }
        }
    }

    #[test]
    fn every_message_has_an_english_and_a_chinese_half_with_the_same_details() {
        let value = "Qx7";
        let cjk = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
        let mut wrong = Vec::new();
        for e in every_variant(value) {
            let (en, zh) = e.messages();
            let fits = !en.chars().any(cjk)
                && zh.chars().next().is_some_and(cjk)
                && e.to_string() == format!("{en} / {zh}")
                && zh.matches(value).count() >= en.matches(value).count();
            if !fits {
                wrong.push(format!("{}: {en:?} / {zh:?}", e.code()));
            }
        }
        // The English half has no Chinese; the Chinese half begins in Chinese (so that the two
        // are told apart) and gives every detail the English half gives.
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn fields_name_each_value_of_an_error_and_cut_long_ones() {
        let e = LedgerError::Overlap {
            record: "R1".into(),
            other: "R0".into(),
        };
        let fields = e.fields();
        assert_eq!(fields.get("record").map(String::as_str), Some("R1"));
        assert_eq!(fields.get("other").map(String::as_str), Some("R0"));
        assert_eq!(fields.len(), 2);
        assert!(LedgerError::IdentityChecksum.fields().is_empty());
        let e = LedgerError::UnknownEntry { seq: 7, len: 3 };
        assert_eq!(e.fields().get("seq").map(String::as_str), Some("7"));
        for e in every_variant(&"x".repeat(1 << 16)) {
            assert!(
                e.fields().values().all(|v| v.chars().count() <= TEXT),
                "{}",
                e.code()
            );
        }
    }

    #[test]
    fn short_values_are_shown_whole_and_long_ones_cut_with_an_ellipsis() {
        let id = "V".repeat(64);
        let e = LedgerError::UnknownVolunteer { id: id.clone() };
        assert_eq!(
            e.to_string(),
            format!("volunteer {id} is not registered / 志愿者 {id} 未注册")
        );
        let e = LedgerError::UnknownVolunteer { id: "V".repeat(65) };
        let cut = format!("{}…", "V".repeat(63));
        assert_eq!(
            e.to_string(),
            format!("volunteer {cut} is not registered / 志愿者 {cut} 未注册")
        );
        assert_eq!(Clip(&"志愿者编号", 3).to_string(), "志愿…");
        assert_eq!(Clip(&"志愿者", 3).to_string(), "志愿者");
        assert_eq!(Clip(&12345, 3).to_string(), "12…");
    }
}
