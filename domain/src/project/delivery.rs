//! 验单 — where an elected project's delivery stands: delivered by its agency, declared complete with a summary once
//! every milestone is done, accepted (验收) or returned by staff with what is missing, then rated by deputies in a
//! secret satisfaction evaluation (`domain::ballot::evaluation`): satisfied, or sent to 整改 (rectification) with a
//! deadline — after which the agency declares it complete again, staff accept it again, and a later evaluation
//! rates it again.

use serde::{Deserialize, Serialize};

crate::bounded_text!(
    /// What the agency says it delivered, declaring the project complete.
    CompletionSummary, "summary", 1, 2000
);
crate::bounded_text!(
    /// What staff say accepting it, or what is missing returning it.
    AcceptanceNote, "note", 1, 1000
);

/// Staff's acceptance as they record it: a return says what is missing.
///
/// # Errors
/// `Invalid` on `note` for a return without one.
pub fn acceptance(
    accepted: bool,
    note: Option<AcceptanceNote>,
) -> Result<(bool, Option<AcceptanceNote>), crate::Invalid> {
    if !accepted && note.is_none() {
        return Err(crate::Invalid::new(
            "note",
            "required",
            "say what is missing when returning a project",
        ));
    }
    Ok((accepted, note))
}

/// Where an elected project's delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Its agency works on it (again, after a return).
    Delivering,
    /// Its agency declared it complete: staff accept it or return it.
    Completed,
    /// Accepted (验收): deputies may rate it in an evaluation.
    Accepted,
    /// Rated below the evaluation's share: it is being rectified (整改) by a deadline.
    Rectifying,
    /// Rated satisfactory by the deputies: the project is closed.
    Satisfied,
}

crate::word_enum!(Delivery {
    Delivering => "delivering",
    Completed => "completed",
    Accepted => "accepted",
    Rectifying => "rectifying",
    Satisfied => "satisfied",
});

impl Delivery {
    /// The glossary's word, as reports and screens show it.
    #[must_use]
    pub fn glossary(self) -> &'static str {
        match self {
            Delivery::Delivering => "实施中",
            Delivery::Completed => "已申报完成",
            Delivery::Accepted => "已验收",
            Delivery::Rectifying => "整改中",
            Delivery::Satisfied => "测评满意",
        }
    }

    /// The agency declares the project complete: while it delivers or rectifies, and only with every milestone done.
    ///
    /// # Errors
    /// Why not, for a person (a 409).
    pub fn complete(self, open_milestones: u32) -> Result<Delivery, &'static str> {
        match self {
            Delivery::Delivering | Delivery::Rectifying if open_milestones == 0 => Ok(Delivery::Completed),
            Delivery::Delivering | Delivery::Rectifying => {
                Err("milestones are still open: complete them with a progress report first")
            }
            Delivery::Completed => Err("the project is declared complete already"),
            Delivery::Accepted | Delivery::Satisfied => Err("the project is accepted already"),
        }
    }

    /// Staff accept a completed project, or return it to its agency.
    ///
    /// # Errors
    /// Why not, for a person (a 409).
    pub fn accept(self, accepted: bool) -> Result<Delivery, &'static str> {
        match self {
            Delivery::Completed if accepted => Ok(Delivery::Accepted),
            Delivery::Completed => Ok(Delivery::Delivering),
            Delivery::Delivering | Delivery::Rectifying => Err("the project is not declared complete"),
            Delivery::Accepted | Delivery::Satisfied => Err("the project is accepted already"),
        }
    }

    /// Whether an evaluation may rate it: once accepted, and not while it waits for a result.
    #[must_use]
    pub fn may_be_evaluated(self) -> bool {
        self == Delivery::Accepted
    }

    /// What an evaluation's result makes of it.
    #[must_use]
    pub fn evaluated(passed: bool) -> Delivery {
        if passed {
            Delivery::Satisfied
        } else {
            Delivery::Rectifying
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_is_completed_accepted_evaluated_and_rectified_in_order() {
        assert!(Delivery::Delivering.complete(1).is_err());
        let done = Delivery::Delivering.complete(0).expect("complete");
        assert_eq!(done, Delivery::Completed);
        assert_eq!(
            done.accept(false),
            Ok(Delivery::Delivering),
            "returned with what is missing"
        );
        assert_eq!(done.accept(true), Ok(Delivery::Accepted));
        assert!(Delivery::Accepted.may_be_evaluated());
        assert!(!Delivery::Completed.may_be_evaluated());
        assert_eq!(Delivery::evaluated(false), Delivery::Rectifying);
        assert_eq!(
            Delivery::Rectifying.complete(0),
            Ok(Delivery::Completed),
            "rectified, declared again"
        );
        assert!(Delivery::Satisfied.complete(0).is_err());
        assert!(Delivery::Delivering.accept(true).is_err());
    }
}
