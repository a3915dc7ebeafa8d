//! Accounts: who a person is, which role they hold, and what that role binds them to.

use crate::role::{DeputyLevel, Role};
use crate::Invalid;
use serde::Serialize;
use uuid::Uuid;

crate::name_text!(
    /// A person's name as shown to colleagues.
    PersonName, "name", 1, 40
);

/// A mainland China mobile number: 11 digits starting with 1 and a second digit 3–9. `+86` and spaces or dashes are accepted and dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// # Errors
    /// `Invalid` on `phone` unless it is a mainland mobile number.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let digits: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = digits.strip_prefix("+86").unwrap_or(&digits);
        let bytes = digits.as_bytes();
        let ok = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if !ok {
            return Err(Invalid::new(
                "phone",
                "invalid_phone",
                "must be an 11-digit mainland mobile number",
            ));
        }
        Ok(Self(digits.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 138****1234: for showing to anyone but the person themself.
    #[must_use]
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

/// A new password: 10 to 128 characters, not all of one kind (letters only or digits only are refused).
/// Holding one never prints it.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    /// # Errors
    /// `Invalid` on `password` when it is too short, too long, or only letters or only digits.
    pub fn parse(raw: String) -> Result<Self, Invalid> {
        let count = raw.chars().count();
        if count < Self::MIN {
            return Err(Invalid::new(
                "password",
                "too_short",
                format!("must be at least {} characters", Self::MIN),
            ));
        }
        if count > Self::MAX {
            return Err(Invalid::new(
                "password",
                "too_long",
                format!("must be at most {} characters", Self::MAX),
            ));
        }
        if raw.chars().all(char::is_alphabetic) || raw.chars().all(|c| c.is_ascii_digit()) {
            return Err(Invalid::new(
                "password",
                "too_weak",
                "must mix letters with digits or symbols",
            ));
        }
        Ok(Self(raw))
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// What a change to an account does to the sessions it has open.
///
/// A new password or phone number means whoever held the old ones (perhaps an intruder, perhaps the person who left
/// the post) must sign in again; a disabled account must not come back to life with its old tokens when re-enabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    PasswordChanged,
    PhoneChanged,
    Disabled,
}

impl SessionEnd {
    /// Why the sessions end, if this change ends them: the first of password, phone, disabling that it touches.
    #[must_use]
    pub fn of_change(password: bool, phone: bool, enabled: Option<bool>) -> Option<Self> {
        if password {
            Some(SessionEnd::PasswordChanged)
        } else if phone {
            Some(SessionEnd::PhoneChanged)
        } else if enabled == Some(false) {
            Some(SessionEnd::Disabled)
        } else {
            None
        }
    }
}

/// What an account's role binds it to. Each variant carries exactly what its role needs, so an account
/// with a role but without its binding cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    Admin,
    /// Jurisdiction: this region and everything below it.
    Staff {
        region: String,
    },
    /// Elected in `region` at `level`, serving at `stations` (at least one; each inside `region`'s subtree).
    Deputy {
        region: String,
        level: DeputyLevel,
        stations: Vec<Uuid>,
    },
    /// A clerk of `agency`; the account's region is the agency's.
    Handler {
        agency: Uuid,
    },
    Citizen,
}

impl Binding {
    #[must_use]
    pub fn role(&self) -> Role {
        match self {
            Binding::Admin => Role::Admin,
            Binding::Staff { .. } => Role::Staff,
            Binding::Deputy { .. } => Role::Deputy,
            Binding::Handler { .. } => Role::Handler,
            Binding::Citizen => Role::Citizen,
        }
    }

    /// Builds the binding a role needs from the fields a client sent, refusing missing and extra ones.
    ///
    /// # Errors
    /// `Invalid` naming the first field that is missing for the role or does not belong to it.
    pub fn parse(
        role: Role,
        region: Option<String>,
        agency: Option<Uuid>,
        deputy_level: Option<DeputyLevel>,
        stations: Option<Vec<Uuid>>,
    ) -> Result<Self, Invalid> {
        let missing = |field: &str| Invalid::new(field, "required", format!("a {role} needs {field}"));
        // Each role names the fields it takes; any other field sent is refused rather than silently dropped.
        let takes: &[&str] = match role {
            Role::Admin | Role::Citizen => &[],
            Role::Staff => &["region_code"],
            Role::Handler => &["agency_id"],
            Role::Deputy => &["region_code", "deputy_level", "station_ids"],
        };
        let sent = [
            ("region_code", region.is_some()),
            ("agency_id", agency.is_some()),
            ("deputy_level", deputy_level.is_some()),
            ("station_ids", stations.as_ref().is_some_and(|s| !s.is_empty())),
        ];
        if let Some((field, _)) = sent.iter().find(|(field, present)| *present && !takes.contains(field)) {
            return Err(Invalid::new(*field, "not_allowed", format!("a {role} has no {field}")));
        }
        match role {
            Role::Admin => Ok(Binding::Admin),
            Role::Citizen => Ok(Binding::Citizen),
            Role::Staff => Ok(Binding::Staff {
                region: region.ok_or_else(|| missing("region_code"))?,
            }),
            Role::Handler => Ok(Binding::Handler {
                agency: agency.ok_or_else(|| missing("agency_id"))?,
            }),
            Role::Deputy => {
                let region = region.ok_or_else(|| missing("region_code"))?;
                let level = deputy_level.ok_or_else(|| missing("deputy_level"))?;
                let stations = deputy_stations(stations.ok_or_else(|| missing("station_ids"))?)?;
                Ok(Binding::Deputy {
                    region,
                    level,
                    stations,
                })
            }
        }
    }
}

/// The stations a deputy serves at, as a client sent them for an account made or changed: at least one (a deputy
/// reports through their stations and their voters find them there), at most 20, each once, in id order.
///
/// # Errors
/// `Invalid` on `station_ids` when there are none or too many.
pub fn deputy_stations(mut stations: Vec<Uuid>) -> Result<Vec<Uuid>, Invalid> {
    stations.sort_unstable();
    stations.dedup();
    match stations.len() {
        0 => Err(Invalid::new(
            "station_ids",
            "required",
            "a deputy serves at least one station",
        )),
        n if n > 20 => Err(Invalid::new(
            "station_ids",
            "too_many",
            "a deputy serves at most 20 stations",
        )),
        _ => Ok(stations),
    }
}

/// Checks that every station a deputy is to serve at exists and lies in the deputy's region subtree.
/// `found` holds the stations that exist, with their regions' paths.
///
/// # Errors
/// `Invalid` on `station_ids[i]` for the first station that is missing or outside the region.
pub fn check_deputy_stations(
    region: &crate::organisation::region::RegionPath,
    requested: &[Uuid],
    found: &[(Uuid, crate::organisation::region::RegionPath)],
) -> Result<(), Invalid> {
    for (i, id) in requested.iter().enumerate() {
        let field = format!("station_ids[{i}]");
        match found.iter().find(|(f, _)| f == id) {
            None => return Err(Invalid::new(field, "not_found", format!("no station {id}"))),
            Some((_, path)) if !region.covers(path) => {
                return Err(Invalid::new(
                    field,
                    "outside_region",
                    "the station lies outside the deputy's region",
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deputy_serves_at_one_to_twenty_stations_each_once() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(deputy_stations(vec![b, a, b]), Ok(vec![a, b]));
        assert_eq!(deputy_stations(vec![]).map_err(|e| e.code), Err("required"));
        let many = (0..21).map(Uuid::from_u128).collect();
        assert_eq!(deputy_stations(many).map_err(|e| e.code), Err("too_many"));
        let most: Vec<_> = (0..20).map(Uuid::from_u128).collect();
        assert_eq!(deputy_stations(most.clone()), Ok(most));
    }

    #[test]
    fn phones_are_mainland_mobiles() {
        assert_eq!(
            Phone::parse("+86 138-0000-1234").map(|p| p.as_str().to_owned()),
            Ok("13800001234".to_owned())
        );
        assert!(Phone::parse("12800001234").is_err());
        assert!(Phone::parse("1380000123").is_err());
        assert_eq!(
            Phone::parse("13800001234").map(|p| p.masked()),
            Ok("138****1234".to_owned())
        );
    }

    #[test]
    fn passwords_are_long_and_mixed_and_never_printed() {
        assert!(Password::parse("short1".into()).is_err());
        assert_eq!(
            Password::parse("onlyletterslong".into()).map_err(|e| e.code).err(),
            Some("too_weak")
        );
        assert_eq!(
            Password::parse("12345678901".into()).map_err(|e| e.code).err(),
            Some("too_weak")
        );
        let p = Password::parse("minsheng-2026".into()).expect("valid");
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    #[test]
    fn each_role_takes_exactly_its_binding() {
        let station = Uuid::nil();
        assert_eq!(
            Binding::parse(Role::Staff, None, None, None, None).map_err(|e| e.field),
            Err("region_code".into())
        );
        assert_eq!(
            Binding::parse(Role::Staff, Some("330281".into()), Some(station), None, None).map_err(|e| e.field),
            Err("agency_id".into())
        );
        assert_eq!(
            Binding::parse(
                Role::Deputy,
                Some("330281".into()),
                None,
                Some(DeputyLevel::County),
                Some(vec![])
            )
            .map_err(|e| e.field),
            Err("station_ids".into())
        );
        assert!(matches!(
            Binding::parse(Role::Deputy, Some("330281".into()), None, Some(DeputyLevel::County), Some(vec![station, station])),
            Ok(Binding::Deputy { stations, .. }) if stations.len() == 1
        ));
        assert_eq!(
            Binding::parse(Role::Admin, Some("33".into()), None, None, None).map_err(|e| e.code),
            Err("not_allowed")
        );
    }

    #[test]
    fn a_deputy_serves_only_at_stations_inside_their_region() {
        use crate::organisation::region::{RegionCode, RegionPath};
        let county = RegionPath::root(&RegionCode::parse("330281").expect("code"));
        let township = county.child(&RegionCode::parse("330281001").expect("code"));
        let elsewhere = RegionPath::root(&RegionCode::parse("330206").expect("code"));
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(check_deputy_stations(&county, &[a], &[(a, township.clone())]), Ok(()));
        let err = check_deputy_stations(&county, &[a, b], &[(a, township), (b, elsewhere)]).expect_err("outside");
        assert_eq!((err.field.as_str(), err.code), ("station_ids[1]", "outside_region"));
        let err = check_deputy_stations(&county, &[b], &[]).expect_err("missing");
        assert_eq!(err.code, "not_found");
    }
}
