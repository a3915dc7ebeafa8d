//! 知识库: wording a clerk starts from — a reply, a refusal, a comment — kept for a region (and below), optionally
//! for one agency and one category, with placeholders the issue fills in. The clerk edits the filled text before
//! sending it; the command checks what is sent as it checks any note.

use crate::role::Role;
use crate::{Denied, Invalid};
use chrono::NaiveDate;

/// Which command's text a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// 答复: an agency's reply.
    Reply,
    /// 不予受理: why staff decline an issue.
    Decline,
    /// 留言: a comment on the timeline.
    Comment,
}

crate::word_enum!(TemplateKind { Reply => "reply", Decline => "decline", Comment => "comment" });

crate::bounded_text!(
    /// A template's name in the list a clerk picks from.
    TemplateTitle, "title", 1, 40
);

/// The placeholders a template may hold, each written `{名}`.
pub const PLACEHOLDERS: [&str; 8] = [
    "编号",
    "标题",
    "地点",
    "分类",
    "反映日期",
    "今天",
    "主办单位",
    "办理时限",
];

/// A template's text: free text of 1 to 2,000 characters whose every `{…}` is one of [`PLACEHOLDERS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateBody(String);

impl TemplateBody {
    pub const FIELD: &'static str = "body";

    /// # Errors
    /// `Invalid` on `body` as free text, `unknown_placeholder` naming a `{…}` that is not a placeholder, and
    /// `unclosed_placeholder` for a `{` without its `}`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let text = crate::text::free(Self::FIELD, raw, 1, 2000)?;
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(Invalid::new(
                    Self::FIELD,
                    "unclosed_placeholder",
                    "a placeholder opened with { must close with }",
                ));
            };
            let name = &after[..close];
            if !PLACEHOLDERS.contains(&name) {
                return Err(Invalid::new(
                    Self::FIELD,
                    "unknown_placeholder",
                    format!("{{{name}}} is not a placeholder; use one of {}", listed()),
                ));
            }
            rest = &after[close + 1..];
        }
        Ok(Self(text))
    }

    /// Stored text, trusted because only `parse` wrote it.
    #[must_use]
    pub fn from_stored(stored: String) -> Self {
        Self(stored)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text with each placeholder replaced by what the issue says of it; a fact the issue lacks reads "—".
    #[must_use]
    pub fn fill(&self, facts: &Facts<'_>) -> String {
        let mut out = String::with_capacity(self.0.len() + 64);
        let mut rest = self.0.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            // `parse` saw every brace closed.
            let close = after.find('}').unwrap_or(after.len());
            out.push_str(&facts.value(&after[..close]));
            rest = after.get(close + 1..).unwrap_or("");
        }
        out.push_str(rest);
        out
    }
}

/// Who answers from templates: the people who work issues. A citizen writes in their own words.
///
/// # Errors
/// `Denied::Forbidden` for citizens.
pub fn may_use(role: Role) -> Result<(), Denied> {
    match role {
        Role::Citizen => Err(Denied::Forbidden("templates are for the people who work issues")),
        _ => Ok(()),
    }
}

fn listed() -> String {
    PLACEHOLDERS
        .iter()
        .map(|p| format!("{{{p}}}"))
        .collect::<Vec<_>>()
        .join("、")
}

/// What an issue says of each placeholder.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    pub number: &'a str,
    pub title: Option<&'a str>,
    pub place: Option<&'a str>,
    pub category: Option<&'a str>,
    pub reported_on: Option<NaiveDate>,
    pub today: Option<NaiveDate>,
    pub lead_agency: Option<&'a str>,
    pub due_on: Option<NaiveDate>,
}

impl Facts<'_> {
    fn value(&self, name: &str) -> String {
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y年%-m月%-d日").to_string());
        let text = |t: Option<&str>| t.map(str::to_owned);
        match name {
            "编号" => Some(self.number.to_owned()),
            "标题" => text(self.title),
            "地点" => text(self.place),
            "分类" => text(self.category),
            "反映日期" => date(self.reported_on),
            "今天" => date(self.today),
            "主办单位" => text(self.lead_agency),
            "办理时限" => date(self.due_on),
            _ => None,
        }
        .unwrap_or_else(|| "—".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_from_the_issue_and_missing_facts_read_as_a_dash() {
        let body =
            TemplateBody::parse("您反映的{编号}（{地点}）已由{主办单位}于{今天}处理，{标题}").expect("a template");
        let facts = Facts {
            number: "YY-2026-000123",
            place: Some("新建路"),
            today: NaiveDate::from_ymd_opt(2026, 12, 7),
            lead_agency: Some("住建局"),
            ..Facts::default()
        };
        assert_eq!(
            body.fill(&facts),
            "您反映的YY-2026-000123（新建路）已由住建局于2026年12月7日处理，—"
        );
    }

    #[test]
    fn kinds_travel_as_their_words() {
        for kind in TemplateKind::ALL {
            let json = serde_json::to_value(kind).expect("serialises");
            assert_eq!(json, kind.as_str());
            assert_eq!(kind.as_str().parse::<TemplateKind>().ok(), Some(*kind));
        }
    }

    #[test]
    fn an_unknown_or_unclosed_placeholder_is_refused_by_name() {
        let e = TemplateBody::parse("您好{姓名}").expect_err("unknown");
        assert_eq!((e.field.as_str(), e.code), ("body", "unknown_placeholder"));
        assert!(e.message.contains("{姓名}"));
        assert_eq!(
            TemplateBody::parse("您好{编号").expect_err("unclosed").code,
            "unclosed_placeholder"
        );
        assert_eq!(TemplateBody::parse("  ").expect_err("empty").code, "required");
    }
}
