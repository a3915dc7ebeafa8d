//! 代表履职考核: a deputy's performance in a year. Points (记工分) under the region's scheme — aspects of items, each
//! item earning points per recorded act up to its most — and 三维联评, the self-review, the voters' rating and the
//! group assessment combined with the scheme's weights.
//!
//! Points are counted, never kept: the platform's own records give the automatic items, staff entries the offline
//! ones, and the scheme in force turns both into points when asked.

use crate::issue::deadline::SHANGHAI;
use crate::Invalid;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A performance year, 2000–2100, as its first and last instants: from 1 January 00:00 to 1 January of the next year
/// 00:00, Asia/Shanghai.
///
/// # Errors
/// `Invalid` on `year` outside 2000–2100.
pub fn year_bounds(year: i32) -> Result<(DateTime<Utc>, DateTime<Utc>), Invalid> {
    let year = crate::issue::calendar::calendar_year(year)?;
    let start = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| t.and_local_timezone(SHANGHAI).single())
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| Invalid::new("year", "out_of_range", "must be 2000 to 2100"))
    };
    Ok((start(year)?, start(year + 1)?))
}

/// A day on which something already happened (a reception day held, an act entered for points): today or before,
/// in Asia/Shanghai, and within a calendar year the service knows. A day still to come counts for nothing yet.
///
/// # Errors
/// `Invalid` naming `field`: `in_future` after today, `out_of_range` outside 2000–2100.
pub fn day_passed(field: &str, day: NaiveDate, now: DateTime<Utc>) -> Result<NaiveDate, Invalid> {
    crate::issue::calendar::calendar_year(chrono::Datelike::year(&day)).map_err(|e| e.at(field))?;
    let today = now.with_timezone(&SHANGHAI).date_naive();
    if day > today {
        return Err(Invalid::new(
            field,
            "in_future",
            format!("must be today ({today}) or earlier: only what has happened is recorded"),
        ));
    }
    Ok(day)
}

/// What an item's points are counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Issues the deputy reported (declined and merged ones left out).
    IssueReported,
    /// Issues closed in the year that the deputy had urged, visited or followed up.
    IssueSupervisedToClosure,
    /// Reception days the deputy held at a station.
    ReceptionDay,
    /// Issues the deputy converted into a formal suggestion (转为代表建议).
    SuggestionConverted,
    /// Ballots of livelihood projects the deputy took part in (checked in to vote; never what they chose).
    BallotCast,
    /// Satisfied or basically satisfied ratings of issues the deputy reported or received.
    RatingReceived,
    /// Inspection records (视察) of livelihood projects.
    ProjectInspection,
    /// Staff entries only: what happens offline.
    Entered,
}

crate::word_enum!(Source {
    IssueReported => "issue_reported",
    IssueSupervisedToClosure => "issue_supervised_to_closure",
    ReceptionDay => "reception_day",
    SuggestionConverted => "suggestion_converted",
    BallotCast => "ballot_cast",
    RatingReceived => "rating_received",
    ProjectInspection => "project_inspection",
    Entered => "entered",
});

/// An item of the scheme: points a recorded act, up to its most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable within the scheme: staff entries name it.
    #[schema(example = "C1")]
    pub code: String,
    #[schema(example = "反映群众意见", max_length = 60)]
    pub name: String,
    pub source: Source,
    /// Points for each recorded act (ignored for `entered` items, whose entries carry their points).
    pub points_each: u32,
    /// The most the item gives in a year.
    pub max: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Aspect {
    #[schema(example = "服务社会", max_length = 40)]
    pub name: String,
    pub items: Vec<Item>,
}

/// 三维联评's weights, in percent, summing to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub self_review: u32,
    pub voters: u32,
    pub group: u32,
}

/// A region's scheme as written; `Scheme::parse` checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemeInput {
    pub aspects: Vec<Aspect>,
    pub weights: Weights,
}

/// A scheme that holds together: 1–10 aspects of 1–20 items, codes unique, an automatic source counted by one item at
/// most, the items' most summing to 100 (百分制), the weights to 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Scheme(SchemeInput);

impl Scheme {
    /// # Errors
    /// `Invalid` naming the field at fault (`aspects[2].items[0].code`).
    pub fn parse(input: SchemeInput) -> Result<Self, Invalid> {
        if input.aspects.is_empty() || input.aspects.len() > 10 {
            return Err(Invalid::new("aspects", "out_of_range", "1 to 10 aspects"));
        }
        let mut codes = HashSet::new();
        let mut sources = HashSet::new();
        let mut total = 0;
        for (a, aspect) in input.aspects.iter().enumerate() {
            let at = format!("aspects[{a}]");
            crate::text::name(&format!("{at}.name"), &aspect.name, 1, 40)?;
            if aspect.items.is_empty() || aspect.items.len() > 20 {
                return Err(Invalid::new(format!("{at}.items"), "out_of_range", "1 to 20 items"));
            }
            for (i, item) in aspect.items.iter().enumerate() {
                let at = format!("{at}.items[{i}]");
                crate::text::name(&format!("{at}.name"), &item.name, 1, 60)?;
                let code_ok = (1..=16).contains(&item.code.len())
                    && item
                        .code
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if !code_ok {
                    return Err(Invalid::new(
                        format!("{at}.code"),
                        "invalid_code",
                        "1 to 16 letters, digits, - or _",
                    ));
                }
                if !codes.insert(item.code.clone()) {
                    return Err(Invalid::new(
                        format!("{at}.code"),
                        "duplicate",
                        "another item has this code",
                    ));
                }
                if item.source != Source::Entered && !sources.insert(item.source) {
                    return Err(Invalid::new(
                        format!("{at}.source"),
                        "duplicate",
                        "another item counts this source: each act earns points once",
                    ));
                }
                if item.max == 0 || item.max > 100 || item.points_each > item.max {
                    return Err(Invalid::new(
                        format!("{at}.max"),
                        "out_of_range",
                        "max is 1 to 100 and at least points_each",
                    ));
                }
                if item.source != Source::Entered && item.points_each == 0 {
                    return Err(Invalid::new(
                        format!("{at}.points_each"),
                        "out_of_range",
                        "an automatic item gives at least one point an act",
                    ));
                }
                total += item.max;
            }
        }
        if total != 100 {
            return Err(Invalid::new(
                "aspects",
                "not_one_hundred",
                format!("the items' max points sum to {total}; a scheme scores out of 100"),
            ));
        }
        let w = input.weights;
        if u64::from(w.self_review) + u64::from(w.voters) + u64::from(w.group) != 100 {
            return Err(Invalid::new(
                "weights",
                "not_one_hundred",
                "the three weights sum to 100",
            ));
        }
        Ok(Scheme(input))
    }

    /// The seed's scheme (兰州): 执行代表职务, 做好本职工作, 服务社会 — 11 items, 100 points; 三维联评 weighs the
    /// self-review 20, the voters 40 and the group 40.
    #[must_use]
    pub fn seed() -> Self {
        let item = |code: &str, name: &str, source, points_each, max| Item {
            code: code.to_owned(),
            name: name.to_owned(),
            source,
            points_each,
            max,
        };
        Scheme(SchemeInput {
            aspects: vec![
                Aspect {
                    name: "执行代表职务".to_owned(),
                    items: vec![
                        item("A1", "出席人民代表大会会议", Source::Entered, 0, 10),
                        item("A2", "参加民生实事项目票决", Source::BallotCast, 5, 5),
                        item("A3", "提出建议、批评和意见", Source::SuggestionConverted, 2, 10),
                        item("A4", "参加视察、调研和检查", Source::ProjectInspection, 2, 10),
                        item("A5", "参加履职学习培训", Source::Entered, 0, 5),
                    ],
                },
                Aspect {
                    name: "做好本职工作".to_owned(),
                    items: vec![
                        item("B1", "本职岗位工作实绩", Source::Entered, 0, 10),
                        item("B2", "带头遵纪守法、廉洁自律", Source::Entered, 0, 10),
                    ],
                },
                Aspect {
                    name: "服务社会".to_owned(),
                    items: vec![
                        item("C1", "反映群众意见和问题", Source::IssueReported, 1, 10),
                        item("C2", "督办群众问题至办结", Source::IssueSupervisedToClosure, 2, 10),
                        item("C3", "进站接待选民", Source::ReceptionDay, 2, 10),
                        item("C4", "群众满意评价", Source::RatingReceived, 1, 10),
                    ],
                },
            ],
            weights: Weights {
                self_review: 20,
                voters: 40,
                group: 40,
            },
        })
    }

    #[must_use]
    pub fn aspects(&self) -> &[Aspect] {
        &self.0.aspects
    }

    #[must_use]
    pub fn weights(&self) -> Weights {
        self.0.weights
    }

    /// The item with this code.
    #[must_use]
    pub fn item(&self, code: &str) -> Option<&Item> {
        self.0.aspects.iter().flat_map(|a| &a.items).find(|i| i.code == code)
    }

    #[must_use]
    pub fn input(&self) -> &SchemeInput {
        &self.0
    }
}

/// One item's points: what the records counted, what staff entered, and the sum kept within 0 and the item's most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ItemScore {
    pub code: String,
    pub name: String,
    pub source: Source,
    /// Acts the platform recorded.
    pub counted: u32,
    pub entered: i32,
    pub points: u32,
    pub max: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AspectScore {
    pub name: String,
    pub points: u32,
    pub max: u32,
    pub items: Vec<ItemScore>,
}

/// Points under a scheme: `counted` says how many acts each automatic source recorded, `entered` what staff entered
/// per item code (entries naming no item of the scheme are left out).
#[must_use]
pub fn score<H: std::hash::BuildHasher>(
    scheme: &Scheme,
    counted: &HashMap<Source, u32, H>,
    entered: &HashMap<String, i32, H>,
) -> (u32, Vec<AspectScore>) {
    let aspects: Vec<AspectScore> = scheme
        .aspects()
        .iter()
        .map(|aspect| {
            let items: Vec<ItemScore> = aspect
                .items
                .iter()
                .map(|item| {
                    let acts = if item.source == Source::Entered {
                        0
                    } else {
                        counted.get(&item.source).copied().unwrap_or(0)
                    };
                    let by_entry = entered.get(&item.code).copied().unwrap_or(0);
                    let earned = i64::from(acts) * i64::from(item.points_each) + i64::from(by_entry);
                    let points = u32::try_from(earned.clamp(0, i64::from(item.max))).unwrap_or(0);
                    ItemScore {
                        code: item.code.clone(),
                        name: item.name.clone(),
                        source: item.source,
                        counted: acts,
                        entered: by_entry,
                        points,
                        max: item.max,
                    }
                })
                .collect();
            AspectScore {
                name: aspect.name.clone(),
                points: items.iter().map(|i| i.points).sum(),
                max: items.iter().map(|i| i.max).sum(),
                items,
            }
        })
        .collect();
    (aspects.iter().map(|a| a.points).sum(), aspects)
}

/// Who wrote a review of 三维联评: the deputy (自评) or the group assessing them (staff).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    SelfReview,
    Group,
}

crate::word_enum!(ReviewKind { SelfReview => "self", Group => "group" });

/// A staff entry's points: -100 to 100, not 0 (negative points deduct).
///
/// # Errors
/// `Invalid` on `points` otherwise.
pub fn entry_points(raw: i32) -> Result<i32, Invalid> {
    if raw == 0 || !(-100..=100).contains(&raw) {
        return Err(Invalid::new("points", "out_of_range", "-100 to 100, not 0"));
    }
    Ok(raw)
}

/// 三维联评: the three views of a year, each on 0–100, and their weighted sum once all three are in.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    pub self_review: Option<u32>,
    /// The voters' average stars × 20.
    pub voters: Option<f64>,
    pub voter_ratings: u32,
    pub group: Option<u32>,
    pub weights: Weights,
    /// Rounded to one decimal; absent until the self-review, at least one voter's rating and the group assessment
    /// are in.
    pub combined: Option<f64>,
}

/// Combines the three views. `stars` are the voters' ratings (1–5 each).
#[must_use]
pub fn assess(weights: Weights, self_review: Option<u32>, stars: &[u32], group: Option<u32>) -> Assessment {
    let voters = if stars.is_empty() {
        None
    } else {
        let sum: u32 = stars.iter().sum();
        Some(f64::from(sum) * 20.0 / f64::from(u32::try_from(stars.len()).unwrap_or(u32::MAX)))
    };
    let combined = match (self_review, voters, group) {
        (Some(s), Some(v), Some(g)) => {
            let sum = f64::from(weights.self_review) * f64::from(s)
                + f64::from(weights.voters) * v
                + f64::from(weights.group) * f64::from(g);
            Some((sum / 10.0).round() / 10.0)
        }
        _ => None,
    };
    Assessment {
        self_review,
        voters: voters.map(|v| (v * 10.0).round() / 10.0),
        voter_ratings: u32::try_from(stars.len()).unwrap_or(u32::MAX),
        group,
        weights,
        combined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_three_aspects_eleven_items_one_hundred_points() {
        let seed = Scheme::seed();
        assert_eq!(seed.aspects().len(), 3);
        assert_eq!(seed.aspects().iter().map(|a| a.items.len()).sum::<usize>(), 11);
        assert_eq!(Scheme::parse(seed.input().clone()), Ok(seed.clone()));
        let (total, aspects) = score(&seed, &HashMap::new(), &HashMap::new());
        assert_eq!(total, 0);
        assert_eq!(aspects.iter().map(|a| a.max).sum::<u32>(), 100);
    }

    #[test]
    fn items_count_acts_add_entries_and_stop_at_their_most() {
        let seed = Scheme::seed();
        let counted = HashMap::from([
            (Source::IssueReported, 14),
            (Source::IssueSupervisedToClosure, 2),
            (Source::BallotCast, 1),
        ]);
        let entered = HashMap::from([("A1".to_owned(), 10), ("C2".to_owned(), -1), ("ZZ".to_owned(), 50)]);
        let (total, aspects) = score(&seed, &counted, &entered);
        let c1 = &aspects[2].items[0];
        assert_eq!((c1.counted, c1.points), (14, 10));
        assert_eq!(aspects[2].items[1].points, 3);
        assert_eq!(aspects[0].items[1].points, 5);
        assert_eq!(aspects[0].items[0].points, 10);
        assert_eq!(total, 10 + 3 + 5 + 10);
    }

    #[test]
    fn a_scheme_must_add_up_and_count_each_source_once() {
        let mut input = Scheme::seed().input().clone();
        input.aspects[2].items[0].max = 9;
        assert_eq!(Scheme::parse(input.clone()).map_err(|e| e.code), Err("not_one_hundred"));
        input.aspects[2].items[0].max = 10;
        input.aspects[2].items[1].source = Source::IssueReported;
        let e = Scheme::parse(input.clone()).expect_err("twice");
        assert_eq!(e.field, "aspects[2].items[1].source");
        input.aspects[2].items[1].source = Source::IssueSupervisedToClosure;
        input.weights.group = 41;
        assert_eq!(Scheme::parse(input).map_err(|e| e.field), Err("weights".to_owned()));
    }

    #[test]
    fn the_three_views_combine_once_all_are_in() {
        let w = Scheme::seed().weights();
        let partial = assess(w, Some(90), &[], Some(80));
        assert_eq!(partial.combined, None);
        let full = assess(w, Some(90), &[5, 4, 4], Some(80));
        // voters: 13/3 × 20 = 86.67; 0.2 × 90 + 0.4 × 86.67 + 0.4 × 80 = 84.67
        assert_eq!(full.voters, Some(86.7));
        assert_eq!(full.combined, Some(84.7));
    }

    #[test]
    fn a_year_runs_from_new_year_to_new_year_in_china() {
        let (start, end) = year_bounds(2026).expect("year");
        assert_eq!(start.to_rfc3339(), "2025-12-31T16:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-12-31T16:00:00+00:00");
        assert!(year_bounds(2_147_483_646).is_err());
    }

    #[test]
    fn sources_spell_alike_in_json_and_words() {
        for s in Source::ALL {
            assert_eq!(serde_json::to_value(s).expect("json"), serde_json::json!(s.as_str()));
        }
    }

    #[test]
    fn a_day_still_to_come_is_refused_and_today_in_shanghai_is_not() {
        // 2026-12-06 17:00 UTC is already 7 December in Shanghai.
        let now = DateTime::parse_from_rfc3339("2026-12-06T17:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("time");
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).expect("date");
        assert_eq!(day_passed("held_on", day(7), now), Ok(day(7)));
        assert_eq!(day_passed("held_on", day(1), now), Ok(day(1)));
        let refused = day_passed("held_on", day(8), now).expect_err("tomorrow");
        assert_eq!((refused.field.as_str(), refused.code), ("held_on", "in_future"));
    }
}
