//! The words of the loop: where an issue stands, how an agency replied, how the reply was rated.

use serde::{Deserialize, Serialize};

/// Where an issue stands. `Declined`, `Merged` and `Closed` are ends (a closed issue may still be reopened while rounds
/// remain); every other state waits for someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 报: reported, waiting for triage.
    Submitted,
    /// 议: taken up, waiting to be routed.
    Accepted,
    /// 不予受理, with a reason.
    Declined,
    /// A duplicate, folded into another issue.
    Merged,
    /// 转办: sent to a lead agency, waiting for it to sign.
    Routed,
    /// 签收: the lead agency has taken it on.
    Signed,
    /// 办理: progress has been posted.
    InProgress,
    /// 答复: the lead agency has replied, waiting for the rating.
    Replied,
    /// 重办: the reply was not accepted, waiting to be routed again.
    Reopened,
    /// 办结.
    Closed,
}

crate::word_enum!(Status {
    Submitted => "submitted",
    Accepted => "accepted",
    Declined => "declined",
    Merged => "merged",
    Routed => "routed",
    Signed => "signed",
    InProgress => "in_progress",
    Replied => "replied",
    Reopened => "reopened",
    Closed => "closed",
});

impl Status {
    /// States in which an agency holds the issue.
    #[must_use]
    pub fn with_agency(self) -> bool {
        matches!(self, Status::Routed | Status::Signed | Status::InProgress)
    }

    /// States nobody is waiting on (closed can still be reopened, but nothing is due).
    #[must_use]
    pub fn is_end(self) -> bool {
        matches!(self, Status::Declined | Status::Merged | Status::Closed)
    }
}

/// The kind of reply (答复类别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum ReplyCategory {
    /// 已解决/采纳: solved or adopted.
    A,
    /// 正在解决/列入计划: being solved, or planned.
    B,
    /// 因条件限制暂不能解决: cannot be solved now; the reply says why.
    C,
}

crate::word_enum!(ReplyCategory { A => "A", B => "B", C => "C" });

/// A rating of a reply (满意 / 基本满意 / 不满意).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

crate::word_enum!(Rating {
    Satisfied => "satisfied",
    BasicallySatisfied => "basically_satisfied",
    Dissatisfied => "dissatisfied",
});

// The glossary's words (../shared/DOMAIN.md) for what a person reads: a spreadsheet's or a document's cells, as the
// console shows them.
impl Status {
    #[must_use]
    pub fn glossary(self) -> &'static str {
        match self {
            Status::Submitted => "待受理",
            Status::Accepted => "已受理",
            Status::Declined => "不予受理",
            Status::Merged => "已合并",
            Status::Routed => "已交办",
            Status::Signed => "已签收",
            Status::InProgress => "办理中",
            Status::Replied => "已答复",
            Status::Reopened => "重新办理",
            Status::Closed => "已办结",
        }
    }
}

impl ReplyCategory {
    #[must_use]
    pub fn glossary(self) -> &'static str {
        match self {
            ReplyCategory::A => "A 类 已解决",
            ReplyCategory::B => "B 类 正在解决或列入计划",
            ReplyCategory::C => "C 类 暂不能解决",
        }
    }
}

impl Rating {
    #[must_use]
    pub fn glossary(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::BasicallySatisfied => "基本满意",
            Rating::Dissatisfied => "不满意",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_serde_spell_alike() {
        for s in Status::ALL {
            assert_eq!(serde_json::to_value(s).expect("serialises"), s.as_str());
        }
        for r in Rating::ALL {
            assert_eq!(serde_json::to_value(r).expect("serialises"), r.as_str());
        }
        for c in ReplyCategory::ALL {
            assert_eq!(serde_json::to_value(c).expect("serialises"), c.as_str());
        }
    }
}
