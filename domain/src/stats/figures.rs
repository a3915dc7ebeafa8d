//! The counts statistics take of a cohort of issues, and the four rates, each defined here and only here.

use serde::Serialize;
use utoipa::ToSchema;

/// What became of the issues reported in a period (each issue counted once, as it stands now).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Counts {
    /// 报: issues reported.
    pub reported: u64,
    /// Issues taken up at triage (accepted at least once).
    pub accepted: u64,
    /// 不予受理.
    pub declined: u64,
    /// Folded into another issue as duplicates.
    pub merged: u64,
    /// Issues routed to an agency at least once.
    pub routed: u64,
    /// Issues with a reply standing now (A + B + C; a reopened issue waits for its new reply).
    pub replied: u64,
    /// Replied A: solved or adopted (已解决/采纳).
    pub replied_a: u64,
    /// Replied B: being solved or planned (正在解决/列入计划).
    pub replied_b: u64,
    /// Replied C: cannot be solved now (因条件限制暂不能解决).
    pub replied_c: u64,
    /// Solved (A) by a first reply given on the day of the report (当场落实).
    pub solved_on_the_spot: u64,
    /// Solved (A) later than the day of the report (后期追踪解决).
    pub solved_later: u64,
    /// Converted into a formal deputy suggestion (转为代表建议).
    pub converted: u64,
    /// 办结.
    pub closed: u64,
    /// Issues with a reply standing, or with a sign or reply deadline met late or passed unmet — past due now
    /// counts, before the worker has marked it (the on-time rate's base).
    pub due_for_reply: u64,
    /// Of those, the issues with a reply standing that were signed and replied within every deadline.
    pub replied_on_time: u64,
    /// Issues the reporter rated in their current round (a reopened issue's earlier rating waits for the new reply's).
    pub rated: u64,
    /// Of those, rated satisfied or basically satisfied.
    pub satisfied: u64,
    /// Issues with an agency deadline past due now (red).
    pub overdue_now: u64,
    /// Issues reopened at least once (重办 or a follow-up that found the problem back).
    pub reopened: u64,
    /// 我也遇到: how many times citizens joined these issues instead of reporting the same problem again — the
    /// people behind them besides their reporters.
    pub joins: u64,
}

/// A share: `of` out of `over`, and the percentage to one decimal (none when nothing was counted).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Rate {
    pub of: u64,
    pub over: u64,
    /// Percent, rounded to one decimal; null when `over` is 0.
    #[schema(example = 89.7)]
    pub percent: Option<f64>,
}

impl Rate {
    #[must_use]
    pub fn new(of: u64, over: u64) -> Self {
        #[allow(clippy::cast_precision_loss)]
        let percent = (over > 0).then(|| (of as f64 * 1000.0 / over as f64).round() / 10.0);
        Rate { of, over, percent }
    }
}

/// The four rates the seeds report (答复率, 解决率, 按期办结率, 满意率).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Rates {
    /// 答复率: issues with a reply standing over issues routed to an agency.
    pub reply: Rate,
    /// 解决率: issues solved (replied A) over issues that stood on their own (reported, less declined and merged).
    pub solve: Rate,
    /// 按期办结率: issues signed and replied within every deadline, over issues replied or with a sign or reply
    /// deadline passed unmet.
    pub on_time: Rate,
    /// 满意率: issues rated satisfied or basically satisfied by their reporter, over issues the reporter rated.
    pub satisfaction: Rate,
}

impl Counts {
    #[must_use]
    pub fn rates(&self) -> Rates {
        Rates {
            reply: Rate::new(self.replied, self.routed),
            solve: Rate::new(
                self.replied_a,
                self.reported.saturating_sub(self.declined + self.merged),
            ),
            on_time: Rate::new(self.replied_on_time, self.due_for_reply),
            satisfaction: Rate::new(self.satisfied, self.rated),
        }
    }
}

/// How long a step took, in working days, over the issues that took it. Each issue's time is kept to a tenth of a
/// working day (about 48 minutes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, ToSchema)]
pub struct Durations {
    /// Issues measured.
    pub count: u64,
    /// Mean working days, to two decimals.
    pub average: Option<f64>,
    /// 90th percentile (continuous), to two decimals.
    pub p90: Option<f64>,
}

impl Durations {
    #[must_use]
    pub fn new(count: u64, average: Option<f64>, p90: Option<f64>) -> Self {
        let two = |v: f64| (v * 100.0).round() / 100.0;
        Durations {
            count,
            average: average.map(two),
            p90: p90.map(two),
        }
    }

    /// The durations of a histogram: how many issues (`.1`) took each time (`.0`, working days to a tenth), in
    /// ascending order of time. The mean and the 90th percentile are PostgreSQL's `avg` and `percentile_cont(0.9)`
    /// over the same times, one per issue: a tally's figures are the scan's.
    #[must_use]
    pub fn from_histogram(times: &[(f64, u64)]) -> Self {
        let count: u64 = times.iter().map(|(_, n)| n).sum();
        if count == 0 {
            return Durations::new(0, None, None);
        }
        #[allow(clippy::cast_precision_loss)] // counts of issues: far below 2^52
        let (sum, last) = (
            times.iter().map(|(v, n)| v * (*n as f64)).sum::<f64>(),
            (count - 1) as f64,
        );
        // percentile_cont: the rows at floor and ceil of 0.9 × (count − 1), counted from 0, interpolated between.
        let position = 0.9 * last;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // within 0..count
        let (first, second) = (position.floor() as u64, position.ceil() as u64);
        let at = |row: u64| {
            let mut seen = 0;
            times
                .iter()
                .find(|(_, n)| {
                    seen += n;
                    seen > row
                })
                .map_or(0.0, |(v, _)| *v)
        };
        let (low, high) = (at(first), at(second));
        #[allow(clippy::cast_precision_loss)]
        let p90 = low + (high - low) * (position - first as f64);
        #[allow(clippy::cast_precision_loss)]
        Durations::new(count, Some(sum / count as f64), Some(p90))
    }
}

/// Time to sign and to reply, each from the first routing (working days: domain::issue::deadline::Calendar).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, ToSchema)]
pub struct Times {
    pub to_sign: Durations,
    pub to_reply: Durations,
}

/// Counts, the rates drawn from them, and the times.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Figures {
    pub counts: Counts,
    pub rates: Rates,
    pub times: Times,
}

impl Figures {
    /// The figures of `counts` (whose `solved_later` is derived here: solved, less solved on the spot) and `times`.
    #[must_use]
    pub fn new(counts: Counts, times: Times) -> Self {
        let counts = Counts {
            solved_later: counts.replied_a.saturating_sub(counts.solved_on_the_spot),
            ..counts
        };
        Figures {
            counts,
            rates: counts.rates(),
            times,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_histograms_durations_are_the_percentile_of_its_issues_one_by_one() {
        // Ten issues: 0.1 ×3, 0.5 ×4, 1.2, 2.0, 7.5. Ranks 0..9; 0.9 × 9 = 8.1: between 2.0 and 7.5 at 0.1.
        let d = Durations::from_histogram(&[(0.1, 3), (0.5, 4), (1.2, 1), (2.0, 1), (7.5, 1)]);
        assert_eq!(d.count, 10);
        assert_eq!(d.average, Some(1.3));
        assert_eq!(d.p90, Some(2.55));
        assert_eq!(Durations::from_histogram(&[(3.0, 1)]).p90, Some(3.0));
        assert_eq!(Durations::from_histogram(&[]), Durations::new(0, None, None));
    }

    use super::*;

    #[test]
    fn the_seeds_figures_come_out_as_reported() {
        // 北仑 民生夜询会: 117 raised, 61 on the spot, 44 later, 12 planned, every one replied.
        let beilun = Counts {
            reported: 117,
            accepted: 117,
            routed: 117,
            replied: 117,
            replied_a: 105,
            replied_b: 12,
            solved_on_the_spot: 61,
            solved_later: 44,
            ..Counts::default()
        };
        assert_eq!(beilun.rates().reply.percent, Some(100.0));
        assert_eq!(beilun.rates().solve, Rate::new(105, 117));
        // 江北 文教街道: 305 collected, 271 solved: 89 %.
        let jiangbei = Counts {
            reported: 305,
            replied_a: 271,
            ..Counts::default()
        };
        assert_eq!(jiangbei.rates().solve.percent, Some(88.9));
        // Nothing rated: no satisfaction rate rather than 0 %.
        assert_eq!(jiangbei.rates().satisfaction.percent, None);
        // Declined and merged issues are not the agencies' to solve.
        let triaged = Counts {
            reported: 10,
            declined: 3,
            merged: 2,
            replied_a: 5,
            ..Counts::default()
        };
        assert_eq!(triaged.rates().solve.percent, Some(100.0));
    }
}
