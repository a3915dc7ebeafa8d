//! The bulletin as a spreadsheet: one row per issue of the period, by theme and place. UTF-8 with a byte-order mark
//! and CRLF line ends (RFC 4180), so that Excel and WPS open the Chinese as it is.

use crate::handlers::public::PublicIssue;
use actix_web::web;
use domain::issue::deadline::SHANGHAI;

const HEADER: [&str; 12] = [
    "编号",
    "反映日期",
    "主题",
    "地点",
    "标题",
    "问题描述",
    "状态",
    "承办单位",
    "答复类别",
    "答复日期",
    "答复内容",
    "评价",
];

/// The rows as CSV, sent as it is written: the text goes out in pieces of about 32 KiB instead of as one string of
/// every row (a county's year is tens of megabytes).
pub fn spreadsheet(
    issues: impl Iterator<Item = PublicIssue> + 'static,
) -> impl futures_util::Stream<Item = Result<web::Bytes, std::convert::Infallible>> {
    const PIECE: usize = 32 * 1024;
    let mut head = String::from("\u{feff}");
    push_row(&mut head, HEADER.iter().map(|h| (*h).to_owned()));
    let rows = std::iter::once(head).chain(issues.map(|i| {
        let mut out = String::new();
        row(&mut out, i);
        out
    }));
    futures_util::stream::unfold(rows, |mut rows| async move {
        let mut piece = rows.next()?;
        while piece.len() < PIECE {
            match rows.next() {
                Some(more) => piece.push_str(&more),
                None => break,
            }
        }
        Some((Ok(web::Bytes::from(piece)), rows))
    })
}

fn row(out: &mut String, i: PublicIssue) {
    let day = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&SHANGHAI).format("%Y-%m-%d").to_string();
    push_row(
        out,
        [
            i.number,
            day(i.reported_at),
            i.category.map(|c| c.name).unwrap_or_default(),
            i.place.name,
            i.title.unwrap_or_default(),
            i.description,
            i.status.as_str().to_owned(),
            i.agency.unwrap_or_default(),
            i.reply.category.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            i.reply.at.map(day).unwrap_or_default(),
            i.reply.text.unwrap_or_default(),
            i.rating.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        ]
        .into_iter(),
    );
}

fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    let mut first = true;
    for f in fields {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&field(&f));
    }
    out.push_str("\r\n");
}

/// What a spreadsheet may read as the start of a formula: =, +, -, @ (and their full-width forms, which Chinese input
/// methods type and WPS reads), and a tab or carriage return before one (OWASP's CSV injection list).
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// A field, quoted when it holds a comma, quote or line break; and a leading formula character made inert, so a
/// spreadsheet never runs a reporter's text as a formula.
fn field(raw: &str) -> String {
    let text = if raw.starts_with(FORMULA_STARTS) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_inert() {
        assert_eq!(field("路灯不亮"), "路灯不亮");
        assert_eq!(field("一,二"), "\"一,二\"");
        assert_eq!(field("他说\"修\"\n好"), "\"他说\"\"修\"\"\n好\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("\t=1+1"), "'\t=1+1");
        assert_eq!(field("\r=1+1"), "\"'\r=1+1\"");
        assert_eq!(field("＝1+1"), "'＝1+1");
    }
}
