//! WeChat's message push (消息推送) to this service: the address a county enters in the mini-program's settings
//! (`{MINSHENG_PUBLIC_URL}/api/v1/wechat/push`, 明文模式, JSON), with the Token it sets there as
//! `MINSHENG_WECHAT_PUSH_TOKEN`. WeChat signs every request: `signature` = SHA-1 of the Token, `timestamp` and `nonce`
//! sorted and joined; anything else is refused. Without a Token configured the address does not exist (404).

pub mod receive;
pub mod verify;

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use secrecy::ExposeSecret;
use serde::Deserialize;
use sha1::{Digest, Sha1};
use utoipa::IntoParams;

/// What WeChat adds to every push's address.
#[derive(Debug, Deserialize, IntoParams)]
pub struct Signed {
    /// SHA-1 (hex) of the Token, `timestamp` and `nonce`, sorted and joined.
    #[param(max_length = 64)]
    pub signature: String,
    #[param(max_length = 32)]
    pub timestamp: String,
    #[param(max_length = 64)]
    pub nonce: String,
}

/// Checks WeChat's signature of a push; 404 when no push Token is configured, 401 when the signature is not WeChat's.
pub fn verified(state: &AppState, signed: &Signed) -> AppResult<()> {
    let token = state
        .config
        .wechat
        .as_ref()
        .and_then(|w| w.push_token.as_ref())
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no WeChat message push is configured here"))?;
    let mut parts = [token.expose_secret(), signed.timestamp.as_str(), signed.nonce.as_str()];
    parts.sort_unstable();
    let expected = infra::encoding::hex(&Sha1::digest(parts.concat().as_bytes()));
    let given = signed.signature.to_ascii_lowercase();
    // Compared in constant time: a timing difference must not spell out the signature of a forged push.
    let same = expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::Unauthenticated,
            "the push is not signed with this service's WeChat push Token",
        ))
    }
}
