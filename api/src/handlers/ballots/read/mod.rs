//! Reading ballots: the list, one ballot with its candidates, its published results and a voter's receipt check.

pub mod get;
pub mod list;
pub mod receipt;
pub mod results;

pub use crate::app::ballots::{results_of, ProjectResult, Results};
