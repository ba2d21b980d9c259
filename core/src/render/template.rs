//! Certificates rendered from a Jinja template (minijinja): the default layout shipped in the
//! crate, or a district's own. Every value is HTML-escaped whatever the template says, and a
//! district's template is bounded in size and in work.

use super::html::escape_html;
use super::qr::qr_svg;
use super::view::CertificateView;
use crate::certificate::Certificate;
use crate::error::{LedgerError, Result};
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind, Output, State, UndefinedBehavior};

/// The default certificate layout: one A4 page for up to about 15 records, continuation pages
/// after that, the signature lines and the seal area, a CJK font fallback chain. A district
/// that wants its own layout starts from this text (docs/certificate.md lists its variables).
pub const DEFAULT_CERTIFICATE_TEMPLATE: &str = include_str!("certificate.html");

/// The longest template accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 256 * 1024;

/// The work a district's template may do: fuel (minijinja's count of instructions) for the
/// page, and for each record, training and commendation on it. The default layout uses under
/// a twentieth of it (about 800 for the page and 26 a record).
const FUEL_BASE: u64 = 20_000;
const FUEL_PER_ROW: u64 = 500;

/// Renders `c` with the template `source`. `fuel` bounds its work (`None`: unbounded, for the
/// default layout only).
pub(super) fn render(
    c: &Certificate,
    verify_url: Option<&str>,
    source: &str,
    fuel: Option<u64>,
) -> Result<String> {
    if source.len() > MAX_TEMPLATE_BYTES {
        return Err(LedgerError::CertificateTemplate {
            line: 0,
            detail: format!("the template is longer than {MAX_TEMPLATE_BYTES} bytes"),
            detail_zh: format!("模板超过 {MAX_TEMPLATE_BYTES} 字节"),
        });
    }
    let view = CertificateView::new(c, verify_url);
    let svg = qr_svg(&view.qr_payload)
        .map(|svg| {
            // The XML declaration belongs to a standalone file, not to a page.
            svg.find("<svg")
                .and_then(|i| svg.get(i..))
                .unwrap_or(&svg)
                .to_string()
        })
        .unwrap_or_default();
    let ctx = minijinja::context! {
        qr_svg => Value::from_safe_string(svg),
        ..Value::from(minijinja::value::Serde(&view))
    };
    let env = environment(fuel);
    let template = env
        .template_from_named_str("certificate.html", source)
        .map_err(template_error)?;
    template.render(ctx).map_err(template_error)
}

/// Renders with a district's template: the work bounded by the certificate's size.
pub(super) fn render_district(
    c: &Certificate,
    verify_url: Option<&str>,
    source: &str,
) -> Result<String> {
    let rows = c.records.len() + c.training.len() + c.commendations.len();
    let rows = u64::try_from(rows).unwrap_or(u64::MAX);
    let fuel = FUEL_BASE.saturating_add(FUEL_PER_ROW.saturating_mul(rows));
    render(c, verify_url, source, Some(fuel))
}

/// The environment: strict about undefined names (a misspelt variable is an error naming its
/// line, not an empty field), every value HTML-escaped by our own escaping whatever an
/// `{% autoescape %}` block says, and no `safe` filter, so no value can pass unescaped.
fn environment(fuel: Option<u64>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(fuel);
    env.remove_filter("safe");
    env.set_formatter(escape_value);
    env
}

/// Writes a value into the page: the QR code's SVG (the one safe value we make) as it is,
/// `none` as nothing, everything else escaped.
fn escape_value(
    out: &mut Output<'_>,
    _state: &mut State<'_, '_>,
    value: &Value,
) -> std::result::Result<(), Error> {
    let written = if value.is_safe() {
        out.write_str(&value.to_string())
    } else if value.is_none() || value.is_undefined() {
        Ok(())
    } else {
        out.write_str(&escape_html(&value.to_string()))
    };
    written.map_err(|_| Error::new(ErrorKind::WriteFailure, "the page could not be written"))
}

/// A template's error as `E_CERTIFICATE_TEMPLATE`, naming its line. What minijinja says about
/// it is kept only where it names the template's own text (syntax, unknown names), never where
/// it could repeat a value of the certificate.
fn template_error(e: Error) -> LedgerError {
    let line = e.line().map_or(0, |l| u64::try_from(l).unwrap_or(u64::MAX));
    let (what, what_zh) = match e.kind() {
        ErrorKind::SyntaxError => ("syntax error", "语法错误"),
        ErrorKind::UndefinedError => ("undefined name", "使用了未定义的变量"),
        ErrorKind::UnknownFilter => ("unknown filter", "未知的过滤器"),
        ErrorKind::UnknownTest => ("unknown test", "未知的测试"),
        ErrorKind::UnknownFunction => ("unknown function", "未知的函数"),
        ErrorKind::UnknownMethod => ("unknown method", "未知的方法"),
        ErrorKind::TooManyArguments | ErrorKind::MissingArgument => {
            ("wrong number of arguments", "参数个数不对")
        }
        ErrorKind::OutOfFuel => ("the template does too much work", "模板渲染工作量超过上限"),
        ErrorKind::InvalidOperation => ("invalid operation", "无效的操作"),
        ErrorKind::BadInclude | ErrorKind::TemplateNotFound => (
            "a certificate template includes no other template",
            "证明模板不能引用其他模板",
        ),
        _ => ("the template could not be rendered", "模板无法渲染"),
    };
    let names_template_text = matches!(
        e.kind(),
        ErrorKind::SyntaxError
            | ErrorKind::UnknownFilter
            | ErrorKind::UnknownTest
            | ErrorKind::UnknownFunction
            | ErrorKind::UnknownMethod
    );
    let detail = e.detail().filter(|_| names_template_text);
    LedgerError::CertificateTemplate {
        line,
        detail: match detail {
            Some(d) => format!("{what}: {}", super::clean::clean_line(d)),
            None => what.to_string(),
        },
        detail_zh: match detail {
            Some(d) => format!("{what_zh}（{}）", super::clean::clean_line(d)),
            None => what_zh.to_string(),
        },
    }
}
