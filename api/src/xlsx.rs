//! Excel exports (`/exports/…` beside the lists clerks work from): the rows the list answers, with the same filters
//! and the same masking, as one sheet with Chinese headers, the header row frozen and filterable, columns fitted.
//! `rust_xlsxwriter` writes the workbook in memory; the rows are capped (`MOST`) so that it stays small.

use crate::app::error::{AppError, AppResult};
use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use domain::issue::deadline::shanghai;
use rust_xlsxwriter::{Format, Workbook};

/// What a workbook is sent as.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The most rows one export holds; a list longer than this is cut there, and the sheet's last row says so.
pub const MOST: i64 = 10_000;

/// One cell.
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        s.map_or(Cell::Empty, Cell::Text)
    }
}

impl From<Option<&str>> for Cell {
    fn from(s: Option<&str>) -> Self {
        s.map_or(Cell::Empty, |s| Cell::Text(s.to_owned()))
    }
}

impl From<u64> for Cell {
    #[allow(clippy::cast_precision_loss)] // counts of issues
    fn from(n: u64) -> Self {
        Cell::Number(n as f64)
    }
}

impl From<Option<f64>> for Cell {
    fn from(n: Option<f64>) -> Self {
        n.map_or(Cell::Empty, Cell::Number)
    }
}

impl From<Option<DateTime<Utc>>> for Cell {
    fn from(t: Option<DateTime<Utc>>) -> Self {
        t.map_or(Cell::Empty, |t| Cell::Text(when(t)))
    }
}

impl From<DateTime<Utc>> for Cell {
    fn from(t: DateTime<Utc>) -> Self {
        Cell::Text(when(t))
    }
}

/// A time as the console shows it: Beijing time to the minute.
fn when(t: DateTime<Utc>) -> String {
    t.with_timezone(&shanghai()).format("%Y-%m-%d %H:%M").to_string()
}

/// A sheet named `name` with `headers` over `rows`; `cut` adds a last row saying the list went on past [`MOST`].
///
/// # Errors
/// When the writer fails (it does not, for text and numbers within Excel's limits).
pub fn workbook(name: &str, headers: &[&str], rows: Vec<Vec<Cell>>, cut: bool) -> AppResult<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bad = |e: rust_xlsxwriter::XlsxError| AppError::internal(e);
    sheet.set_name(name).map_err(bad)?;
    let bold = Format::new().set_bold();
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column(c), *h, &bold).map_err(bad)?;
    }
    let mut r: u32 = 1;
    for row in rows {
        for (c, cell) in row.into_iter().enumerate() {
            match cell {
                Cell::Text(t) => {
                    if let Some(w) = widths.get_mut(c) {
                        *w = (*w).max(width(&t));
                    }
                    sheet.write_string(r, column(c), t).map_err(bad)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(r, column(c), n).map_err(bad)?;
                }
                Cell::Empty => {}
            }
        }
        r += 1;
    }
    if cut {
        let note = format!("仅导出前 {MOST} 条，请缩小筛选范围后再导出其余的");
        sheet.write_string(r, 0, note).map_err(bad)?;
    }
    for (c, w) in widths.iter().enumerate() {
        // Characters as Excel counts them, with a little room; very long text wraps at 60.
        #[allow(clippy::cast_precision_loss)]
        sheet
            .set_column_width(column(c), ((*w).min(60) + 2) as f64)
            .map_err(bad)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(bad)?;
    if r > 1 {
        let last = column(headers.len().saturating_sub(1));
        sheet.autofilter(0, 0, r - 1, last).map_err(bad)?;
    }
    book.save_to_buffer().map_err(bad)
}

fn column(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// How wide text shows: a Chinese character takes two columns.
fn width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The workbook as a download named `name` (ASCII, without the extension).
#[must_use]
pub fn respond(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.xlsx\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}

/// An `.xlsx` workbook, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Spreadsheet(pub Vec<u8>);
