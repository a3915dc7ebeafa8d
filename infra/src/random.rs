//! Secrets and unguessable identifiers, from the operating system's generator.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::identity::Scene;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new opaque token (256 random bits, base64url) and the SHA-256 under which it is stored.
#[must_use]
pub fn token(prefix: &str) -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of an opaque token: only its hash is kept, so a database leak yields nothing usable.
#[must_use]
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A new random scene for a QR code.
#[must_use]
pub fn scene() -> Scene {
    let mut bytes = [0u8; Scene::ISSUED_LEN];
    OsRng.fill_bytes(&mut bytes);
    Scene::from_random(&bytes)
}
