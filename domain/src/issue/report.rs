//! What a report and the notes on an issue may hold.

use crate::Invalid;
use uuid::Uuid;

crate::bounded_text!(
    /// What the problem is, in the reporter's words.
    Description, "description", 5, 2000
);

crate::bounded_text!(
    /// An optional headline.
    Title, "title", 1, 80
);

crate::bounded_text!(
    /// Where, in words (a street address or a landmark).
    PlaceAddress, "location.address", 1, 200
);

crate::bounded_text!(
    /// The text a command carries: a reason, a progress note, a reply, a comment.
    Note, "note", 1, 2000
);

/// The photos of a report: at most nine, each named once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PhotoIds(Vec<Uuid>);

impl PhotoIds {
    pub const MAX: usize = 9;

    /// # Errors
    /// `Invalid` on `photo_ids` for more than nine or a repeated id.
    pub fn parse(ids: Vec<Uuid>) -> Result<Self, Invalid> {
        if ids.len() > Self::MAX {
            return Err(Invalid::new(
                "photo_ids",
                "too_many",
                format!("at most {} photos", Self::MAX),
            ));
        }
        for (i, id) in ids.iter().enumerate() {
            if ids[..i].contains(id) {
                return Err(Invalid::new(
                    format!("photo_ids[{i}]"),
                    "repeated",
                    "each photo may be attached once",
                ));
            }
        }
        Ok(Self(ids))
    }

    #[must_use]
    pub fn as_slice(&self) -> &[Uuid] {
        &self.0
    }
}

/// Where a report goes: the station or deputy a citizen scanned, or the station of the deputy reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Station(Uuid),
    /// To a deputy, by their card's code (the issue lives in the deputy's region).
    Deputy(Uuid),
    /// A deputy with no station reports in their own region.
    OwnRegion,
}

/// Chooses where a report goes.
///
/// # Errors
/// `Invalid` on `station_id` when a citizen names one (they report where they scanned), when a deputy names a station
/// that is not theirs, or leaves it out while serving at several; on `scene` when a citizen has scanned nothing.
pub fn destination(
    actor: &crate::permission::Actor,
    scanned: Option<crate::identity::SceneTarget>,
    asked_station: Option<Uuid>,
) -> Result<Destination, Invalid> {
    use crate::identity::SceneTarget;
    use crate::role::Role;
    match actor.role {
        Role::Citizen => {
            if asked_station.is_some() {
                return Err(Invalid::new(
                    "station_id",
                    "not_allowed",
                    "citizens report to the station or deputy whose QR code they scanned",
                ));
            }
            match scanned {
                Some(SceneTarget::Station(s)) => Ok(Destination::Station(s)),
                Some(SceneTarget::Deputy(d)) => Ok(Destination::Deputy(d)),
                Some(SceneTarget::Project(_)) | None => Err(Invalid::new(
                    "scene",
                    "no_scene",
                    "scan the QR code of a liaison station or a deputy first",
                )),
            }
        }
        _ => match (asked_station, actor.stations.as_slice()) {
            (Some(s), mine) if mine.contains(&s) => Ok(Destination::Station(s)),
            (Some(_), _) => Err(Invalid::new(
                "station_id",
                "not_your_station",
                "deputies report through one of their own stations",
            )),
            (None, []) => Ok(Destination::OwnRegion),
            (None, [only]) => Ok(Destination::Station(*only)),
            (None, _) => Err(Invalid::new(
                "station_id",
                "required",
                "you serve at several stations: say which one this report is for",
            )),
        },
    }
}

/// How many reports a citizen may make in one day (Asia/Shanghai), to stop floods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyReports(pub u32);

impl DailyReports {
    /// # Errors
    /// `Invalid` once `made_today` reports reach the limit.
    pub fn allow(self, made_today: u32) -> Result<(), Invalid> {
        if made_today >= self.0 {
            return Err(Invalid::new(
                "",
                "daily_limit",
                format!("at most {} reports a day; try again tomorrow", self.0),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_photos_each_once() {
        let ids: Vec<Uuid> = (0..9).map(|_| Uuid::now_v7()).collect();
        assert!(PhotoIds::parse(ids.clone()).is_ok());
        let mut ten = ids.clone();
        ten.push(Uuid::now_v7());
        assert_eq!(PhotoIds::parse(ten).map_err(|e| e.code), Err("too_many"));
        let twice = vec![ids[0], ids[1], ids[0]];
        assert_eq!(
            PhotoIds::parse(twice).map_err(|e| e.field),
            Err("photo_ids[2]".to_owned())
        );
    }

    #[test]
    fn a_description_is_more_than_a_word() {
        assert_eq!(Description::parse("坏了").map_err(|e| e.code), Err("too_short"));
        assert!(Description::parse("路灯坏了三天了").is_ok());
    }
}
