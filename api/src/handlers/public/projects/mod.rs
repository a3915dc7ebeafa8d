//! 码上监督, the public side: anyone, signed in or not, reads the ranking of elected livelihood projects and each
//! project's page — its milestones and colours, its agency's progress and deputies' inspections with their photos,
//! citizens' comments and stars. Handlers speak for their agency here: the agency's name stands for theirs.

pub mod comments;
pub mod get;
pub mod list;
pub mod photo;
