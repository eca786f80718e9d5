//! Why a resource write is refused by the rules: a field's value (400), or the record's state
//! now (409). The store answers each as its error of the same name.

use crate::kernel::validation::Invalid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// One or more fields are wrong.
    Invalid(Invalid),
    /// The record's state does not allow it now; `field` is the one the form shows it on.
    Conflict {
        field: &'static str,
        message: String,
    },
}

impl Refusal {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(Invalid::one(field, message))
    }

    pub fn conflict(field: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            field,
            message: message.into(),
        }
    }

    /// The message, as the user reads it.
    pub fn message(&self) -> String {
        match self {
            Self::Invalid(i) => i.summary(),
            Self::Conflict { message, .. } => message.clone(),
        }
    }
}

impl From<Invalid> for Refusal {
    fn from(i: Invalid) -> Self {
        Self::Invalid(i)
    }
}
