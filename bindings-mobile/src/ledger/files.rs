//! Sheets and files: uploading a sheet of records (or trying it dry), exporting the records
//! of a volunteer or an org's subtree as an xlsx or CSV file, and an org subtree's data sets
//! for another volunteer information system (the exchange export).

use vl::OrgId;
use vl::{
    ExportFormat, ImportOptions, ImportReport, Language, Period, RecordScope, RegisterReport,
};
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::parse;
use crate::errors::Result;
use crate::progress::{ProgressListener, with_progress};

#[uniffi::export]
impl Ledger {
    /// Uploads a sheet's bytes (CSV or xlsx): each row is added on its own and each refused
    /// row reported with its code and column. A dry run writes nothing and says what an upload
    /// would do. Refuses only a sheet that cannot be read, or a failed write (`E_STORAGE`,
    /// nothing of the sheet written). Without `options`, the defaults (`default_import_options`).
    #[uniffi::method(default(options = None, dry_run = false))]
    pub fn upload(
        &self,
        actor: String,
        bytes: Vec<u8>,
        options: Option<ImportOptions>,
        dry_run: bool,
    ) -> Result<ImportReport> {
        self.sheet_told((actor, bytes), options, dry_run, None, vl::upload)
    }

    /// `upload`, telling `progress` the rows done (`0` of the total, every 1000, the end).
    #[uniffi::method(default(options = None, dry_run = false))]
    pub fn upload_with_progress(
        &self,
        actor: String,
        bytes: Vec<u8>,
        progress: Box<dyn ProgressListener>,
        options: Option<ImportOptions>,
        dry_run: bool,
    ) -> Result<ImportReport> {
        self.sheet_told((actor, bytes), options, dry_run, Some(progress), vl::upload)
    }

    /// Uploads a volunteer sheet (姓名, 证件类型, 证件号码, 志愿者编号, 所属组织, 手机): each
    /// person registered on their own, numbers made for rows without one, people registered
    /// before counted as duplicates, each refused row reported. One transaction; a dry run
    /// writes nothing. Without `options`, the defaults (`default_import_options`).
    #[uniffi::method(default(options = None, dry_run = false))]
    pub fn upload_volunteers(
        &self,
        actor: String,
        bytes: Vec<u8>,
        options: Option<ImportOptions>,
        dry_run: bool,
    ) -> Result<RegisterReport> {
        self.sheet_told(
            (actor, bytes),
            options,
            dry_run,
            None,
            vl::upload_volunteers,
        )
    }

    /// `upload_volunteers`, telling `progress` the rows done (`0` of the total, every 1000, the end).
    #[uniffi::method(default(options = None, dry_run = false))]
    pub fn upload_volunteers_with_progress(
        &self,
        actor: String,
        bytes: Vec<u8>,
        progress: Box<dyn ProgressListener>,
        options: Option<ImportOptions>,
        dry_run: bool,
    ) -> Result<RegisterReport> {
        self.sheet_told(
            (actor, bytes),
            options,
            dry_run,
            Some(progress),
            vl::upload_volunteers,
        )
    }

    /// Uploads an org-tree sheet (名称, 类型, 上级组织, 组织编号): each org registered under
    /// its parent (by id or unique name), ids made for rows without one. One transaction; a
    /// dry run writes nothing. Without `options`, the defaults (`default_import_options`).
    #[uniffi::method(default(options = None, dry_run = false))]
    pub fn upload_orgs(
        &self,
        actor: String,
        bytes: Vec<u8>,
        options: Option<ImportOptions>,
        dry_run: bool,
    ) -> Result<RegisterReport> {
        self.sheet_told((actor, bytes), options, dry_run, None, vl::upload_orgs)
    }

    /// `upload_orgs`, telling `progress` the rows done (`0` of the total, every 1000, the end).
    #[uniffi::method(default(options = None, dry_run = false))]
    pub fn upload_orgs_with_progress(
        &self,
        actor: String,
        bytes: Vec<u8>,
        progress: Box<dyn ProgressListener>,
        options: Option<ImportOptions>,
        dry_run: bool,
    ) -> Result<RegisterReport> {
        self.sheet_told(
            (actor, bytes),
            options,
            dry_run,
            Some(progress),
            vl::upload_orgs,
        )
    }

    /// Records served by a volunteer or at an org's subtree in a period, as a file's bytes
    /// (xlsx or CSV), names masked, identity numbers never written; headers in Chinese unless
    /// `language` says otherwise.
    #[uniffi::method(default(language = None))]
    pub fn records_file(
        &self,
        scope: RecordScope,
        period: String,
        format: ExportFormat,
        language: Option<Language>,
    ) -> Result<Vec<u8>> {
        let language = language.unwrap_or_default();
        let period: Period = parse(&period)?;
        let ledger = self.lock()?;
        Ok(vl::records_file(&ledger, scope, period, format, language)?)
    }

    /// An org subtree's volunteers (masked), teams, projects, service records, training,
    /// commendations and activity evaluations in a period, for another volunteer information
    /// system: xlsx, a workbook with a sheet per data set; CSV, a zip of one CSV per data set.
    /// Headers are the data item names in Chinese, or English keys (`docs/exchange.md`);
    /// Chinese unless `language` says otherwise.
    #[uniffi::method(default(language = None))]
    pub fn exchange_file(
        &self,
        org: String,
        period: String,
        format: ExportFormat,
        language: Option<Language>,
    ) -> Result<Vec<u8>> {
        let language = language.unwrap_or_default();
        let org: OrgId = parse(&org)?;
        let period: Period = parse(&period)?;
        let ledger = self.lock()?;
        Ok(vl::exchange_file(&ledger, &org, period, format, language)?)
    }
}

/// The sheet uploads, with a progress listener or none.
impl Ledger {
    fn sheet_told<R>(
        &self,
        (actor, bytes): (String, Vec<u8>),
        options: Option<ImportOptions>,
        dry_run: bool,
        progress: Option<Box<dyn ProgressListener>>,
        upload: SheetUpload<R>,
    ) -> Result<R> {
        let actor = parse(&actor)?;
        let options = options.unwrap_or_default();
        let mut ledger = self.lock()?;
        let report = with_progress(progress, |p| {
            upload(&mut ledger, &actor, &bytes, &options, dry_run, p)
        });
        Ok(report?)
    }
}

/// `vl::upload`, `vl::upload_volunteers` or `vl::upload_orgs`.
type SheetUpload<R> = fn(
    &mut vl::Ledger,
    &vl::ActorId,
    &[u8],
    &ImportOptions,
    bool,
    vl::Progress<'_>,
) -> vl::Result<R>;
