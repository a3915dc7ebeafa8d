//! 点单 — citizens propose: a region opens a round of proposals for a year's livelihood projects (征集), citizens and
//! deputies propose and support (附议) one another's proposals while it is open, and staff fold duplicates together
//! or say why one is not taken. A proposal that becomes a candidate project is taken up by a ballot.

use crate::ballot::Schedule;
use crate::organisation::region::RegionPath;
use crate::Invalid;
use chrono::{DateTime, Utc};
use uuid::Uuid;

crate::name_text!(
    /// What a round is called, e.g. 2027年民生实事项目征集.
    RoundTitle, "title", 1, 100
);
crate::bounded_text!(
    /// What a round asks citizens for: the kinds of projects, the budget's order, what makes one a good proposal.
    RoundAsk, "ask", 1, 2000
);
crate::name_text!(
    /// A proposal's name, e.g. 小区加装电梯.
    ProposalTitle, "title", 1, 100
);
crate::bounded_text!(
    /// What the proposal would do, and where.
    ProposalBody, "body", 1, 2000
);
crate::bounded_text!(
    /// Why it matters to the people who live there.
    ProposalReason, "reason", 1, 1000
);
crate::bounded_text!(
    /// Why a proposal was not taken, as its proposer is told.
    NotTakenReason, "not_taken", 1, 500
);

/// Where a round stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundPhase {
    /// Not open yet: proposals are not taken.
    Scheduled,
    /// Citizens and deputies propose and support.
    Open,
    /// Past its closing time: staff sort what came.
    Closed,
}

crate::word_enum!(RoundPhase {
    Scheduled => "scheduled",
    Open => "open",
    Closed => "closed",
});

impl RoundPhase {
    #[must_use]
    pub fn at(schedule: Schedule, now: DateTime<Utc>) -> RoundPhase {
        if now < schedule.opens_at {
            RoundPhase::Scheduled
        } else if now < schedule.closes_at {
            RoundPhase::Open
        } else {
            RoundPhase::Closed
        }
    }
}

/// The year a round gathers proposals for.
///
/// # Errors
/// `Invalid` on `year` outside 2000–2100.
pub fn round_year(year: i32) -> Result<i32, Invalid> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(Invalid::new("year", "out_of_range", "must be between 2000 and 2100"))
    }
}

/// What became of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    /// Waiting for staff; others may support it while the round is open.
    Open,
    /// Folded into another proposal of the round, which carries its supporters.
    Merged,
    /// Taken up as a candidate project.
    Candidate,
    /// Not taken, with the reason its proposer was told.
    NotTaken,
}

crate::word_enum!(ProposalStatus {
    Open => "open",
    Merged => "merged",
    Candidate => "candidate",
    NotTaken => "not_taken",
});

/// What staff decide of an open proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// A duplicate: fold it into `into`, another proposal of the same round still open or already a candidate.
    Merge { into: Uuid },
    /// Not taken, and why.
    NotTaken(NotTakenReason),
}

/// A proposal as a decision finds it: its round, and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub id: Uuid,
    pub round: Uuid,
    pub status: ProposalStatus,
}

/// Why a decision or a support cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The proposal was decided already: here is what became of it.
    Decided(ProposalStatus),
    /// The field named is wrong (a merge into itself, into another round's proposal, into one not standing).
    Invalid(Invalid),
}

/// The status `decision` leaves `proposal` in; `target` is the proposal a merge folds it into.
///
/// # Errors
/// `Decided` for a proposal no longer open; `Invalid` on `merge_into` for itself, another round's proposal, or one
/// merged or not taken.
pub fn decide(proposal: Standing, decision: &Decision, target: Option<Standing>) -> Result<ProposalStatus, Refusal> {
    if proposal.status != ProposalStatus::Open {
        return Err(Refusal::Decided(proposal.status));
    }
    match decision {
        Decision::NotTaken(_) => Ok(ProposalStatus::NotTaken),
        Decision::Merge { into } => {
            let wrong = |why: &str| Refusal::Invalid(Invalid::new("merge_into", "invalid", why.to_owned()));
            let Some(target) = target.filter(|t| t.id == *into) else {
                return Err(wrong("names no proposal"));
            };
            if target.id == proposal.id {
                return Err(wrong("a proposal cannot be merged into itself"));
            }
            if target.round != proposal.round {
                return Err(wrong("names a proposal of another round"));
            }
            if !matches!(target.status, ProposalStatus::Open | ProposalStatus::Candidate) {
                return Err(wrong("names a proposal merged or not taken"));
            }
            Ok(ProposalStatus::Merged)
        }
    }
}

/// Whether a proposal may gather support now: while its round is open and it is still open or a candidate.
#[must_use]
pub fn takes_support(phase: RoundPhase, status: ProposalStatus) -> bool {
    phase == RoundPhase::Open && matches!(status, ProposalStatus::Open | ProposalStatus::Candidate)
}

/// Whether a proposal may be taken up as a candidate project of a ballot held in `ballot_region`: it is still open
/// (not merged, not taken, not a candidate already) and its round gathered proposals in the ballot's region or below.
///
/// # Errors
/// Why not, in a sentence for the field that named it.
pub fn may_take_up(
    status: ProposalStatus,
    round_region: &RegionPath,
    ballot_region: &RegionPath,
) -> Result<(), &'static str> {
    if status != ProposalStatus::Open {
        return Err("names a proposal merged, not taken, or taken up already");
    }
    if !ballot_region.covers(round_region) {
        return Err("names a proposal of a round outside the ballot's region");
    }
    Ok(())
}

/// Checks the proposals a ballot's candidates are taken up from: each named once, by one candidate.
///
/// # Errors
/// `Invalid` on `candidates[i].proposal_ids[j]` for a proposal named before.
pub fn taken_once(candidates: &[Vec<Uuid>]) -> Result<(), Invalid> {
    let mut seen = std::collections::HashSet::new();
    for (i, ids) in candidates.iter().enumerate() {
        for (j, id) in ids.iter().enumerate() {
            if !seen.insert(*id) {
                return Err(Invalid::new(
                    format!("candidates[{i}].proposal_ids[{j}]"),
                    "duplicate",
                    "names a proposal another candidate or this one names already",
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn standing(status: ProposalStatus) -> Standing {
        Standing {
            id: Uuid::now_v7(),
            round: Uuid::nil(),
            status,
        }
    }

    #[test]
    fn a_round_is_open_from_its_opening_until_its_closing() {
        let opens_at = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single().expect("a time");
        let closes_at = Utc.with_ymd_and_hms(2026, 12, 31, 0, 0, 0).single().expect("a time");
        let schedule = Schedule { opens_at, closes_at };
        assert_eq!(
            RoundPhase::at(schedule, opens_at - chrono::Duration::seconds(1)),
            RoundPhase::Scheduled
        );
        assert_eq!(RoundPhase::at(schedule, opens_at), RoundPhase::Open);
        assert_eq!(RoundPhase::at(schedule, closes_at), RoundPhase::Closed);
    }

    #[test]
    fn only_an_open_proposal_is_decided_and_a_merge_goes_to_a_standing_one_of_the_same_round() {
        let open = standing(ProposalStatus::Open);
        let reason = NotTakenReason::parse("不属于政府职责").expect("a reason");
        assert_eq!(
            decide(open, &Decision::NotTaken(reason.clone()), None),
            Ok(ProposalStatus::NotTaken)
        );
        assert_eq!(
            decide(standing(ProposalStatus::Merged), &Decision::NotTaken(reason), None),
            Err(Refusal::Decided(ProposalStatus::Merged))
        );
        let candidate = standing(ProposalStatus::Candidate);
        let merge = |into: Uuid| Decision::Merge { into };
        assert_eq!(
            decide(open, &merge(candidate.id), Some(candidate)),
            Ok(ProposalStatus::Merged)
        );
        assert!(matches!(
            decide(open, &merge(open.id), Some(open)),
            Err(Refusal::Invalid(_))
        ));
        let elsewhere = Standing {
            round: Uuid::now_v7(),
            ..standing(ProposalStatus::Open)
        };
        assert!(matches!(
            decide(open, &merge(elsewhere.id), Some(elsewhere)),
            Err(Refusal::Invalid(_))
        ));
        let declined = standing(ProposalStatus::NotTaken);
        assert!(matches!(
            decide(open, &merge(declined.id), Some(declined)),
            Err(Refusal::Invalid(_))
        ));
        assert!(matches!(
            decide(open, &merge(Uuid::now_v7()), None),
            Err(Refusal::Invalid(_))
        ));
    }

    #[test]
    fn support_is_taken_while_the_round_is_open_for_proposals_still_standing() {
        assert!(takes_support(RoundPhase::Open, ProposalStatus::Open));
        assert!(takes_support(RoundPhase::Open, ProposalStatus::Candidate));
        assert!(!takes_support(RoundPhase::Open, ProposalStatus::Merged));
        assert!(!takes_support(RoundPhase::Closed, ProposalStatus::Open));
        assert!(!takes_support(RoundPhase::Scheduled, ProposalStatus::Open));
    }

    #[test]
    fn a_candidate_takes_up_open_proposals_of_its_region_each_once() {
        let county = RegionPath::from_stored("/33/3302/330281/".to_owned());
        let town = RegionPath::from_stored("/33/3302/330281/330281001/".to_owned());
        let elsewhere = RegionPath::from_stored("/33/3302/330206/".to_owned());
        assert_eq!(may_take_up(ProposalStatus::Open, &town, &county), Ok(()));
        assert!(may_take_up(ProposalStatus::Open, &elsewhere, &county).is_err());
        assert!(may_take_up(ProposalStatus::Candidate, &county, &county).is_err());
        assert!(may_take_up(ProposalStatus::Merged, &county, &county).is_err());
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(taken_once(&[vec![a], vec![b]]), Ok(()));
        let twice = taken_once(&[vec![a], vec![b, a]]).expect_err("a proposal named twice");
        assert_eq!(twice.field, "candidates[1].proposal_ids[1]");
    }
}
