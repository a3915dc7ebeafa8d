//! 民生实事项目代表票决制: deputies elect livelihood projects by secret ballot. The government proposes more candidate
//! projects than there are seats (差额: 兰州 2024 chose 10 of 13); each deputy on the roster casts one paper naming at
//! most as many projects as there are seats (fewer is a valid paper, more is refused); closing tallies the papers once.
//!
//! The tally's rules, stated once here:
//! - A candidate is elected only with more than the threshold's share of the papers cast (by default more than half;
//!   a threshold of 0 elects on votes alone; `domain::fraction`).
//! - Seats go to the candidates past the threshold, most votes first.
//! - Candidates tied for the last seats, more of them than seats are left, are none of them elected: they go to a
//!   runoff (另行投票) among themselves for the seats left open. Seats no candidate past the threshold can fill stay
//!   open too.

use crate::fraction::Fraction;
use crate::Invalid;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashSet;
use uuid::Uuid;

/// The most candidate projects one ballot holds.
pub const MAX_CANDIDATES: usize = 100;

/// The candidates and the seats of one ballot, checked: candidates unique, more of them than seats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contest {
    candidates: Vec<Uuid>,
    seats: u32,
    /// A candidate is elected only with more than this fraction of the papers cast.
    threshold: Fraction,
}

impl Contest {
    /// # Errors
    /// `Invalid` on `candidates` (fewer than two, more than `MAX_CANDIDATES`, or one twice) or on `seats` (none, or
    /// not fewer than the candidates: the ballot must choose).
    pub fn parse(candidates: Vec<Uuid>, seats: u32, threshold: Fraction) -> Result<Self, Invalid> {
        if !(2..=MAX_CANDIDATES).contains(&candidates.len()) {
            return Err(Invalid::new(
                "candidates",
                "out_of_range",
                format!("2 to {MAX_CANDIDATES} candidate projects"),
            ));
        }
        let mut seen = HashSet::new();
        if let Some(i) = candidates.iter().position(|c| !seen.insert(*c)) {
            return Err(Invalid::new(format!("candidates[{i}]"), "duplicate", "is listed twice"));
        }
        if seats == 0 || seats as usize >= candidates.len() {
            return Err(Invalid::new(
                "seats",
                "out_of_range",
                "at least 1 and fewer than the candidates (差额: the ballot must choose)",
            ));
        }
        Ok(Contest {
            candidates,
            seats,
            threshold,
        })
    }

    #[must_use]
    pub fn candidates(&self) -> &[Uuid] {
        &self.candidates
    }

    #[must_use]
    pub fn seats(&self) -> u32 {
        self.seats
    }

    #[must_use]
    pub fn threshold(&self) -> Fraction {
        self.threshold
    }

    /// Does a candidate with `votes` of `cast` papers pass the threshold? Never when no paper was cast.
    #[must_use]
    pub fn passes(&self, votes: u32, cast: u32) -> bool {
        cast > 0 && self.threshold.exceeded_by(votes, cast)
    }

    /// A deputy's paper, checked against this contest.
    ///
    /// # Errors
    /// `Invalid` on `choices` when it names more projects than there are seats, one twice, or one that is not a
    /// candidate.
    pub fn paper(&self, choices: Vec<Uuid>) -> Result<Paper, Invalid> {
        if choices.len() > self.seats as usize {
            return Err(Invalid::new(
                "choices",
                "too_many",
                format!("at most {} projects: as many as there are seats", self.seats),
            ));
        }
        let mut seen = HashSet::new();
        for (i, c) in choices.iter().enumerate() {
            if !self.candidates.contains(c) {
                return Err(Invalid::new(
                    format!("choices[{i}]"),
                    "not_a_candidate",
                    "is not a candidate of this ballot",
                ));
            }
            if !seen.insert(*c) {
                return Err(Invalid::new(format!("choices[{i}]"), "duplicate", "is chosen twice"));
            }
        }
        let mut choices = choices;
        // In candidate order, whatever order the deputy ticked them in: the paper says what, never how.
        choices.sort_by_key(|c| self.candidates.iter().position(|k| k == c));
        Ok(Paper(choices))
    }

    /// Counts the papers once, for a roster of `roster` deputies.
    #[must_use]
    pub fn tally<'a>(&self, papers: impl IntoIterator<Item = &'a Paper>, roster: u32) -> Tally {
        let mut votes = vec![0_u32; self.candidates.len()];
        let mut cast = 0_u32;
        for paper in papers {
            cast += 1;
            for choice in &paper.0 {
                if let Some(i) = self.candidates.iter().position(|c| c == choice) {
                    votes[i] += 1;
                }
            }
        }
        let counts: Vec<Count> = self
            .candidates
            .iter()
            .zip(&votes)
            .map(|(&candidate, &votes)| Count {
                candidate,
                votes,
                passed: self.passes(votes, cast),
            })
            .collect();
        let mut ranked: Vec<&Count> = counts.iter().filter(|c| c.passed).collect();
        ranked.sort_by_key(|c| std::cmp::Reverse(c.votes));
        let mut elected = Vec::new();
        let mut runoff = Vec::new();
        let mut left = self.seats as usize;
        let mut i = 0;
        while left > 0 && i < ranked.len() {
            let level = ranked[i].votes;
            let tied: Vec<Uuid> = ranked[i..]
                .iter()
                .take_while(|c| c.votes == level)
                .map(|c| c.candidate)
                .collect();
            i += tied.len();
            if tied.len() <= left {
                left -= tied.len();
                elected.extend(tied);
            } else {
                runoff = tied;
                break;
            }
        }
        Tally {
            counts,
            cast,
            roster,
            elected,
            runoff,
            open_seats: u32::try_from(left).unwrap_or(u32::MAX),
        }
    }
}

/// One deputy's choices, checked, in candidate order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paper(Vec<Uuid>);

impl Paper {
    #[must_use]
    pub fn choices(&self) -> &[Uuid] {
        &self.0
    }
}

/// One candidate's votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub candidate: Uuid,
    pub votes: u32,
    /// Past the threshold.
    pub passed: bool,
}

/// What closing a ballot came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Every candidate's votes, in candidate order.
    pub counts: Vec<Count>,
    /// Papers cast.
    pub cast: u32,
    /// Deputies entitled to vote.
    pub roster: u32,
    /// Elected projects, most votes first.
    pub elected: Vec<Uuid>,
    /// Candidates tied for the last seats, more than the seats left: a runoff among them decides.
    pub runoff: Vec<Uuid>,
    /// Seats not filled (for the runoff, or because too few candidates passed the threshold).
    pub open_seats: u32,
}

/// What the tally made of one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Elected, at this place (1 = most votes).
    Elected {
        rank: u32,
    },
    /// Tied for the last seats with more candidates than seats: a runoff decides.
    Runoff,
    NotElected,
}

impl Outcome {
    /// The word results are stored and published with.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Elected { .. } => "elected",
            Outcome::Runoff => "runoff",
            Outcome::NotElected => "not_elected",
        }
    }

    /// The place among the elected, for an elected candidate.
    #[must_use]
    pub fn rank(self) -> Option<u32> {
        match self {
            Outcome::Elected { rank } => Some(rank),
            Outcome::Runoff | Outcome::NotElected => None,
        }
    }
}

impl Tally {
    /// Every candidate's votes with what they came to, in candidate order.
    #[must_use]
    pub fn outcomes(&self) -> Vec<(Count, Outcome)> {
        self.counts
            .iter()
            .map(|c| {
                let place = self.elected.iter().position(|e| *e == c.candidate);
                let outcome = match place {
                    Some(i) => Outcome::Elected {
                        rank: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    },
                    None if self.runoff.contains(&c.candidate) => Outcome::Runoff,
                    None => Outcome::NotElected,
                };
                (*c, outcome)
            })
            .collect()
    }

    /// Turnout in per mille of the roster (none when the roster is empty).
    #[must_use]
    pub fn turnout_per_mille(&self) -> Option<u32> {
        (self.roster > 0)
            .then(|| u32::try_from(u64::from(self.cast) * 1000 / u64::from(self.roster)).unwrap_or(u32::MAX))
    }
}

/// The most deputies one roster holds (a provincial congress seats under a thousand).
pub const MAX_ROSTER: usize = 5000;
/// The most milestones a candidate project plans.
pub const MAX_MILESTONES: usize = 24;

crate::name_text!(
    /// A ballot's name, e.g. 2026年县级民生实事项目代表票决.
    BallotTitle, "title", 1, 100
);
crate::name_text!(
    /// The congress session that holds the ballot.
    SessionName, "session", 1, 100
);
crate::name_text!(
    /// A livelihood project's name.
    ProjectTitle, "title", 1, 100
);
crate::bounded_text!(
    /// What a livelihood project will do, as the government proposes it.
    ProjectSummary, "summary", 1, 2000
);
crate::name_text!(
    /// A milestone's name, e.g. 完成施工招标.
    MilestoneTitle, "title", 1, 100
);

/// A planned milestone of a candidate project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMilestone {
    pub title: MilestoneTitle,
    pub planned_on: NaiveDate,
}

impl PlannedMilestone {
    /// Checks a project's milestones: at most `MAX_MILESTONES`, in the order of their planned days, none before
    /// `earliest` (the day the ballot closes: a milestone is supervised from the election on, so one planned before
    /// it would be overdue the moment it is elected).
    ///
    /// # Errors
    /// `Invalid` on `milestones` (too many) or `milestones[i].planned_on` (before `earliest`, or earlier than the one
    /// before).
    pub fn parse_all(raw: Vec<(String, NaiveDate)>, earliest: NaiveDate) -> Result<Vec<Self>, Invalid> {
        if raw.len() > MAX_MILESTONES {
            return Err(Invalid::new(
                "milestones",
                "too_many",
                format!("at most {MAX_MILESTONES} milestones"),
            ));
        }
        let mut out: Vec<PlannedMilestone> = Vec::with_capacity(raw.len());
        for (i, (title, planned_on)) in raw.into_iter().enumerate() {
            let title = MilestoneTitle::parse(&title).map_err(|e| e.under(&format!("milestones[{i}]")))?;
            if planned_on < earliest {
                return Err(Invalid::new(
                    format!("milestones[{i}].planned_on"),
                    "too_early",
                    format!("must be on or after {earliest}, the day the ballot closes"),
                ));
            }
            if out.last().is_some_and(|m| m.planned_on > planned_on) {
                return Err(Invalid::new(
                    format!("milestones[{i}].planned_on"),
                    "out_of_order",
                    "milestones are listed in the order of their planned days",
                ));
            }
            out.push(PlannedMilestone { title, planned_on });
        }
        Ok(out)
    }
}

/// The fewest held papers a ballot settles at once before its close: a batch of one would keep one paper's
/// transaction apart, and so its moment.
pub const SETTLE_BATCH: u64 = 5;

/// The chance, at each look the worker takes (every `MINSHENG_WORKER_TICK_MS`), that a ballot holding a batch settles
/// it: batches are settled at moments nobody can foresee, not at a fixed count or time.
pub const SETTLE_CHANCE: f64 = 0.1;

/// Whether a ballot holding `held` papers settles them now: always once its closing time has passed (closing settles
/// them too), otherwise only a batch of at least `SETTLE_BATCH`, and then when `draw` (uniform in 0..1) falls under
/// `SETTLE_CHANCE`.
#[must_use]
pub fn settles_now(held: u64, closing_passed: bool, draw: f64) -> bool {
    held > 0 && (closing_passed || (held >= SETTLE_BATCH && draw < SETTLE_CHANCE))
}

/// When a ballot takes papers: it opens and closes at stated times, and the closing time is still to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

impl Schedule {
    /// The local day (Asia/Shanghai) the ballot closes: the earliest a milestone may be planned for.
    #[must_use]
    pub fn election_day(&self) -> NaiveDate {
        self.closes_at
            .with_timezone(&crate::issue::deadline::SHANGHAI)
            .date_naive()
    }

    /// # Errors
    /// `Invalid` on `closes_at` when it is not after `opens_at`, or already past.
    pub fn parse(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<Self, Invalid> {
        if closes_at <= opens_at {
            return Err(Invalid::new("closes_at", "out_of_range", "must be after opens_at"));
        }
        if closes_at <= now {
            return Err(Invalid::new("closes_at", "out_of_range", "must be in the future"));
        }
        Ok(Schedule { opens_at, closes_at })
    }
}

/// Checks the deputies entitled to vote: at least one, at most `MAX_ROSTER`, none twice.
///
/// # Errors
/// `Invalid` on `roster` or `roster[i]`.
pub fn roster(deputies: Vec<Uuid>) -> Result<Vec<Uuid>, Invalid> {
    if deputies.is_empty() || deputies.len() > MAX_ROSTER {
        return Err(Invalid::new(
            "roster",
            "out_of_range",
            format!("1 to {MAX_ROSTER} deputies"),
        ));
    }
    let mut seen = HashSet::new();
    if let Some(i) = deputies.iter().position(|d| !seen.insert(*d)) {
        return Err(Invalid::new(format!("roster[{i}]"), "duplicate", "is listed twice"));
    }
    Ok(deputies)
}

/// Where a ballot stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Not open yet.
    Scheduled,
    /// Deputies on the roster check in and cast papers.
    Open,
    /// Past its closing time, not yet tallied: no more papers.
    Ended,
    /// Tallied; the results are published.
    Closed,
}

crate::word_enum!(Phase {
    Scheduled => "scheduled",
    Open => "open",
    Ended => "ended",
    Closed => "closed",
});

impl Phase {
    #[must_use]
    pub fn at(schedule: Schedule, closed_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Phase {
        if closed_at.is_some() {
            Phase::Closed
        } else if now < schedule.opens_at {
            Phase::Scheduled
        } else if now < schedule.closes_at {
            Phase::Open
        } else {
            Phase::Ended
        }
    }

    /// Deputies check in and cast only while the ballot is open.
    ///
    /// # Errors
    /// Why not, for a person.
    pub fn may_vote(self) -> Result<(), &'static str> {
        match self {
            Phase::Open => Ok(()),
            Phase::Scheduled => Err("the ballot is not open yet"),
            Phase::Ended | Phase::Closed => Err("the ballot is closed"),
        }
    }

    /// Closing tallies once: after the closing time, or earlier once every deputy on the roster has cast a paper.
    ///
    /// # Errors
    /// Why not, for a person.
    pub fn may_close(self, cast: u32, roster: u32) -> Result<(), &'static str> {
        match self {
            Phase::Ended => Ok(()),
            Phase::Open if cast >= roster => Ok(()),
            Phase::Open => Err("the ballot is open until its closing time, unless every deputy on the roster has cast"),
            Phase::Scheduled => Err("the ballot is not open yet"),
            Phase::Closed => Err("the ballot is already tallied"),
        }
    }
}

pub mod evaluation;

#[cfg(test)]
mod tests;
