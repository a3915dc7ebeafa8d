//! The five roles of DOMAIN.md and the binding each one needs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an account is for. One account holds one role; the binding it needs (a region, an agency, stations) follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// System operator: everything, everywhere.
    Admin,
    /// 人大工作人员: triage, routing and administration inside a region's subtree.
    Staff,
    /// 人大代表: belongs to a region and to one or more stations.
    Deputy,
    /// 承办单位经办人: a clerk of one agency.
    Handler,
    /// 群众: signs in through WeChat.
    Citizen,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Staff, Role::Deputy, Role::Handler, Role::Citizen];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Deputy => "deputy",
            Role::Handler => "handler",
            Role::Citizen => "citizen",
        }
    }

    /// Roles that sign in with phone and password (citizens come through WeChat).
    #[must_use]
    pub fn signs_in_with_password(self) -> bool {
        !matches!(self, Role::Citizen)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// A stored or submitted word that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value `{0}`")]
pub struct UnknownValue(pub String);

/// The five levels of people's congress a deputy can be elected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeputyLevel {
    National,
    Provincial,
    City,
    County,
    Township,
}

impl DeputyLevel {
    pub const ALL: [DeputyLevel; 5] = [
        DeputyLevel::National,
        DeputyLevel::Provincial,
        DeputyLevel::City,
        DeputyLevel::County,
        DeputyLevel::Township,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DeputyLevel::National => "national",
            DeputyLevel::Provincial => "provincial",
            DeputyLevel::City => "city",
            DeputyLevel::County => "county",
            DeputyLevel::Township => "township",
        }
    }
}

impl FromStr for DeputyLevel {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DeputyLevel::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_words() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
