//! 数智化主题接待: suggested topics for a station's next reception day, from what its area reported. A topic is a
//! category or a place (the issue's own village, community or township); it weighs what is still unresolved twice
//! and what the reporters were dissatisfied with three times, because those are what a reception day can still move.

use std::collections::HashMap;
use uuid::Uuid;

/// Examples shown per topic.
pub const EXAMPLES: usize = 3;

/// One issue of the period, as the suggestion needs it (newest first).
#[derive(Debug, Clone)]
pub struct Seen {
    pub id: Uuid,
    pub category: Option<String>,
    pub place: String,
    /// Neither replied nor closed.
    pub unresolved: bool,
    /// The reporter rated the reply dissatisfied.
    pub dissatisfied: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TopicKind {
    Category,
    Place,
}

/// A suggested topic with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub kind: TopicKind,
    /// The category code (`""` for issues without one) or the place's region code.
    pub key: String,
    pub reported: u32,
    pub unresolved: u32,
    pub dissatisfied: u32,
    /// reported + 2 × unresolved + 3 × dissatisfied.
    pub score: u32,
    /// Up to `EXAMPLES` issues: dissatisfied first, then unresolved, then the newest.
    pub examples: Vec<Uuid>,
}

/// The `take` topics with the highest scores (ties: more reported, then by key), categories and places together.
#[must_use]
pub fn suggest(seen: &[Seen], take: usize) -> Vec<Suggestion> {
    let mut by: HashMap<(TopicKind, &str), Vec<&Seen>> = HashMap::new();
    for s in seen {
        by.entry((TopicKind::Category, s.category.as_deref().unwrap_or("")))
            .or_default()
            .push(s);
        by.entry((TopicKind::Place, s.place.as_str())).or_default().push(s);
    }
    let count =
        |v: &[&Seen], f: fn(&Seen) -> bool| u32::try_from(v.iter().filter(|s| f(s)).count()).unwrap_or(u32::MAX);
    let mut all: Vec<Suggestion> = by
        .into_iter()
        .map(|((kind, key), issues)| {
            let reported = u32::try_from(issues.len()).unwrap_or(u32::MAX);
            let unresolved = count(&issues, |s| s.unresolved);
            let dissatisfied = count(&issues, |s| s.dissatisfied);
            let mut examples: Vec<&Seen> = issues.clone();
            // Stable: within each kind of evidence, the newest first as given.
            examples.sort_by_key(|s| (!s.dissatisfied, !s.unresolved));
            Suggestion {
                kind,
                key: key.to_owned(),
                reported,
                unresolved,
                dissatisfied,
                score: reported + 2 * unresolved + 3 * dissatisfied,
                examples: examples.iter().take(EXAMPLES).map(|s| s.id).collect(),
            }
        })
        .collect();
    all.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.reported.cmp(&a.reported))
            .then_with(|| a.key.cmp(&b.key))
    });
    all.truncate(take);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(n: u128, category: &str, place: &str, unresolved: bool, dissatisfied: bool) -> Seen {
        Seen {
            id: Uuid::from_u128(n),
            category: Some(category.to_owned()),
            place: place.to_owned(),
            unresolved,
            dissatisfied,
        }
    }

    #[test]
    fn what_is_unresolved_or_dissatisfying_outweighs_what_is_merely_frequent() {
        let issues = vec![
            seen(1, "garbage", "a", false, false),
            seen(2, "garbage", "a", false, false),
            seen(3, "garbage", "b", false, false),
            seen(4, "road", "b", true, false),
            seen(5, "road", "b", false, true),
        ];
        let topics = suggest(&issues, 10);
        // road: 2 + 2 + 3 = 7; place b: 3 + 2 + 3 = 8; garbage: 3; place a: 2.
        assert_eq!(topics[0].key, "b");
        assert_eq!(topics[0].kind, TopicKind::Place);
        assert_eq!(topics[1].key, "road");
        assert_eq!(topics[1].examples, vec![Uuid::from_u128(5), Uuid::from_u128(4)]);
        assert_eq!(topics[2].key, "garbage");
        assert_eq!(topics[2].score, 3);
        assert_eq!(suggest(&issues, 1).len(), 1);
    }
}
