//! A ballot's blind-signing key (RFC 9474, RSABSSA-SHA384-PSS-Deterministic): the service signs a deputy's voting
//! token blinded, so it can check the token when the paper comes but cannot tell whose it was.

use crate::encoding::hex;
use blind_rsa_signatures::{KeyPair, Options, PublicKey, SecretKey, Signature};
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

/// The modulus size: RFC 9474's recommendation.
const BITS: usize = 2048;
/// Bytes of a voting token: 256 random bits, chosen by the deputy's client.
pub const TOKEN_BYTES: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the key could not be made: {0:?}")]
    Generate(blind_rsa_signatures::Error),
    #[error("the stored key is unreadable: {0:?}")]
    Stored(blind_rsa_signatures::Error),
    /// The blinded token is not one the key can sign (wrong length, or not below the modulus).
    #[error("not a blinded token for this key")]
    NotBlinded,
}

/// A new key: its public half as PEM (SubjectPublicKeyInfo, published) and its private half as PKCS#1 DER (stored).
/// CPU work of about a tenth of a second: call it off the async threads.
pub fn generate() -> Result<(String, Vec<u8>), KeyError> {
    let pair = KeyPair::generate(&mut OsRng, BITS).map_err(KeyError::Generate)?;
    let public = pair.pk.to_pem().map_err(KeyError::Generate)?;
    let private = pair.sk.to_der().map_err(KeyError::Generate)?;
    Ok((public, private))
}

/// Signs a blinded token with the stored private key.
pub fn sign_blinded(private_der: &[u8], blinded: &[u8]) -> Result<Vec<u8>, KeyError> {
    let sk = SecretKey::from_der(private_der).map_err(KeyError::Stored)?;
    sk.blind_sign(&mut OsRng, blinded, &Options::default())
        .map(|s| s.0)
        .map_err(|_| KeyError::NotBlinded)
}

/// True when `signature` is the key's signature of `token` (the blinded signature, unblinded by the deputy).
#[must_use]
pub fn verifies(public_pem: &str, token: &[u8], signature: &[u8]) -> bool {
    PublicKey::from_pem(public_pem).is_ok_and(|pk| {
        Signature::new(signature.to_vec())
            .verify(&pk, None, token, &Options::default())
            .is_ok()
    })
}

/// The receipt of the paper cast with `token`: a code only the token's holder can know, under which nothing but the
/// paper is stored.
#[must_use]
pub fn receipt(token: &[u8]) -> String {
    let digest = Sha256::new_with_prefix(b"minsheng ballot receipt\0")
        .chain_update(token)
        .finalize();
    hex(&digest[..10])
}

/// SHA-256, the form under which tokens, blinded tokens and receipts are stored.
#[must_use]
pub fn digest(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blinded_token_signed_by_the_service_verifies_unblinded_and_nothing_else_does() {
        let (public, private) = generate().expect("a key");
        let pk = PublicKey::from_pem(&public).expect("pem");
        let token = [7u8; TOKEN_BYTES];
        let options = Options::default();
        let blinded = pk.blind(&mut OsRng, token, false, &options).expect("blinds");
        assert_ne!(blinded.blind_msg.0, token.to_vec());
        let blind_sig = sign_blinded(&private, &blinded.blind_msg).expect("signs");
        let sig = pk
            .finalize(
                &blind_rsa_signatures::BlindSignature::new(blind_sig.clone()),
                &blinded.secret,
                None,
                token,
                &options,
            )
            .expect("unblinds");
        assert!(verifies(&public, &token, &sig.0));
        assert!(!verifies(&public, &[8u8; TOKEN_BYTES], &sig.0));
        assert!(!verifies(&public, &token, &blind_sig));
        assert!(matches!(sign_blinded(&private, b"short"), Err(KeyError::NotBlinded)));
        assert_eq!(receipt(&token).len(), 20);
        assert_ne!(receipt(&token), receipt(&[8u8; TOKEN_BYTES]));
    }
}
