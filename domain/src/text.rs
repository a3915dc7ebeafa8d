//! Bounded, trimmed text. Two kinds: **names** (of regions, agencies, stations, categories, people, projects), which
//! people pick from lists and must not be able to imitate one another, and **free text** (a description, a note, a
//! comment), which is shown as written but must not change how the text after it is shown.

use crate::Invalid;
use unicode_normalization::UnicodeNormalization;

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

/// Characters that show nothing or only steer the display: zero-width spaces and joiners, the word joiner and the
/// byte-order mark, soft hyphens, Hangul fillers, tag characters, and the bidirectional marks, embeddings,
/// overrides and isolates. In a name they make two names that look the same differ (`住房和\u{200b}城乡建设局`) or show
/// a name backwards (`\u{202e}…`).
#[must_use]
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// A name, as it is stored and shown: as typed (Chinese names keep their full-width punctuation, 余姚市人民政府（办公室）),
/// with runs of white space folded into one space, checked as `bounded` text, and with no invisible character
/// (`is_invisible`). Names that still look alike — full-width letters, compatibility ideographs such as the Kangxi
/// radical `⽔` for 水, a space in the middle — compare alike by `name_key`, so the second is refused as a duplicate.
///
/// # Errors
/// As `bounded`, and `invisible_characters` for a zero-width or bidirectional control character.
pub fn name(field: &str, raw: &str, min: usize, max: usize) -> Result<String, Invalid> {
    if raw.chars().any(is_invisible) {
        return Err(Invalid::new(
            field,
            "invisible_characters",
            "must not contain zero-width or text-direction characters",
        ));
    }
    let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    bounded(field, &folded, min, max)
}

/// What two names are compared by for uniqueness: NFKC, without white space, lower case. The database's unique
/// indexes on names compare the same (`name_key` in migration 000019).
#[must_use]
pub fn name_key(name: &str) -> String {
    name.nfkc()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Free text with its bidirectional controls balanced: an embedding, override or isolate left open is closed at the
/// end, and a closing one without an opening is dropped, so a description can show right-to-left words (Uyghur,
/// Arabic) but never turn around what is shown after it.
#[must_use]
pub fn balanced(text: &str) -> String {
    const POP_FORMATTING: char = '\u{202C}';
    const POP_ISOLATE: char = '\u{2069}';
    let mut open: Vec<char> = Vec::new();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{202A}'..='\u{202E}' if c != POP_FORMATTING => {
                open.push(POP_FORMATTING);
                out.push(c);
            }
            '\u{2066}'..='\u{2068}' => {
                open.push(POP_ISOLATE);
                out.push(c);
            }
            POP_FORMATTING | POP_ISOLATE => {
                // A closer ends the innermost opening of its kind, and (as in the Unicode algorithm) any opened
                // inside it; one with nothing to close is dropped.
                if let Some(at) = open.iter().rposition(|&o| o == c) {
                    for closer in open.drain(at..).rev() {
                        out.push(closer);
                    }
                }
            }
            _ => out.push(c),
        }
    }
    while let Some(closer) = open.pop() {
        out.push(closer);
    }
    out
}

/// Declares a newtype over a name (`name`) with a `parse` constructor, so holding one proves it was checked.
#[macro_export]
macro_rules! name_text {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:literal, $max:literal) => {
        $crate::text_type!($(#[$doc])* $name, $field, $min, $max, $crate::text::name);
    };
}

/// Declares a newtype over bounded free text (`bounded`, its bidirectional controls `balanced`) with a `parse`
/// constructor, so holding one proves it was checked.
#[macro_export]
macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:literal, $max:literal) => {
        $crate::text_type!($(#[$doc])* $name, $field, $min, $max, $crate::text::free);
    };
}

/// Free text: `bounded`, with its bidirectional controls `balanced`.
///
/// # Errors
/// As `bounded`.
pub fn free(field: &str, raw: &str, min: usize, max: usize) -> Result<String, Invalid> {
    bounded(field, raw, min, max).map(|t| balanced(&t))
}

/// Declares a newtype over checked text with a `parse` constructor, so holding one proves it was checked.
#[macro_export]
#[doc(hidden)]
macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:literal, $max:literal, $check:path) => {
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
                $check($field, raw, $min, $max).map(Self)
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
    use super::{balanced, bounded, free, name, name_key};

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

    #[test]
    fn names_that_look_alike_are_refused_or_become_one() {
        assert_eq!(
            name("name", "余姚市住房和\u{200b}城乡建设局", 1, 80).map_err(|e| e.code),
            Err("invisible_characters")
        );
        assert_eq!(
            name("name", "\u{202e}局设建乡城和房住市姚余", 1, 80).map_err(|e| e.code),
            Err("invisible_characters")
        );
        // Stored as typed, spaces folded; compared with Kangxi radicals, full-width letters and spaces normalised.
        assert_eq!(
            name("name", " 余姚市人民政府（办公室）  ", 1, 80),
            Ok("余姚市人民政府（办公室）".to_owned())
        );
        assert_eq!(
            name("name", "代表\u{3000}\u{3000}之家", 1, 80),
            Ok("代表 之家".to_owned())
        );
        assert_eq!(name_key("余姚市 住建局"), name_key("余姚市住建局"));
        assert_eq!(name_key("余姚市⽔利局"), name_key("余姚市水利局"));
        assert_eq!(name_key("Ａbc"), name_key("abc"));
    }

    #[test]
    fn free_text_cannot_turn_around_what_follows_it() {
        assert_eq!(balanced("a\u{202e}bc"), "a\u{202e}bc\u{202c}");
        assert_eq!(balanced("\u{2067}x"), "\u{2067}x\u{2069}");
        assert_eq!(
            balanced("x\u{202c}y"),
            "xy",
            "a closer with nothing to close is dropped"
        );
        assert_eq!(
            balanced("\u{202b}a\u{2066}b\u{202c}c"),
            "\u{202b}a\u{2066}b\u{2069}\u{202c}c"
        );
        assert_eq!(balanced("普通的话"), "普通的话");
        assert_eq!(
            free("d", "  路灯\u{202e}坏了 ", 1, 10),
            Ok("路灯\u{202e}坏了\u{202c}".to_owned())
        );
    }
}
