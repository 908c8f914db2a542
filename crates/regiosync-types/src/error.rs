//! Errors of the types crate: what was wrong with an identity or an envelope, and where.
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// Not a well-formed member id (see `NodeId`).
    #[error("{field}: '{value}' is not a member id (2 to 16 characters A-Z, 0-9 and '-', starting with a letter, such as VR07, NL-B or POL-ON)")]
    UnknownNode { field: String, value: String },
    /// A field that must be set is missing or empty.
    #[error("{0}: required")]
    Missing(String),
    /// A field whose value breaks a rule; the message names the field and the rule.
    #[error("{field}: {rule}")]
    Invalid { field: String, rule: String },
    /// Bytes that do not decode as the message they claim to be.
    #[error("{what}: malformed protobuf ({detail})")]
    Malformed { what: String, detail: String },
}

impl Error {
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// The same error with its field path placed under `prefix` (e.g. `items[3]`).
    pub fn within(self, prefix: &str) -> Self {
        let join = |f: String| format!("{prefix}.{f}");
        match self {
            Error::UnknownNode { field, value } => Error::UnknownNode {
                field: join(field),
                value,
            },
            Error::Missing(f) => Error::Missing(join(f)),
            Error::Invalid { field, rule } => Error::Invalid {
                field: join(field),
                rule,
            },
            Error::Malformed { what, detail } => Error::Malformed {
                what: join(what),
                detail,
            },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
