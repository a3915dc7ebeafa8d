//! The bulletin as a spreadsheet: one row per issue of the period, by theme and place. UTF-8 with a byte-order mark
//! and CRLF line ends (RFC 4180), so that Excel and WPS open the Chinese as it is.

use crate::app::publication::PublicIssue;
use crate::handlers::documents::push_row;
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
