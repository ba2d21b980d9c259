//! [`LedgerError`]: every refusal of the core as a variant, with its values and its message in
//! English and Chinese (each value cut to its width).

use super::clip::{Clip, PATH, TEXT, WORD, ZH};

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
    /// A certificate template (a district's own layout) does not parse or fails to render.
    #[error(
        "certificate template, line {line}: {detail} / 证明模板第 {line} 行有误：{detail_zh}",
        detail = Clip(.detail, TEXT), detail_zh = Clip(.detail_zh, ZH),
    )]
    CertificateTemplate {
        /// The template's line at fault (1 for the first; 0 when the template as a whole is).
        line: u64,
        /// What is wrong, in English (never a value from the certificate).
        detail: String,
        /// What is wrong, in Chinese.
        detail_zh: String,
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
