//! Reading elected projects as staff, agencies and deputies do: the ranking, one project, its reports.

pub mod get;
pub mod list;
pub mod reports;
