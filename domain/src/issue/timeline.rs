//! The timeline is the record: every command is an event, and each event carries the SHA-256 of its own content
//! chained to the event before it. Editing, deleting or reordering any stored event breaks the chain from there on,
//! and [`verify`] names the first event that no longer fits.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Which record a chain keeps: an issue's timeline, or an elected project's (`domain::project`). Each hashes under
/// its own tag, so no event of one can stand in the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chain {
    Issue,
    Project,
}

impl Chain {
    fn tag(self) -> &'static [u8] {
        match self {
            Chain::Issue => b"minsheng-timeline-v1",
            Chain::Project => b"minsheng-project-timeline-v1",
        }
    }
}

/// What an event says, exactly as hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventContent<'a> {
    /// The issue, or the project, whose record it is.
    pub issue_id: Uuid,
    /// 1 for the report, then one more per event.
    pub seq: i32,
    pub kind: &'a str,
    /// None for the system (the worker closing an unrated reply).
    pub actor_id: Option<Uuid>,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub note: Option<&'a str>,
    pub internal: bool,
    /// The event's data as stored: a JSON text written once and never re-serialised.
    pub data: &'a str,
    /// Microseconds, as PostgreSQL keeps them.
    pub at: DateTime<Utc>,
}

/// The hash the first event chains to.
pub const GENESIS: [u8; 32] = [0; 32];

/// An issue event's hash: [`hash_in`] its chain.
#[must_use]
pub fn hash(prev: &[u8], e: &EventContent<'_>) -> [u8; 32] {
    hash_in(Chain::Issue, prev, e)
}

/// SHA-256 over the chain's tag, the previous hash and every field, each length-prefixed so no two contents hash
/// alike by shifting bytes between fields.
#[must_use]
pub fn hash_in(chain: Chain, prev: &[u8], e: &EventContent<'_>) -> [u8; 32] {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(chain.tag());
    field(prev);
    field(e.issue_id.as_bytes());
    field(&e.seq.to_be_bytes());
    field(e.kind.as_bytes());
    field(e.actor_id.as_ref().map_or(&[][..], |a| a.as_bytes()));
    field(e.from_status.unwrap_or("").as_bytes());
    field(e.to_status.unwrap_or("").as_bytes());
    field(e.note.map_or(&[0xff][..], str::as_bytes));
    field(&[u8::from(e.internal)]);
    field(e.data.as_bytes());
    field(&e.at.timestamp_micros().to_be_bytes());
    h.finalize().into()
}

/// A stored event: its content and the two hashes it was saved with.
#[derive(Debug, Clone)]
pub struct StoredEvent<'a> {
    pub content: EventContent<'a>,
    pub prev_hash: &'a [u8],
    pub hash: &'a [u8],
}

/// Whether a timeline is whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        events: usize,
        head: [u8; 32],
    },
    /// The first event (by position) whose stored hashes do not follow from what came before and what it says.
    Broken {
        seq: i32,
        reason: &'static str,
    },
}

/// Recomputes an issue's chain: [`verify_in`].
#[must_use]
pub fn verify(events: &[StoredEvent<'_>], recorded: i32) -> Verdict {
    verify_in(Chain::Issue, events, recorded)
}

/// Recomputes the chain over events in stored order; `recorded` is how many events the issue or project says it
/// has, so that deleting the newest events is caught too.
#[must_use]
pub fn verify_in(chain: Chain, events: &[StoredEvent<'_>], recorded: i32) -> Verdict {
    let mut prev = GENESIS;
    for (i, e) in events.iter().enumerate() {
        let expected_seq = i32::try_from(i + 1).unwrap_or(i32::MAX);
        if e.content.seq != expected_seq {
            return Verdict::Broken {
                seq: e.content.seq,
                reason: "an event is missing or out of order before this one",
            };
        }
        if e.prev_hash != prev {
            return Verdict::Broken {
                seq: e.content.seq,
                reason: "it does not chain to the event before it",
            };
        }
        let h = hash_in(chain, &prev, &e.content);
        if e.hash != h {
            return Verdict::Broken {
                seq: e.content.seq,
                reason: "its content differs from what was recorded",
            };
        }
        prev = h;
    }
    let count = i32::try_from(events.len()).unwrap_or(i32::MAX);
    if count < recorded {
        return Verdict::Broken {
            seq: count + 1,
            reason: "this event and those after it are missing",
        };
    }
    Verdict::Intact {
        events: events.len(),
        head: prev,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(issue_id: Uuid, seq: i32, note: &'static str) -> EventContent<'static> {
        EventContent {
            issue_id,
            seq,
            kind: "comment",
            actor_id: None,
            from_status: Some("submitted"),
            to_status: Some("submitted"),
            note: Some(note),
            internal: false,
            data: "{}",
            at: DateTime::from_timestamp_micros(1_790_000_000_000_000).expect("time"),
        }
    }

    #[test]
    fn an_edited_note_breaks_the_chain_at_that_event() {
        let id = Uuid::now_v7();
        let contents = [content(id, 1, "一"), content(id, 2, "二"), content(id, 3, "三")];
        let mut hashes = Vec::new();
        let mut prev = GENESIS;
        for c in &contents {
            let h = hash(&prev, c);
            hashes.push((prev, h));
            prev = h;
        }
        let stored = |contents: &[EventContent<'static>]| -> Vec<(EventContent<'static>, [u8; 32], [u8; 32])> {
            contents
                .iter()
                .cloned()
                .zip(hashes.iter().copied())
                .map(|(c, (p, h))| (c, p, h))
                .collect()
        };
        let view = |rows: &[(EventContent<'static>, [u8; 32], [u8; 32])]| -> Verdict {
            let events: Vec<StoredEvent<'_>> = rows
                .iter()
                .map(|(c, p, h)| StoredEvent {
                    content: c.clone(),
                    prev_hash: p,
                    hash: h,
                })
                .collect();
            verify(&events, 3)
        };
        assert!(matches!(view(&stored(&contents)), Verdict::Intact { events: 3, .. }));
        let mut edited = contents.clone();
        edited[1].note = Some("改过的");
        assert_eq!(
            view(&stored(&edited)),
            Verdict::Broken {
                seq: 2,
                reason: "its content differs from what was recorded"
            }
        );
        let dropped = stored(&contents)
            .into_iter()
            .filter(|(c, _, _)| c.seq != 2)
            .collect::<Vec<_>>();
        assert!(matches!(view(&dropped), Verdict::Broken { seq: 3, .. }));
        let newest_gone = stored(&contents).into_iter().take(2).collect::<Vec<_>>();
        assert!(matches!(view(&newest_gone), Verdict::Broken { seq: 3, .. }));
    }
}
