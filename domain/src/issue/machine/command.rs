//! What someone asks of an issue: a command as given (`Command`), and the action it is an instance of (`Action`) —
//! the words `allowed_actions` answers in.

use crate::issue::deadline::Span;
use crate::issue::status::{Rating, ReplyCategory};
use crate::organisation::region::RegionLevel;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A command as given: what the rules judge, and what it leaves besides the new state (a rating's comment, an
/// extension's span, a handler's photos). One type from the handler that parses it to the runner that writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// 受理, with the level decided at triage (分层分类).
    Accept {
        level: Option<RegionLevel>,
    },
    Decline,
    Merge {
        into: Uuid,
    },
    Cosign,
    /// 我也遇到: a citizen who has the same problem joins the issue instead of reporting it again.
    Join,
    /// 转办. `suggested`: the lead is the routing rules' suggestion; `complex` lengthens the reply deadline.
    Route {
        lead: Uuid,
        co: Vec<Uuid>,
        complex: bool,
        suggested: bool,
    },
    Sign,
    SendBack,
    /// A handler's progress, with their photos of the work.
    Progress {
        photo_ids: Vec<Uuid>,
    },
    RequestExtension {
        id: Uuid,
        span: Span,
        reason: String,
    },
    DecideExtension {
        id: Uuid,
        approve: bool,
        note: Option<String>,
    },
    Reply {
        category: ReplyCategory,
    },
    Rate {
        rating: Rating,
        comment: Option<String>,
    },
    Reopen,
    Convert,
    /// `needs_review`: the content check held its words for a person to read.
    Comment {
        internal: bool,
        needs_review: bool,
    },
    /// 催办: press the agency to act.
    Urge,
    /// 挂牌督办: mark the issue for key supervision.
    KeySupervision,
    /// 现场督办: a deputy's visit to the place, recorded with their photos.
    SiteVisit {
        photo_ids: Vec<Uuid>,
    },
    /// 回头看: a check after closure; a problem that came back reopens the issue while rounds are left.
    FollowUp {
        came_back: bool,
    },
    /// Keep the issue out of the public results (结果网上评), with a reason.
    Withhold {
        reason: String,
    },
    /// Show a withheld issue in the public results again.
    Publish,
}

/// A command's name, as `allowed_actions` lists it and the timeline records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Accept,
    Decline,
    Merge,
    Cosign,
    Join,
    Route,
    Sign,
    SendBack,
    Progress,
    RequestExtension,
    DecideExtension,
    Reply,
    Rate,
    Reopen,
    Convert,
    Comment,
    Urge,
    KeySupervision,
    SiteVisit,
    FollowUp,
    Withhold,
    Publish,
}

crate::word_enum!(Action {
    Accept => "accept",
    Decline => "decline",
    Merge => "merge",
    Cosign => "cosign",
    Join => "join",
    Route => "route",
    Sign => "sign",
    SendBack => "send-back",
    Progress => "progress",
    RequestExtension => "request-extension",
    DecideExtension => "decide-extension",
    Reply => "reply",
    Rate => "rate",
    Reopen => "reopen",
    Convert => "convert",
    Comment => "comment",
    Urge => "urge",
    KeySupervision => "key-supervision",
    SiteVisit => "site-visit",
    FollowUp => "follow-up",
    Withhold => "withhold",
    Publish => "publish",
});

impl Command {
    #[must_use]
    pub fn action(&self) -> Action {
        match self {
            Command::Accept { .. } => Action::Accept,
            Command::Decline => Action::Decline,
            Command::Merge { .. } => Action::Merge,
            Command::Cosign => Action::Cosign,
            Command::Join => Action::Join,
            Command::Route { .. } => Action::Route,
            Command::Sign => Action::Sign,
            Command::SendBack => Action::SendBack,
            Command::Progress { .. } => Action::Progress,
            Command::RequestExtension { .. } => Action::RequestExtension,
            Command::DecideExtension { .. } => Action::DecideExtension,
            Command::Reply { .. } => Action::Reply,
            Command::Rate { .. } => Action::Rate,
            Command::Reopen => Action::Reopen,
            Command::Convert => Action::Convert,
            Command::Comment { .. } => Action::Comment,
            Command::Urge => Action::Urge,
            Command::KeySupervision => Action::KeySupervision,
            Command::SiteVisit { .. } => Action::SiteVisit,
            Command::FollowUp { .. } => Action::FollowUp,
            Command::Withhold { .. } => Action::Withhold,
            Command::Publish => Action::Publish,
        }
    }
}
