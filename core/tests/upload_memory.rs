//! Hostile sheets are read or refused within a bounded resident memory, never aborting.
//! Each sheet is read by a child process — this test binary run again for one sheet — which
//! reports its peak resident set (`VmHWM`); an abort would end only the child. The sheets'
//! cell addresses, padding, shared strings or columns would make a reader sized by what the
//! sheet claims ask for gigabytes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use rust_xlsxwriter::{Format, Workbook};
use std::io::Write;
use std::process::Command;
use volunteer_ledger::import::{ImportOptions, read_sheet, upload};
use volunteer_ledger::*;

/// Well below the 256 MiB any sheet of up to 10 MB may take, the whole process counted.
const BUDGET_KB: u64 = 160 << 10;

/// Where the child finds the sheet it reads.
const SHEET_FILE: &str = "VL_UPLOAD_MEMORY_SHEET";

/// Reads `bytes` in a child process with `read_sheet` and uploads them (dry run) into a small
/// ledger; asserts the child's peak resident set is within the budget and that it answered:
/// the data rows read, or the code of the sheet's refusal.
fn read_within_budget(what: &str, bytes: &[u8]) -> Result<usize, String> {
    assert!(bytes.len() <= 10 << 20, "{what}: {} bytes", bytes.len());
    let path = std::env::temp_dir().join(format!(
        "vl-upload-memory-{}-{}",
        std::process::id(),
        what.replace(' ', "-")
    ));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_reads_the_sheet_it_is_given",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(SHEET_FILE, &path)
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{what}: the child failed ({:?}): {stdout} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("ANSWER ").map(|(_, a)| a))
        .unwrap_or_else(|| panic!("{what}: no answer in {stdout}"));
    let (answer, hwm) = line.split_once(" HWM ").unwrap();
    let hwm: u64 = hwm.trim().parse().unwrap();
    eprintln!("{what}: {answer}, peak resident {} MiB", hwm >> 10);
    assert!(hwm < BUDGET_KB, "{what}: peak resident {} MiB", hwm >> 10);
    match answer.strip_prefix("rows ") {
        Some(n) => Ok(n.parse().unwrap()),
        None => Err(answer.to_owned()),
    }
}

/// The child's part: reads the sheet it is given (nothing when run as a test of its own).
#[test]
fn child_reads_the_sheet_it_is_given() {
    let Some(path) = std::env::var_os(SHEET_FILE) else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    let read = read_sheet(&bytes, &ImportOptions::default());
    let admin: ActorId = "admin".parse().unwrap();
    let mut l = Ledger::in_memory(LedgerConfig::new(
        "t".parse().unwrap(),
        "测试区",
        admin.clone(),
    ))
    .unwrap();
    let report = upload(
        &mut l,
        &admin,
        &bytes,
        &ImportOptions::default(),
        true,
        Progress::none(),
    );
    let answer = match (&read, report) {
        (Ok(sheet), Ok(report)) => {
            let listed = sheet.rows.len() + sheet.unlisted_problems as usize;
            assert_eq!(listed, report.rows as usize);
            assert!(report.rejected.len() <= sheet_limits::MAX_REPORTED_PROBLEMS);
            assert!(report.rejected.len() <= report.refused as usize);
            for p in &report.rejected {
                assert!(p.message_en.chars().count() <= 500);
                assert!(p.message_zh.chars().count() <= 500);
            }
            format!("rows {}", report.rows)
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.code(), b.code());
            assert!(a.to_string().chars().count() <= 500);
            a.code().to_owned()
        }
        (a, b) => panic!("read_sheet {a:?} but upload {b:?}"),
    };
    drop(read);
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap();
    println!("ANSWER {answer} HWM {hwm}");
}

const HEADER: [&str; 5] = ["志愿者编号", "组织编号", "服务日期", "开始时间", "结束时间"];

/// A workbook whose first sheet has the header, one data row, and what `more` writes.
fn workbook(more: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["V1", "C1", "2015-06-02", "9:00", "10:00"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    more(sheet);
    book.save_to_buffer().unwrap()
}

#[test]
fn a_cell_at_the_last_address_is_read_without_a_grid() {
    // XFD1048576: a grid sized by the addresses asked for 512 GiB and aborted the process.
    let bytes = workbook(|s| {
        s.write_string(1_048_575, 16_383, "x").unwrap();
    });
    assert!(bytes.len() < 10_000);
    assert_eq!(read_within_budget("XFD1048576", &bytes), Ok(1));
}

#[test]
fn a_cell_far_to_the_right_is_read_without_a_grid() {
    // XFD4000: 2 GB for a 4.8 KB file.
    let bytes = workbook(|s| {
        s.write_string(3_999, 16_383, "x").unwrap();
    });
    assert_eq!(read_within_budget("XFD4000", &bytes), Ok(1));
}

#[test]
fn blank_padding_cells_take_no_room() {
    // Formatted blank cells fill a grid; read one at a time, they are skipped.
    let bytes = workbook(|s| {
        let f = Format::new().set_bold();
        // About 1 MB of blank cells, spread over the sheet.
        for r in 2..500u32 {
            for c in 0..100u16 {
                s.write_blank(r * 16, c * 160, &f).unwrap();
            }
        }
    });
    assert!(bytes.len() < 10 << 20, "{}", bytes.len());
    assert_eq!(read_within_budget("blank padding", &bytes), Ok(1));
}

#[test]
fn a_huge_shared_string_is_refused_before_it_is_kept() {
    // 600 distinct texts of 32,767 characters (Excel's longest): 59 MB of shared strings.
    let long = "志".repeat(32_760);
    let bytes = workbook(|s| {
        for r in 0..600u32 {
            s.write_string(r + 5, 0, format!("{r:06}{long}")).unwrap();
        }
    });
    assert_eq!(
        read_within_budget("huge shared string", &bytes),
        Err("E_UPLOAD_TOO_LARGE".into())
    );
}

#[test]
fn many_columns_are_read_as_far_as_the_header_goes() {
    let bytes = workbook(|s| {
        for r in 2..200u32 {
            for c in 5..16_000u16 {
                s.write_number(r, c, 1.0).unwrap();
            }
        }
    });
    assert_eq!(read_within_budget("many columns", &bytes), Ok(1));
}

/// A zip of the given parts, each deflated.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// `bytes`, a zip, with one more part.
fn with_part(bytes: &[u8], name: &str, data: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new_append(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(name, opts).unwrap();
    zip.write_all(data).unwrap();
    zip.finish().unwrap().into_inner()
}

/// The parts of a one-sheet workbook whose worksheet and shared strings are given.
fn raw_xlsx(sheet: &[u8], shared: &[u8]) -> Vec<u8> {
    let rels = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let book = br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let book_rels = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let types = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
    zip_of(&[
        ("[Content_Types].xml", types),
        ("_rels/.rels", rels),
        ("xl/workbook.xml", book),
        ("xl/_rels/workbook.xml.rels", book_rels),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

fn sheet_xml(rows: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>志愿者编号</t></is></c><c r="B1" t="inlineStr"><is><t>组织编号</t></is></c><c r="C1" t="inlineStr"><is><t>服务日期</t></is></c><c r="D1" t="inlineStr"><is><t>开始时间</t></is></c><c r="E1" t="inlineStr"><is><t>结束时间</t></is></c></row>{rows}</sheetData></worksheet>"#
    )
    .into_bytes()
}

const NO_STRINGS: &[u8] = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#;

#[test]
fn hand_made_workbooks_read_as_written() {
    // The raw workbook of the tests below, with a plain data row: it reads.
    let row = r#"<row r="2"><c r="A2" t="inlineStr"><is><t>V1</t></is></c><c r="B2" t="inlineStr"><is><t>C1</t></is></c><c r="C2" t="inlineStr"><is><t>2015-06-02</t></is></c><c r="D2" t="inlineStr"><is><t>9:00</t></is></c><c r="E2" t="inlineStr"><is><t>10:00</t></is></c></row>"#;
    assert_eq!(
        read_within_budget("raw", &raw_xlsx(&sheet_xml(row), NO_STRINGS)),
        Ok(1)
    );
}

#[test]
fn a_shared_strings_count_beyond_its_part_is_refused() {
    // The workbook reader makes room for the announced count at once: 24 bytes × 10¹².
    let shared = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000"><si><t>x</t></si></sst>"#;
    assert_eq!(
        read_within_budget("uniqueCount", &raw_xlsx(&sheet_xml(""), shared)),
        Err("E_UPLOAD_TOO_LARGE".into())
    );
}

#[test]
fn a_zip_bomb_is_refused_by_its_unpacked_size() {
    // 64 MiB of styles, read whole when the workbook is opened, deflate to some 64 KB.
    let mut styles = br#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts>"#.to_vec();
    styles.extend(b"<font/>".repeat((64 << 20) / 7));
    styles.extend(b"</fonts></styleSheet>");
    let mut bytes = raw_xlsx(&sheet_xml(""), NO_STRINGS);
    bytes = with_part(&bytes, "xl/styles.xml", &styles);
    assert!(bytes.len() < 1 << 20, "{}", bytes.len());
    assert_eq!(
        read_within_budget("zip bomb", &bytes),
        Err("E_UPLOAD_TOO_LARGE".into())
    );
}

#[test]
fn one_huge_xml_text_is_refused_before_it_is_kept() {
    let rows = format!(
        r#"<row r="2"><c r="A2" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "x".repeat(8 << 20)
    );
    let bytes = raw_xlsx(&sheet_xml(&rows), NO_STRINGS);
    assert_eq!(
        read_within_budget("huge text", &bytes),
        Err("E_UPLOAD_TOO_LARGE".into())
    );
}

#[test]
fn hostile_csv_is_read_or_refused_within_the_budget() {
    let head = HEADER.join(",");
    // Many columns.
    let wide = format!(
        "{head}\nV1,C1,2015-06-02,9:00,10:00{}\n",
        ",x".repeat(4 << 20)
    );
    assert_eq!(
        read_within_budget("wide csv", wide.as_bytes()),
        Err("E_UPLOAD_TOO_LARGE".into())
    );
    // One long cell.
    let long = format!(
        "{head}\nV1,C1,2015-06-02,9:00,10:00,{}\n",
        "x".repeat(8 << 20)
    );
    assert_eq!(
        read_within_budget("long cell", long.as_bytes()),
        Err("E_UPLOAD_TOO_LARGE".into())
    );
    // Rows past Excel's last.
    let tall = format!("{head}\n{}", "V\n".repeat(1_048_576));
    assert_eq!(
        read_within_budget("tall csv", tall.as_bytes()),
        Err("E_UPLOAD_TOO_LARGE".into())
    );
}

#[test]
fn a_sheet_of_refused_rows_lists_the_first_and_counts_the_rest_within_the_budget() {
    let head = HEADER.join(",");
    // Read as the ledger takes the rows (quote-free) and read whole (quoted): every row is
    // refused (no date), a million of them would hold hundreds of megabytes of messages.
    for (what, row, n) in [
        ("refused rows", "V,C,x,,\n", 1_000_000),
        ("quoted refused rows", "\"V\",C,x,,\n", 900_000),
    ] {
        let csv = format!("{head}\n{}", row.repeat(n));
        assert_eq!(read_within_budget(what, csv.as_bytes()), Ok(n));
    }
}

#[test]
fn a_workbook_whose_parts_cannot_all_be_read_is_refused_before_it_is_opened() {
    // Found by the sheets fuzz target held to 256 MB: the first part's local name is mangled,
    // so measuring the parts stopped there, and the workbook reader then reserved room for the
    // 10^12 shared strings the (unmeasured) shared strings part announces — an abort.
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mangled-header-huge-unique-count.xlsx");
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        read_within_budget("mangled part name", &bytes),
        Err("E_FIELD".into())
    );
}

/// `VL_WRITE_SEEDS=1 cargo test -p volunteer-ledger --test upload_memory write_fuzz_seeds`
/// writes the small hostile sheets above to `fuzz/seeds/sheets/`, where the sheets fuzz target
/// starts from them.
#[test]
fn write_fuzz_seeds() {
    if std::env::var_os("VL_WRITE_SEEDS").is_none() {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/sheets");
    let shared = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000"><si><t>x</t></si></sst>"#;
    let head = HEADER.join(",");
    for (name, bytes) in [
        (
            "xlsx-cell-at-XFD1048576",
            workbook(|s| {
                s.write_string(1_048_575, 16_383, "x").unwrap();
            }),
        ),
        (
            "xlsx-cell-at-XFD4000",
            workbook(|s| {
                s.write_string(3_999, 16_383, "x").unwrap();
            }),
        ),
        (
            "xlsx-shared-strings-count-1e12",
            raw_xlsx(&sheet_xml(""), shared),
        ),
        (
            "csv-wide-row.csv",
            format!(
                "{head}\nV1,C1,2015-06-02,9:00,10:00{}\n",
                ",x".repeat(20_000)
            )
            .into_bytes(),
        ),
    ] {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}
