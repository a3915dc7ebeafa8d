//! Enums whose values travel as words (in JSON, in the database, in paths): one list, one spelling.

/// Declares `ALL`, `as_str`, `Display` and `FromStr` for a fieldless enum from one table of `Variant => "word"`.
/// Serde's spelling is declared beside it with `rename_all`, and a unit test per enum checks both agree.
#[macro_export]
macro_rules! word_enum {
    ($name:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::role::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::role::UnknownValue(s.to_owned()))
            }
        }
    };
}
