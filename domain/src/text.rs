//! Bounded, trimmed text: the shape every name and address in the organisation model shares.

use crate::Invalid;

/// Trims `raw` and checks that it holds between `min` and `max` characters (not bytes: Chinese text counts per character)
/// and no control characters.
///
/// # Errors
/// `Invalid` naming `field` when the text is empty, too long, or holds control characters.
pub fn bounded(field: &str, raw: &str, min: usize, max: usize) -> Result<String, Invalid> {
    let trimmed = raw.trim();
    let count = trimmed.chars().count();
    if count < min {
        return Err(if count == 0 {
            Invalid::new(field, "required", "must not be empty")
        } else {
            Invalid::new(field, "too_short", format!("must be at least {min} characters"))
        });
    }
    if count > max {
        return Err(Invalid::new(
            field,
            "too_long",
            format!("must be at most {max} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(Invalid::new(
            field,
            "control_characters",
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Declares a newtype over bounded text with a `parse` constructor, so holding one proves it was checked.
#[macro_export]
macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Field name used in error reports.
            pub const FIELD: &'static str = $field;
            /// Longest accepted length, in characters.
            pub const MAX: usize = $max;

            /// Trims and checks the text.
            ///
            /// # Errors
            /// `Invalid` when it is empty, too long or holds control characters.
            pub fn parse(raw: &str) -> Result<Self, $crate::Invalid> {
                $crate::text::bounded($field, raw, $min, $max).map(Self)
            }

            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            #[must_use]
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::bounded;

    #[test]
    fn counts_characters_not_bytes() {
        let name = "余姚市凤山街道代表联络站";
        assert_eq!(bounded("name", name, 1, 12), Ok(name.to_owned()));
        assert_eq!(bounded("name", name, 1, 11).map_err(|e| e.code), Err("too_long"));
    }

    #[test]
    fn trims_and_rejects_blank_and_control_characters() {
        assert_eq!(bounded("name", "  河道  ", 1, 10), Ok("河道".to_owned()));
        assert_eq!(bounded("name", "   ", 1, 10).map_err(|e| e.code), Err("required"));
        assert_eq!(
            bounded("name", "a\u{0}b", 1, 10).map_err(|e| e.code),
            Err("control_characters")
        );
    }
}
