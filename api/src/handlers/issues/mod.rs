//! Issues: the report, the lists, the detail with what the caller may do next, the timeline, and one file per command.

pub mod accept;
pub mod bulk;
pub mod command;
pub mod comment;
pub mod convert;
pub mod cosign;
pub mod create;
pub mod decline;
pub mod export;
pub mod extensions;
pub mod get;
pub mod join;
pub mod list;
pub mod merge;
pub mod nearby;
pub mod progress;
pub mod publication;
pub mod rate;
pub mod reopen;
pub mod reply;
pub mod route;
pub mod send_back;
pub mod sign;
pub mod supervise;
pub mod timeline;
pub mod verify;

pub use crate::app::issues::view::{
    Deadline, IssueSummary, IssueView, Named, PendingExtension, Person, Place, RoutingSuggestion, TimelineEvent,
};
