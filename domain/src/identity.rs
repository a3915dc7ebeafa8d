//! Identity: how people arrive (a WeChat login code, a scanned scene) and the rules for sign-in attempts.

use crate::Invalid;
use serde::Serialize;

/// What a QR code carries: the `scene` of a WeChat mini-program code, or the last segment of a plain code's URL.
/// Lowercase letters and digits, 1 to 32 of them (WeChat's limit); issued at random, so never guessable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Scene(String);

impl Scene {
    pub const MAX: usize = 32;
    /// How many characters a newly issued scene has: 20 base-32 characters carry 100 random bits.
    pub const ISSUED_LEN: usize = 20;
    /// The alphabet issued scenes are drawn from (base 32, no 0/1/l/o to survive being read aloud).
    pub const ALPHABET: &'static [u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";

    /// # Errors
    /// `Invalid` on `scene` unless it is 1 to 32 lowercase letters and digits.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > Self::MAX || !raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return Err(Invalid::new(
                "scene",
                "invalid_scene",
                "must be 1 to 32 lowercase letters and digits, as printed in the QR code",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// A new scene from random bytes (one character per byte, so 20 bytes give 100 bits).
    #[must_use]
    pub fn from_random(bytes: &[u8; Self::ISSUED_LEN]) -> Self {
        Self(
            bytes
                .iter()
                .map(|b| char::from(Self::ALPHABET[usize::from(b % 32)]))
                .collect(),
        )
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a scene points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SceneTarget {
    Station(uuid::Uuid),
    Deputy(uuid::Uuid),
    /// An elected livelihood project's public page (码上监督); reports do not go to it.
    Project(uuid::Uuid),
}

impl SceneTarget {
    /// The station's, the deputy's and the project's id, exactly one of them present.
    #[must_use]
    pub fn ids(self) -> (Option<uuid::Uuid>, Option<uuid::Uuid>, Option<uuid::Uuid>) {
        match self {
            SceneTarget::Station(id) => (Some(id), None, None),
            SceneTarget::Deputy(id) => (None, Some(id), None),
            SceneTarget::Project(id) => (None, None, Some(id)),
        }
    }
}

/// The one-time code `wx.login()` gives the mini-program, to be exchanged with WeChat for the user's openid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginCode(String);

impl LoginCode {
    /// # Errors
    /// `Invalid` on `code` when it is empty, longer than 128 characters or holds anything but printable ASCII.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Invalid::new("code", "required", "must not be empty"));
        }
        if raw.len() > 128 || !raw.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Invalid::new(
                "code",
                "invalid_code",
                "must be the code wx.login() returned",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A QR code's size in pixels: WeChat draws mini-program codes 280 to 1280 pixels wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeWidth(u32);

impl CodeWidth {
    pub const MIN: u32 = 280;
    pub const MAX: u32 = 1280;
    pub const DEFAULT: CodeWidth = CodeWidth(430);

    /// # Errors
    /// `Invalid` on `width` outside 280–1280.
    pub fn parse(width: u32) -> Result<Self, Invalid> {
        if (Self::MIN..=Self::MAX).contains(&width) {
            Ok(Self(width))
        } else {
            Err(Invalid::new(
                "width",
                "out_of_range",
                format!("must be between {} and {} pixels", Self::MIN, Self::MAX),
            ))
        }
    }

    #[must_use]
    pub fn pixels(self) -> u32 {
        self.0
    }
}

/// What an erased citizen is called wherever their past actions are shown.
pub const ERASED_CITIZEN_NAME: &str = "已注销的市民";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_scenes_parse_and_fit_wechat() {
        let scene = Scene::from_random(&[255; Scene::ISSUED_LEN]);
        assert_eq!(scene.as_str().len(), Scene::ISSUED_LEN);
        assert_eq!(Scene::parse(scene.as_str()), Ok(scene));
        assert!(Scene::parse("ABC").is_err());
        assert!(Scene::parse(&"a".repeat(33)).is_err());
        assert!(Scene::parse("a-b").is_err());
    }

    #[test]
    fn login_codes_are_bounded_printable_ascii() {
        assert!(LoginCode::parse("081aBc2w3").is_ok());
        assert_eq!(LoginCode::parse(" ").map_err(|e| e.code), Err("required"));
        assert!(LoginCode::parse("a b").is_err());
        assert!(LoginCode::parse(&"x".repeat(129)).is_err());
    }

    #[test]
    fn widths_are_wechats() {
        assert!(CodeWidth::parse(279).is_err());
        assert_eq!(CodeWidth::parse(1280).map(CodeWidth::pixels), Ok(1280));
    }
}
