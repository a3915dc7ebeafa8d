//! Who is told what. Citizens hear when their issue is accepted, routed, replied and closed; handlers when something
//! is routed to them, urged, turning yellow or due; staff and the agency's contact when it is overdue. Each notice goes in-app to the people
//! it concerns; citizens also get a WeChat subscribe message (when they accepted that template) and agencies'
//! systems a webhook.

use super::machine::{Action, Transition};
use super::status::Status;
use super::warning::Step;
use serde::{Deserialize, Serialize};

/// What a notification announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    Accepted,
    Routed,
    Replied,
    Closed,
    Urged,
    KeySupervision,
    /// A deadline turned yellow.
    Warned,
    /// A deadline passed (to the handlers).
    Due,
    /// A deadline passed (to staff).
    Overdue,
    /// Still overdue a while later: staff hear again, and so does the level above them.
    Escalated,
}

crate::word_enum!(Notice {
    Accepted => "accepted",
    Routed => "routed",
    Replied => "replied",
    Closed => "closed",
    Urged => "urged",
    KeySupervision => "key_supervision",
    Warned => "warned",
    Due => "due",
    Overdue => "overdue",
    Escalated => "escalated",
});

/// Who hears of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The reporter: in-app, and WeChat when they are a citizen who accepted the template.
    Reporter,
    /// Handlers of the lead agency (and of the co-agencies for a routing): in-app, and the agencies' webhooks.
    Handlers,
    /// Staff of the nearest region up from the that has any.
    Staff,
    /// Staff of the next region up from those that has any: where an escalation goes.
    StaffAbove,
    /// The lead agency's contact for supervision (督办联系人), when it named one.
    AgencyContact,
}

impl Notice {
    #[must_use]
    pub fn audiences(self) -> &'static [Audience] {
        match self {
            Notice::Accepted | Notice::Replied | Notice::Closed => &[Audience::Reporter],
            Notice::Routed => &[Audience::Reporter, Audience::Handlers],
            Notice::Urged | Notice::KeySupervision | Notice::Warned | Notice::Due => &[Audience::Handlers],
            Notice::Overdue => &[Audience::Staff, Audience::AgencyContact],
            Notice::Escalated => &[Audience::Staff, Audience::StaffAbove, Audience::AgencyContact],
        }
    }

    /// The line a person reads.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Notice::Accepted => "您反映的问题已受理",
            Notice::Routed => "问题已转交承办单位办理",
            Notice::Replied => "承办单位已答复，请评价",
            Notice::Closed => "问题已办结",
            Notice::Urged => "代表催办：请尽快办理",
            Notice::KeySupervision => "问题已列为挂牌督办",
            Notice::Warned => "办理期限临近（黄色预警）",
            Notice::Due => "已超过办理期限（红色预警）",
            Notice::Overdue => "承办单位逾期未办（红色预警）",
            Notice::Escalated => "逾期仍未办理，已提级督办",
        }
    }
}

/// The notices a command's transition gives.
#[must_use]
pub fn of_command(action: Action, t: &Transition) -> Vec<Notice> {
    let mut out = match action {
        Action::Accept => vec![Notice::Accepted],
        Action::Route => vec![Notice::Routed],
        Action::Reply => vec![Notice::Replied],
        Action::Urge => vec![Notice::Urged],
        Action::KeySupervision => vec![Notice::KeySupervision],
        _ => Vec::new(),
    };
    if t.to == Status::Closed && t.from != Status::Closed {
        out.push(Notice::Closed);
    }
    out
}

/// The notices a deadline step gives: handlers are reminded when it turns yellow and when it is due; staff hear
/// when it is due, and again later together with the level above them.
#[must_use]
pub fn of_step(step: Step) -> &'static [Notice] {
    match step {
        Step::Warn => &[Notice::Warned],
        Step::Due => &[Notice::Due, Notice::Overdue],
        Step::Escalate => &[Notice::Escalated],
    }
}
