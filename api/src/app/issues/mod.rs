//! Issues: loading one as the caller may see it, running a command on it, and the views answered.

pub mod bulk;
pub mod command;
pub mod effects;
pub mod inbox;
pub mod list;
pub mod load;
pub mod report;
pub mod route;
pub mod timeline;
pub mod view;
