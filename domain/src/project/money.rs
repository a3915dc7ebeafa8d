//! 领单 — the money: what was allocated to a project (拨付) and what it spent (支出), entry by entry against its
//! budget, and whether its spending keeps step with its progress.

use crate::Invalid;
use serde::Serialize;

crate::bounded_text!(
    /// What an entry is for, e.g. 第一期工程款.
    SpendingNote, "note", 1, 500
);

/// 拨付 or 支出.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpendingKind {
    /// 拨付: money allocated to the project.
    Allocated,
    /// 支出: money the project spent.
    Spent,
}

crate::word_enum!(SpendingKind { Allocated => "allocated", Spent => "spent" });

/// The largest single entry, in yuan: ten billion, beyond any county's project.
pub const MAX_AMOUNT_YUAN: i64 = 10_000_000_000;

/// An entry's amount in whole yuan, more than none.
///
/// # Errors
/// `Invalid` on `amount_yuan`.
pub fn amount(yuan: i64) -> Result<i64, Invalid> {
    if (1..=MAX_AMOUNT_YUAN).contains(&yuan) {
        Ok(yuan)
    } else {
        Err(Invalid::new(
            "amount_yuan",
            "out_of_range",
            format!("1 to {MAX_AMOUNT_YUAN} yuan"),
        ))
    }
}

/// The sentence the project's record and public page show for an entry, e.g. 拨付 600 万元（2026-11-22）：市财政首期拨付
/// — in 万元, as budgets are read, down to the yuan when it is not a whole number of them.
#[must_use]
pub fn sentence(kind: SpendingKind, yuan: i64, on: chrono::NaiveDate, note: &str) -> String {
    let word = match kind {
        SpendingKind::Allocated => "拨付",
        SpendingKind::Spent => "支出",
    };
    let amount = if yuan % 10_000 == 0 {
        format!("{} 万元", yuan / 10_000)
    } else if yuan >= 10_000 {
        let fraction = format!("{:04}", yuan % 10_000);
        format!("{}.{} 万元", yuan / 10_000, fraction.trim_end_matches('0'))
    } else {
        format!("{yuan} 元")
    };
    format!("{word} {amount}（{on}）：{note}")
}

/// How far spending may run ahead of the share done before it is flagged, in percentage points.
pub const AHEAD_BY: u32 = 25;
/// How far the share done may run ahead of spending before it is flagged, in percentage points.
pub const BEHIND_BY: u32 = 50;

/// Whether spending keeps step with progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    InStep,
    /// More of the budget spent than `AHEAD_BY` points beyond the share done: money going before the work.
    Ahead,
    /// The work `BEHIND_BY` points beyond the money spent: bills unpaid, or the work reported ahead of itself.
    Behind,
}

/// A project's money beside its progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Spending {
    pub budget_yuan: i64,
    pub allocated_yuan: i64,
    pub spent_yuan: i64,
    /// Spent as a percent of the budget (may pass 100); none without a budget.
    pub spent_percent: Option<u32>,
    /// The share done the pace is judged by: the percent its agency reported last, else its milestones done.
    pub done_percent: u32,
    /// None without a budget or before any money moved.
    pub pace: Option<Pace>,
}

impl Spending {
    #[must_use]
    pub fn of(budget_yuan: i64, allocated_yuan: i64, spent_yuan: i64, done_percent: u32) -> Self {
        let spent_percent = (budget_yuan > 0).then(|| {
            let p = i128::from(spent_yuan.max(0)) * 100 / i128::from(budget_yuan);
            u32::try_from(p).unwrap_or(u32::MAX)
        });
        let pace = spent_percent
            .filter(|_| allocated_yuan > 0 || spent_yuan > 0)
            .map(|spent| {
                if spent > done_percent.saturating_add(AHEAD_BY) {
                    Pace::Ahead
                } else if done_percent > spent.saturating_add(BEHIND_BY) {
                    Pace::Behind
                } else {
                    Pace::InStep
                }
            });
        Spending {
            budget_yuan,
            allocated_yuan,
            spent_yuan,
            spent_percent,
            done_percent,
            pace,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_in_wan_yuan_down_to_the_yuan() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("a day");
        assert_eq!(
            sentence(SpendingKind::Allocated, 6_000_000, day, "市财政首期拨付"),
            "拨付 600 万元（2026-11-22）：市财政首期拨付"
        );
        assert_eq!(
            sentence(SpendingKind::Spent, 1_234_500, day, "设备款"),
            "支出 123.45 万元（2026-11-22）：设备款"
        );
        assert_eq!(
            sentence(SpendingKind::Spent, 800, day, "材料"),
            "支出 800 元（2026-11-22）：材料"
        );
    }

    #[test]
    fn spending_far_ahead_of_the_work_or_far_behind_it_is_flagged() {
        let budget = 1_000_000;
        assert_eq!(Spending::of(budget, 0, 0, 0).pace, None);
        assert_eq!(Spending::of(budget, 500_000, 400_000, 30).pace, Some(Pace::InStep));
        assert_eq!(Spending::of(budget, 900_000, 800_000, 30).pace, Some(Pace::Ahead));
        assert_eq!(Spending::of(budget, 200_000, 100_000, 80).pace, Some(Pace::Behind));
        assert_eq!(Spending::of(budget, 0, 400_000, 30).spent_percent, Some(40));
        assert_eq!(Spending::of(0, 10, 10, 30).pace, None);
    }

    #[test]
    fn an_amount_is_whole_yuan_more_than_none() {
        assert!(amount(0).is_err());
        assert!(amount(MAX_AMOUNT_YUAN + 1).is_err());
        assert_eq!(amount(1), Ok(1));
    }
}
