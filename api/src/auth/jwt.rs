//! Short-lived access tokens: HS256 pinned, issuer and audience checked, small leeway for clock skew.

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

const ISSUER: &str = "minsheng";
const AUDIENCE: &str = "minsheng-api";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    /// The account's roles (one today: an account holds one role).
    pub roles: Vec<String>,
    /// The session the token belongs to: ending the session ends the token.
    pub sid: Uuid,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: Uuid,
}

pub struct Jwt {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// The same checks with the token's times left out: signing out with a token that has expired.
    ended: Validation,
    ttl: Duration,
}

impl Jwt {
    #[must_use]
    pub fn new(secret: &SecretString, ttl: Duration) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = 30;
        let mut ended = validation.clone();
        ended.validate_exp = false;
        ended.validate_nbf = false;
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            ended,
            ttl,
        }
    }

    #[must_use]
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues an access token for `user` in `session`.
    ///
    /// # Errors
    /// Only if encoding fails, which a valid key never does.
    pub fn issue(&self, user: Uuid, role: &str, session: Uuid) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: user,
            roles: vec![role.to_owned()],
            sid: session,
            iat: now,
            nbf: now,
            exp: now + i64::try_from(self.ttl.as_secs()).unwrap_or(900),
            jti: Uuid::new_v4(),
        };
        Ok(encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// Checks signature, algorithm, issuer and audience, not the times: a token that expired still proves it was
    /// issued for its session, which is all signing out needs (a laptop that slept holds one).
    ///
    /// # Errors
    /// When the token is not one of ours.
    pub fn verify_ignoring_expiry(&self, token: &str) -> Result<Claims, &'static str> {
        decode::<Claims>(token, &self.decoding, &self.ended)
            .map(|d| d.claims)
            .map_err(|_| "the access token is not valid")
    }

    /// Checks signature, algorithm, issuer, audience and times.
    ///
    /// # Errors
    /// A sentence saying why the token is refused.
    pub fn verify(&self, token: &str) -> Result<Claims, &'static str> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                match e.kind() {
                    ErrorKind::ExpiredSignature => "the access token has expired; sign in again",
                    ErrorKind::ImmatureSignature => "the access token is not valid yet",
                    _ => "the access token is not valid",
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_with_its_key_only() {
        let a = Jwt::new(&SecretString::from("a".repeat(32)), Duration::from_secs(60));
        let b = Jwt::new(&SecretString::from("b".repeat(32)), Duration::from_secs(60));
        let id = Uuid::new_v4();
        let token = a.issue(id, "staff", Uuid::new_v4()).expect("issue");
        assert_eq!(a.verify(&token).map(|c| c.sub), Ok(id));
        assert!(b.verify(&token).is_err());
    }

    #[test]
    fn the_none_algorithm_is_refused() {
        let a = Jwt::new(&SecretString::from("a".repeat(32)), Duration::from_secs(60));
        let token = a.issue(Uuid::new_v4(), "admin", Uuid::new_v4()).expect("issue");
        let mut parts = token.split('.');
        let (_, payload) = (parts.next(), parts.next().expect("payload"));
        // {"alg":"none","typ":"JWT"}
        let forged = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
        assert!(a.verify(&forged).is_err());
    }
}
