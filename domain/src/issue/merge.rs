//! 合并: which issue a duplicate may be merged into.

use super::status::Status;
use crate::Invalid;
use uuid::Uuid;

/// May `issue` be merged into `into`, whose state the caller sees as `target` (none: no such issue within their
/// reach)? Not into itself, not into one that is itself merged or declined (the duplicate goes where that one went).
///
/// # Errors
/// `Invalid` on `into`: `merge_into_itself`, `unknown_issue` or `merge_into_closed`.
pub fn check_target(issue: Uuid, into: Uuid, target: Option<Status>) -> Result<(), Invalid> {
    if into == issue {
        return Err(Invalid::new(
            "into",
            "merge_into_itself",
            "an issue cannot be merged into itself",
        ));
    }
    match target {
        None => Err(Invalid::new("into", "unknown_issue", "no such issue within your reach")),
        Some(Status::Merged | Status::Declined) => Err(Invalid::new(
            "into",
            "merge_into_closed",
            "that issue is merged or declined itself; merge into the issue it went to",
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_goes_into_another_live_issue() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let code = |r: Result<(), Invalid>| r.map_err(|e| (e.field, e.code));
        assert_eq!(code(check_target(a, b, Some(Status::Routed))), Ok(()));
        assert_eq!(code(check_target(a, b, Some(Status::Closed))), Ok(()));
        assert_eq!(
            code(check_target(a, a, Some(Status::Accepted))),
            Err(("into".into(), "merge_into_itself"))
        );
        assert_eq!(code(check_target(a, b, None)), Err(("into".into(), "unknown_issue")));
        for gone in [Status::Merged, Status::Declined] {
            assert_eq!(
                code(check_target(a, b, Some(gone))),
                Err(("into".into(), "merge_into_closed"))
            );
        }
    }
}
