//! Argon2id password hashes (OWASP's default parameters). Hashing is CPU work: call these off the async threads.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// # Errors
/// Only if the hasher is misconfigured.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

/// True when `password` matches `stored`. With no stored hash, a dummy one is checked so that
/// an unknown account takes as long to refuse as a wrong password.
#[must_use]
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Yx2cMrLiFiJ8nrMDDfwSvpPCRsYC8Pi2bt5XlFmf9cs";
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (DUMMY, false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && real
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = super::hash("minsheng-2026").expect("hash");
        assert!(super::verify("minsheng-2026", Some(&h)));
        assert!(!super::verify("minsheng-2027", Some(&h)));
        assert!(!super::verify("minsheng-2026", None));
    }
}
