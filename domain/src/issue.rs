//! An issue's life: what a report holds, the states and commands of the loop (报 议 转办 办理 评), who may do each,
//! deadlines, numbers and the hash-chained timeline.

pub mod access;
pub mod calendar;
pub mod deadline;
pub mod inbox;
pub mod machine;
pub mod merge;
pub mod notice;
pub mod number;
pub mod plan;
pub mod report;
pub mod status;
pub mod timeline;
pub mod warning;

pub use access::{IssueScope, NearbyFor, Parties, Relations, ReporterSearch};
pub use machine::{Action, Command, IssueState, Limits, Refusal, Transition};
pub use status::{Rating, ReplyCategory, Status};
