//! 满意度测评: at the year's end the deputies on a roster rate each accepted project 满意 / 基本满意 / 不满意, secretly,
//! by the ballot's own machinery — check-in for a blind signature, a paper cast without an account, held and settled
//! in batches, counted once at the close. A rating travels in a paper's `choices` as a *mark*: an id derived from the
//! project and the rating ([`mark_id`]), so the papers, their receipts and their secrecy are exactly an election's.
//! A project whose 满意 and 基本满意 together fall below the evaluation's share goes to 整改.

use super::Paper;
use crate::fraction::Fraction;
use crate::Invalid;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use uuid::Uuid;

/// A deputy's rating of one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// 满意
    Satisfied,
    /// 基本满意
    Basically,
    /// 不满意
    Dissatisfied,
}

crate::word_enum!(Mark {
    Satisfied => "satisfied",
    Basically => "basically",
    Dissatisfied => "dissatisfied",
});

/// The id a rating of `project` travels as in a paper: SHA-256 of the project and the rating, cut to a UUID (version
/// 8). Nothing else uses these ids, and a paper only ever holds those of its evaluation's projects.
#[must_use]
pub fn mark_id(project: Uuid, mark: Mark) -> Uuid {
    let mut h = Sha256::new();
    h.update(b"minsheng-evaluation-mark-v1");
    h.update(project.as_bytes());
    h.update(mark.as_str().as_bytes());
    let digest = h.finalize();
    let mut bytes = [0_u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The days a project rated below the share has to rectify when none are named.
pub const RECTIFY_DAYS: u32 = 60;

/// The days to rectify an evaluation names: 1 to 365, `RECTIFY_DAYS` when none.
///
/// # Errors
/// `Invalid` on `rectify_days`.
pub fn rectify_days(days: Option<u32>) -> Result<u32, Invalid> {
    let days = days.unwrap_or(RECTIFY_DAYS);
    if (1..=365).contains(&days) {
        Ok(days)
    } else {
        Err(Invalid::new("rectify_days", "out_of_range", "1 to 365 days"))
    }
}

/// An evaluation's projects and the share of 满意 + 基本满意 a project needs, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    projects: Vec<Uuid>,
    pass: Fraction,
}

/// What the papers said of one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rated {
    pub project: Uuid,
    pub satisfied: u32,
    pub basically: u32,
    pub dissatisfied: u32,
    /// 满意 + 基本满意 reached the share of the papers that rated it (none rating it is not passing).
    pub passed: bool,
}

impl Assessment {
    /// # Errors
    /// `Invalid` on `project_ids` (none, more than `MAX_CANDIDATES`, or one twice).
    pub fn parse(projects: Vec<Uuid>, pass: Fraction) -> Result<Self, Invalid> {
        if projects.is_empty() || projects.len() > super::MAX_CANDIDATES {
            return Err(Invalid::new(
                "project_ids",
                "out_of_range",
                format!("1 to {} projects", super::MAX_CANDIDATES),
            ));
        }
        let mut seen = HashSet::new();
        if let Some(i) = projects.iter().position(|p| !seen.insert(*p)) {
            return Err(Invalid::new(
                format!("project_ids[{i}]"),
                "duplicate",
                "is listed twice",
            ));
        }
        Ok(Assessment { projects, pass })
    }

    #[must_use]
    pub fn projects(&self) -> &[Uuid] {
        &self.projects
    }

    /// A deputy's ratings as a paper: each a project of this evaluation, once; a project left out is not rated by
    /// this paper. The marks are kept in project order, whatever order they came in.
    ///
    /// # Errors
    /// `Invalid` on `marks[i].project_id` for a project not evaluated here, or rated twice.
    pub fn paper(&self, marks: Vec<(Uuid, Mark)>) -> Result<Paper, Invalid> {
        let mut seen = HashSet::new();
        for (i, (project, _)) in marks.iter().enumerate() {
            if !self.projects.contains(project) {
                return Err(Invalid::new(
                    format!("marks[{i}].project_id"),
                    "not_evaluated",
                    "is not a project of this evaluation",
                ));
            }
            if !seen.insert(*project) {
                return Err(Invalid::new(
                    format!("marks[{i}].project_id"),
                    "duplicate",
                    "is rated twice",
                ));
            }
        }
        let mut marks = marks;
        marks.sort_by_key(|(p, _)| self.projects.iter().position(|k| k == p));
        Ok(Paper(marks.into_iter().map(|(p, m)| mark_id(p, m)).collect()))
    }

    /// Reads a stored paper back into its ratings.
    ///
    /// # Errors
    /// `Invalid` when it holds an id that is no mark of this evaluation, or rates a project twice.
    pub fn read(&self, choices: &[Uuid]) -> Result<Vec<(Uuid, Mark)>, Invalid> {
        let marks: Vec<(Uuid, Mark)> = choices
            .iter()
            .map(|c| {
                self.projects
                    .iter()
                    .find_map(|p| Mark::ALL.iter().find(|m| mark_id(*p, **m) == *c).map(|m| (*p, *m)))
                    .ok_or_else(|| {
                        Invalid::new(
                            "choices",
                            "not_a_mark",
                            "a stored paper holds no mark of this evaluation",
                        )
                    })
            })
            .collect::<Result<_, _>>()?;
        self.paper(marks.clone())?;
        Ok(marks)
    }

    /// Counts the papers once, each project against the share.
    #[must_use]
    pub fn tally(&self, papers: &[Vec<(Uuid, Mark)>]) -> Vec<Rated> {
        self.projects
            .iter()
            .map(|&project| {
                let count = |mark: Mark| {
                    let n = papers
                        .iter()
                        .flatten()
                        .filter(|(p, m)| *p == project && *m == mark)
                        .count();
                    u32::try_from(n).unwrap_or(u32::MAX)
                };
                let (satisfied, basically, dissatisfied) = (
                    count(Mark::Satisfied),
                    count(Mark::Basically),
                    count(Mark::Dissatisfied),
                );
                let rated = u64::from(satisfied) + u64::from(basically) + u64::from(dissatisfied);
                let content = u64::from(satisfied) + u64::from(basically);
                let passed = rated > 0 && content * u64::from(self.pass.den()) >= u64::from(self.pass.num()) * rated;
                Rated {
                    project,
                    satisfied,
                    basically,
                    dissatisfied,
                    passed,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_travel_as_marks_and_a_project_below_the_share_fails() {
        let (lifts, toilets) = (Uuid::now_v7(), Uuid::now_v7());
        let two_thirds = Fraction::new("pass_share", 2, 3).expect("2/3");
        let a = Assessment::parse(vec![lifts, toilets], two_thirds).expect("assessment");
        let paper = |marks: Vec<(Uuid, Mark)>| a.read(a.paper(marks).expect("paper").choices()).expect("read");
        let papers = vec![
            paper(vec![(toilets, Mark::Dissatisfied), (lifts, Mark::Satisfied)]),
            paper(vec![(lifts, Mark::Basically), (toilets, Mark::Dissatisfied)]),
            paper(vec![(lifts, Mark::Dissatisfied), (toilets, Mark::Satisfied)]),
            paper(vec![(lifts, Mark::Satisfied)]),
        ];
        assert_eq!(papers[0][0].0, lifts, "kept in project order");
        let rated = a.tally(&papers);
        assert_eq!(
            (rated[0].satisfied, rated[0].basically, rated[0].dissatisfied),
            (2, 1, 1)
        );
        assert!(rated[0].passed, "3 of 4 content reaches two thirds");
        assert_eq!((rated[1].satisfied, rated[1].dissatisfied), (1, 2));
        assert!(!rated[1].passed, "1 of 3 does not");
        assert_ne!(mark_id(lifts, Mark::Satisfied), mark_id(toilets, Mark::Satisfied));
        assert_ne!(mark_id(lifts, Mark::Satisfied), mark_id(lifts, Mark::Basically));
    }

    #[test]
    fn a_paper_rates_only_the_evaluations_projects_each_once() {
        let p = Uuid::now_v7();
        let a = Assessment::parse(vec![p], Fraction::new("pass_share", 1, 2).expect("f")).expect("a");
        let err = a.paper(vec![(Uuid::now_v7(), Mark::Satisfied)]).expect_err("stranger");
        assert_eq!(err.field, "marks[0].project_id");
        let err = a
            .paper(vec![(p, Mark::Satisfied), (p, Mark::Basically)])
            .expect_err("twice");
        assert_eq!(err.code, "duplicate");
        assert!(a.read(&[Uuid::now_v7()]).is_err());
        assert!(Assessment::parse(vec![], Fraction::new("pass_share", 1, 2).expect("f")).is_err());
    }
}
