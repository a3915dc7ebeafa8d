//! The bulletin as a spreadsheet: one row per issue of the period, by theme and place. UTF-8 with a byte-order mark
//! and CRLF line ends (RFC 4180), so that Excel and WPS open the Chinese as it is.

use crate::app::publication::PublicIssue;
use actix_web::web;
use chrono::{DateTime, Utc};
use domain::issue::deadline::SHANGHAI;
use domain::stats::{Period, StatsScope};
use futures_util::StreamExt;
use infra::db::DbPool;

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

/// Every issue of the cohort as CSV, sent a page at a time as `app::bulletins::sheet_pages` reads them. A database
/// failure midway ends the download short, which the client sees as a broken transfer, never as a complete file.
pub fn spreadsheet(
    db: DbPool,
    scope: StatsScope,
    period: Period,
    now: DateTime<Utc>,
) -> impl futures_util::Stream<Item = Result<web::Bytes, std::io::Error>> {
    let mut head = String::from("\u{feff}");
    push_row(&mut head, HEADER.iter().map(|h| (*h).to_owned()));
    let first = futures_util::stream::once(async move { Ok(web::Bytes::from(head)) });
    let pages = crate::app::bulletins::sheet_pages(db, scope, period, now).map(|page| {
        page.map(|issues| {
            let mut text = String::new();
            for i in issues {
                row(&mut text, i);
            }
            web::Bytes::from(text)
        })
    });
    first.chain(pages).map(|piece| {
        piece.map_err(|e| {
            tracing::error!(error = ?e, "a bulletin spreadsheet stopped midway");
            std::io::Error::other("the spreadsheet could not be read to its end")
        })
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
            i.status.glossary().to_owned(),
            i.agency.unwrap_or_default(),
            i.reply.category.map(|c| c.glossary().to_owned()).unwrap_or_default(),
            i.reply.at.map(day).unwrap_or_default(),
            i.reply.text.unwrap_or_default(),
            i.rating.map(|r| r.glossary().to_owned()).unwrap_or_default(),
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
