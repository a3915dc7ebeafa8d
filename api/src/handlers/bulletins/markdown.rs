//! The bulletin as a Markdown document in the register of a 民情专报: headline figures in a sentence and a table,
//! then each theme with its places and representative issues, then the overdue list.

use crate::app::bulletins::{period_words, Bulletin, Theme};
use crate::app::publication::PublicIssue;
use crate::handlers::documents::{cell, line};
use domain::issue::deadline::SHANGHAI;
use domain::issue::{Rating, ReplyCategory};
use domain::stats::{Durations, Figures, Rate};
use std::fmt::Write;

/// The whole document.
pub fn document(b: &Bulletin) -> String {
    let mut out = String::new();
    let generated = b.reach.generated_at.with_timezone(&SHANGHAI).format("%Y-%m-%d %H:%M");
    // Every name in the document (region, category, agency, place) was typed by someone: each is written through
    // `line`, as citizens' words are, so none can become markup.
    let _ = writeln!(out, "# {}\n", line(&b.title));
    let _ = writeln!(
        out,
        "统计期间：{}（按问题反映日期）　生成时间：{generated}\n",
        line(&period_words(&b.reach))
    );
    let _ = writeln!(out, "## 一、总体情况\n");
    let _ = writeln!(out, "{}\n", summary(&b.figures));
    headline_table(&mut out, &b.figures);
    let _ = writeln!(out, "## 二、分类情况\n");
    if b.themes.is_empty() {
        let _ = writeln!(out, "本期没有收集到问题。\n");
    }
    for (i, theme) in b.themes.iter().enumerate() {
        write_theme(&mut out, i + 1, theme);
    }
    let _ = writeln!(out, "## 三、超期未办结问题\n");
    if b.overdue.is_empty() {
        let _ = writeln!(out, "本期问题目前没有超期。");
    } else {
        let _ = writeln!(out, "| 编号 | 问题 | 地点 | 承办单位 | 应办结时间 | 超期天数 |");
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for o in &b.overdue {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                cell(&o.number),
                cell(o.title.as_deref().unwrap_or("（无标题）")),
                cell(&o.place),
                cell(o.agency.as_deref().unwrap_or("—")),
                o.due_at.with_timezone(&SHANGHAI).format("%Y-%m-%d"),
                o.days_overdue
            );
        }
    }
    out
}

/// 本期共收集问题 117 件……: the counts in one paragraph.
fn summary(f: &Figures) -> String {
    let c = &f.counts;
    format!(
        "本期共收集问题 {} 件，受理 {} 件，不予受理 {} 件，合并 {} 件；转办 {} 件，已答复 {} 件，其中 A 类（已解决）{} 件\
         （当场落实 {} 件、后期解决 {} 件），B 类（正在解决或列入计划）{} 件，C 类（暂不能解决）{} 件；\
         转为代表建议 {} 件；已办结 {} 件；目前超期 {} 件；重办 {} 件。",
        c.reported,
        c.accepted,
        c.declined,
        c.merged,
        c.routed,
        c.replied,
        c.replied_a,
        c.solved_on_the_spot,
        c.solved_later,
        c.replied_b,
        c.replied_c,
        c.converted,
        c.closed,
        c.overdue_now,
        c.reopened
    )
}

fn headline_table(out: &mut String, f: &Figures) {
    let _ = writeln!(out, "| 指标 | 数值 |\n|---|---|");
    for (name, rate) in [
        ("答复率", f.rates.reply),
        ("解决率", f.rates.solve),
        ("按期办结率", f.rates.on_time),
        ("满意率", f.rates.satisfaction),
    ] {
        let _ = writeln!(out, "| {name} | {} |", rate_words(rate));
    }
    let _ = writeln!(out, "| 签收用时 | {} |", duration_words(f.times.to_sign));
    let _ = writeln!(out, "| 答复用时 | {} |\n", duration_words(f.times.to_reply));
}

/// 89.7%（105/117）, or — when nothing was counted.
fn rate_words(r: Rate) -> String {
    r.percent
        .map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%（{}/{}）", r.of, r.over))
}

/// 平均 1.25 个工作日，90% 在 2.5 个工作日内.
fn duration_words(d: Durations) -> String {
    match (d.average, d.p90) {
        (Some(a), Some(p)) => format!("平均 {a:.2} 个工作日，90% 在 {p:.2} 个工作日内"),
        _ => "—".to_owned(),
    }
}

fn write_theme(out: &mut String, n: usize, t: &Theme) {
    let name = t.category.as_ref().map_or("未分类", |c| c.name.as_str());
    let c = &t.figures.counts;
    let _ = writeln!(out, "### {n}. {}（{} 件）\n", line(name), c.reported);
    let _ = writeln!(
        out,
        "已答复 {} 件，其中已解决 {} 件、列入计划 {} 件、暂不能解决 {} 件；解决率 {}，满意率 {}。",
        c.replied,
        c.replied_a,
        c.replied_b,
        c.replied_c,
        rate_words(t.figures.rates.solve),
        rate_words(t.figures.rates.satisfaction)
    );
    if !t.places.is_empty() {
        let places: Vec<String> = t
            .places
            .iter()
            .take(5)
            .map(|p| format!("{} {} 件", line(&p.name), p.reported))
            .collect();
        let _ = writeln!(out, "主要分布：{}。", places.join("、"));
    }
    out.push('\n');
    if !t.representative.is_empty() {
        let _ = writeln!(out, "代表性问题：\n");
        for i in &t.representative {
            write_issue(out, i);
        }
        out.push('\n');
    }
}

fn write_issue(out: &mut String, i: &PublicIssue) {
    let title = i.title.as_deref().unwrap_or("（无标题）");
    let _ = writeln!(
        out,
        "- **{}　{}**（{}）：{}",
        line(&i.number),
        line(title),
        line(&i.place.name),
        line(&i.description)
    );
    let reply = i
        .reply
        .text
        .as_deref()
        .map_or_else(|| "（未填写答复内容）".to_owned(), line);
    let _ = writeln!(
        out,
        "  - 答复（{}，{}）：{}",
        line(i.agency.as_deref().unwrap_or("承办单位")),
        i.reply.category.map_or("—", ReplyCategory::glossary),
        reply
    );
    if let Some(r) = i.rating {
        let _ = writeln!(out, "  - 评价：{}", Rating::glossary(r));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_a_percent_and_their_counts() {
        assert_eq!(rate_words(Rate::new(105, 117)), "89.7%（105/117）");
        assert_eq!(rate_words(Rate::new(0, 0)), "—");
    }
}
