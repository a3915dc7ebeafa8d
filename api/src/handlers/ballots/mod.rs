//! 民生实事项目代表票决制: ballots of candidate livelihood projects, deputies' secret papers, and the published
//! results. The rules are in `domain::ballot`; how secrecy is kept is told in migration 000008 and the README.

pub mod close;
pub mod create;
pub mod evaluate;
pub mod read;
pub mod vote;

pub use crate::app::ballots::{
    contest_of, found, phase_of, projects_with, schedule_of, standing, view, Ballot, Milestone, Project, Standing,
};
