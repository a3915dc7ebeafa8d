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

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<Uuid> {
        (0..n)
            .map(|i| Uuid::from_u128(u128::try_from(i).expect("small") + 1))
            .collect()
    }

    fn papers(contest: &Contest, ballots: &[(usize, &[usize])]) -> Vec<Paper> {
        let c = contest.candidates().to_vec();
        ballots
            .iter()
            .flat_map(|(times, picks)| {
                let choices: Vec<Uuid> = picks.iter().map(|&i| c[i]).collect();
                std::iter::repeat_n(contest.paper(choices).expect("a valid paper"), *times)
            })
            .collect()
    }

    #[test]
    fn lanzhou_elects_ten_of_thirteen_by_more_than_half() {
        let contest = Contest::parse(ids(13), 10, Fraction::HALF).expect("valid");
        // 300 of 304 vote: 200 for projects 0–9, 100 for projects 3–12 (ten each).
        let first: Vec<usize> = (0..10).collect();
        let second: Vec<usize> = (3..13).collect();
        let cast = papers(&contest, &[(200, &first), (100, &second)]);
        let tally = contest.tally(&cast, 304);
        assert_eq!(tally.cast, 300);
        assert_eq!(tally.turnout_per_mille(), Some(986));
        let c = contest.candidates();
        // 3–9 have 300, 0–2 have 200, 10–12 have 100 (not more than half).
        assert_eq!(&tally.elected[..7], &c[3..10]);
        assert_eq!(&tally.elected[7..], &c[0..3]);
        assert!(tally.runoff.is_empty());
        assert_eq!(tally.open_seats, 0);
        assert!(!tally.counts[12].passed);
    }

    #[test]
    fn a_tie_for_the_last_seat_goes_to_a_runoff_and_leaves_it_open() {
        let contest = Contest::parse(ids(4), 2, Fraction::ZERO).expect("valid");
        let cast = papers(&contest, &[(3, &[0, 1]), (2, &[0, 2]), (1, &[3])]);
        // 0: 5, 1: 3, 2: 2, 3: 1 → 0 and 1 elected.
        let tally = contest.tally(&cast, 10);
        let c = contest.candidates();
        assert_eq!(tally.elected, vec![c[0], c[1]]);
        let cast = papers(&contest, &[(3, &[0, 1]), (3, &[0, 2])]);
        // 0: 6, 1: 3, 2: 3 → 0 elected; 1 and 2 tie for the one seat left.
        let tally = contest.tally(&cast, 10);
        assert_eq!(tally.elected, vec![c[0]]);
        assert_eq!(tally.runoff, vec![c[1], c[2]]);
        assert_eq!(tally.open_seats, 1);
    }

    #[test]
    fn tied_candidates_who_all_fit_are_all_elected() {
        let contest = Contest::parse(ids(4), 2, Fraction::ZERO).expect("valid");
        let cast = papers(&contest, &[(2, &[0, 1]), (1, &[2])]);
        let tally = contest.tally(&cast, 3);
        let c = contest.candidates();
        assert_eq!(tally.elected, vec![c[0], c[1]]);
        assert_eq!(tally.open_seats, 0);
    }

    #[test]
    fn seats_too_few_candidates_pass_for_stay_open() {
        let contest = Contest::parse(ids(3), 2, Fraction::HALF).expect("valid");
        let cast = papers(&contest, &[(3, &[0]), (2, &[1]), (1, &[])]);
        // 6 cast: 0 has 3 (not more than half), 1 has 2.
        let tally = contest.tally(&cast, 6);
        assert!(tally.elected.is_empty());
        assert_eq!(tally.open_seats, 2);
        let cast = papers(&contest, &[(4, &[0]), (2, &[1])]);
        let tally = contest.tally(&cast, 6);
        assert_eq!(tally.elected, vec![contest.candidates()[0]]);
        assert_eq!(tally.open_seats, 1);
        assert!(tally.runoff.is_empty());
    }

    #[test]
    fn a_paper_names_at_most_the_seats_each_candidate_once() {
        let contest = Contest::parse(ids(13), 10, Fraction::HALF).expect("valid");
        let c = contest.candidates().to_vec();
        assert_eq!(contest.paper(c[..11].to_vec()).map_err(|e| e.code), Err("too_many"));
        assert_eq!(
            contest.paper(vec![c[0], c[0]]).map_err(|e| e.field),
            Err("choices[1]".to_owned())
        );
        assert_eq!(
            contest.paper(vec![Uuid::nil()]).map_err(|e| e.code),
            Err("not_a_candidate")
        );
        assert!(contest.paper(Vec::new()).is_ok(), "a blank paper is valid");
        let paper = contest.paper(vec![c[5], c[1]]).expect("fewer is valid");
        assert_eq!(
            paper.choices(),
            &[c[1], c[5]],
            "kept in candidate order, not ticking order"
        );
    }

    proptest::proptest! {
        /// Whatever the papers: no more elected than seats; elected, runoff and open seats add up to the seats;
        /// everyone elected passed the threshold and has at least the votes of anyone passing who was not elected.
        #[test]
        fn a_tally_fills_at_most_the_seats_and_never_passes_over_more_votes(
            n in 3_usize..15,
            seats_pick in 0_usize..100,
            half in proptest::bool::ANY,
            ballots in proptest::collection::vec(proptest::collection::vec(0_usize..15, 0..15), 0..60),
        ) {
            let seats = u32::try_from(seats_pick % (n - 1) + 1).expect("small");
            let threshold = if half { Fraction::HALF } else { Fraction::ZERO };
            let contest = Contest::parse(ids(n), seats, threshold).expect("valid");
            let c = contest.candidates().to_vec();
            let cast: Vec<Paper> = ballots
                .iter()
                .filter_map(|picks| {
                    let mut chosen: Vec<Uuid> = picks.iter().filter(|&&i| i < n).map(|&i| c[i]).collect();
                    chosen.dedup();
                    contest.paper(chosen).ok()
                })
                .collect();
            let tally = contest.tally(&cast, 100);
            let seats = seats as usize;
            proptest::prop_assert!(tally.elected.len() <= seats);
            proptest::prop_assert_eq!(tally.elected.len() + tally.open_seats as usize, seats);
            proptest::prop_assert!(tally.runoff.is_empty() || tally.runoff.len() > tally.open_seats as usize);
            let votes = |id: &Uuid| tally.counts.iter().find(|k| k.candidate == *id).map(|k| (k.votes, k.passed));
            for e in &tally.elected {
                let (v, passed) = votes(e).expect("counted");
                proptest::prop_assert!(passed);
                for k in tally.counts.iter().filter(|k| k.passed && !tally.elected.contains(&k.candidate)) {
                    proptest::prop_assert!(k.votes <= v);
                }
            }
            proptest::prop_assert!(tally.runoff.iter().all(|r| !tally.elected.contains(r)));
        }
    }

    #[test]
    fn a_contest_must_choose() {
        assert_eq!(
            Contest::parse(ids(3), 3, Fraction::ZERO).map_err(|e| e.field),
            Err("seats".to_owned())
        );
        assert_eq!(
            Contest::parse(ids(3), 0, Fraction::ZERO).map_err(|e| e.field),
            Err("seats".to_owned())
        );
        let mut twice = ids(3);
        twice.push(twice[0]);
        assert_eq!(
            Contest::parse(twice, 1, Fraction::ZERO).map_err(|e| e.code),
            Err("duplicate")
        );
    }

    #[test]
    fn a_ballot_takes_papers_only_while_open_and_closes_early_only_when_all_have_cast() {
        let t = |h: i64| DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::hours(h);
        let schedule = Schedule::parse(t(10), t(12), t(0)).expect("valid");
        assert_eq!(Phase::at(schedule, None, t(9)), Phase::Scheduled);
        assert_eq!(Phase::at(schedule, None, t(10)), Phase::Open);
        assert_eq!(Phase::at(schedule, None, t(12)), Phase::Ended);
        assert_eq!(Phase::at(schedule, Some(t(11)), t(11)), Phase::Closed);
        assert!(Phase::Open.may_vote().is_ok());
        assert!(Phase::Ended.may_vote().is_err());
        assert!(Phase::Open.may_close(303, 304).is_err());
        assert!(Phase::Open.may_close(304, 304).is_ok());
        assert!(Phase::Ended.may_close(0, 304).is_ok());
        assert!(Phase::Closed.may_close(304, 304).is_err());
        assert_eq!(
            Schedule::parse(t(12), t(12), t(0)).expect_err("empty").field,
            "closes_at"
        );
        assert_eq!(Schedule::parse(t(1), t(2), t(3)).expect_err("past").field, "closes_at");
    }

    #[test]
    fn rosters_and_milestones_are_checked() {
        assert_eq!(roster(vec![]).expect_err("empty").field, "roster");
        let d = Uuid::from_u128(1);
        assert_eq!(roster(vec![d, d]).expect_err("twice").field, "roster[1]");
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).expect("date");
        let ok =
            PlannedMilestone::parse_all(vec![("立项".into(), day(1)), ("开工".into(), day(2))], day(1)).expect("valid");
        assert_eq!(ok.len(), 2);
        let late = PlannedMilestone::parse_all(vec![("开工".into(), day(2)), ("立项".into(), day(1))], day(1));
        assert_eq!(late.expect_err("order").field, "milestones[1].planned_on");
        let blank = PlannedMilestone::parse_all(vec![(" ".into(), day(1))], day(1));
        assert_eq!(blank.expect_err("blank").field, "milestones[0].title");
        let past = PlannedMilestone::parse_all(vec![("立项".into(), day(1)), ("开工".into(), day(9))], day(2));
        let past = past.expect_err("before the election");
        assert_eq!(
            (past.field.as_str(), past.code),
            ("milestones[0].planned_on", "too_early")
        );
    }

    #[test]
    fn held_papers_settle_in_batches_at_drawn_moments_and_all_at_the_close() {
        assert!(!settles_now(0, true, 0.0), "nothing to settle");
        assert!(!settles_now(SETTLE_BATCH - 1, false, 0.0), "too few to hide among");
        assert!(settles_now(SETTLE_BATCH - 1, true, 0.99), "the close takes every paper");
        assert!(settles_now(SETTLE_BATCH, false, 0.0));
        assert!(
            !settles_now(SETTLE_BATCH, false, SETTLE_CHANCE),
            "not every look settles"
        );
    }

    #[test]
    fn each_candidate_is_told_what_the_tally_made_of_it() {
        let [a, b, c, d] = [1u128, 2, 3, 4].map(Uuid::from_u128);
        let count = |candidate, votes, passed| Count {
            candidate,
            votes,
            passed,
        };
        let tally = Tally {
            counts: vec![
                count(a, 5, true),
                count(b, 9, true),
                count(c, 4, true),
                count(d, 4, true),
            ],
            cast: 10,
            roster: 12,
            elected: vec![b, a],
            runoff: vec![c, d],
            open_seats: 1,
        };
        let outcomes: Vec<_> = tally.outcomes().into_iter().map(|(c, o)| (c.candidate, o)).collect();
        assert_eq!(
            outcomes,
            vec![
                (a, Outcome::Elected { rank: 2 }),
                (b, Outcome::Elected { rank: 1 }),
                (c, Outcome::Runoff),
                (d, Outcome::Runoff),
            ]
        );
        assert_eq!(Outcome::Elected { rank: 2 }.rank(), Some(2));
        assert_eq!(Outcome::Runoff.as_str(), "runoff");
        let lone = Tally {
            counts: vec![count(c, 1, false)],
            elected: vec![],
            runoff: vec![],
            ..tally
        };
        assert_eq!(lone.outcomes()[0].1, Outcome::NotElected);
    }
}
