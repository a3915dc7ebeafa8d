//! The two ways a rule says no: the input is not acceptable, or the actor may not do it.

use std::fmt;

/// An input that breaks a rule: which field, a stable code, and a human sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field at fault, as the client named it (`location.latitude`).
    pub field: String,
    /// A stable snake_case code clients can switch on.
    pub code: &'static str,
    /// A sentence for a person.
    pub message: String,
}

impl Invalid {
    #[must_use]
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    /// The same complaint about a field the caller names differently (a query parameter `region` parsed as a region code).
    #[must_use]
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    /// The same complaint about a field nested under `parent` (`location` + `latitude`).
    #[must_use]
    pub fn under(mut self, parent: &str) -> Self {
        self.field = if self.field.is_empty() {
            parent.to_owned()
        } else {
            format!("{parent}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for Invalid {}

/// Why an actor may not do something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The thing exists but lies outside what the actor may see: answer as if it did not exist,
    /// so that probing ids tells nothing.
    Hidden,
    /// The actor may see the thing but not do this to it.
    Forbidden(&'static str),
}
