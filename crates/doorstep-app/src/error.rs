//! The one error the UI sees: a kind it can act on and a sentence for the practitioner.

use serde::Serialize;

/// What went wrong, for the UI to decide what to offer next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    WrongPassphrase,
    NotInitialised,
    AlreadyInitialised,
    Locked,
    NotFound,
    InvalidInput,
    ModelMissing,
    NoServer,
    ServerRefused,
    DiskFull,
    Busy,
    AudioDevice,
    Internal,
}

/// An error as the UI receives it: `{ "kind": ..., "message": ... }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput, message)
    }

    pub fn locked() -> Self {
        Self::new(ErrorKind::Locked, "Doorstep is locked: unlock it with your passphrase.")
    }
}

/// Capitalises the first letter, so a library's lower-case message reads as a sentence.
pub(crate) fn sentence(text: impl std::fmt::Display) -> String {
    let text = text.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let mut out: String = first.to_uppercase().collect();
            out.push_str(chars.as_str());
            if !out.ends_with(['.', '!', '?']) {
                out.push('.');
            }
            out
        }
        None => "Something went wrong.".to_owned(),
    }
}

impl From<doorstep_core::Error> for AppError {
    fn from(e: doorstep_core::Error) -> Self {
        use doorstep_core::Error as E;
        use doorstep_core::keys::KeyFileError;
        let kind = match &e {
            E::KeyFile(KeyFileError::WrongPassphrase) => {
                return Self::new(
                    ErrorKind::WrongPassphrase,
                    "That passphrase does not open this device's records. Check it and try again.",
                );
            }
            E::NoStore(_) | E::DatabaseMissing(_) | E::KeyFileMissing(_) => {
                ErrorKind::NotInitialised
            }
            E::StoreExists(_) => ErrorKind::AlreadyInitialised,
            E::DiskFull { .. } => {
                return Self::new(
                    ErrorKind::DiskFull,
                    "The phone's storage is full, so nothing was saved; what you had is safe. \
                     Free some space and try again.",
                );
            }
            E::Busy { .. } => ErrorKind::Busy,
            E::NoSuchPerson(_)
            | E::NoSuchNote(_)
            | E::NoSuchVisit(_)
            | E::NoSuchEcomapVersion { .. } => ErrorKind::NotFound,
            E::Empty { .. }
            | E::TooLong { .. }
            | E::AmbiguousPerson { .. }
            | E::NoteApproved(_)
            | E::SpanOutsideNote { .. }
            | E::NoteOfAnotherPerson { .. }
            | E::DuplicateExternalId { .. }
            | E::VisitOfAnotherPerson { .. } => ErrorKind::InvalidInput,
            _ => ErrorKind::Internal,
        };
        Self::new(kind, sentence(&e))
    }
}

impl From<doorstep_search::SearchError> for AppError {
    fn from(e: doorstep_search::SearchError) -> Self {
        use doorstep_search::SearchError as S;
        match e {
            S::Store(e) => e.into(),
            S::BadDate(_) | S::EmptyFilter(_) | S::UnknownTheme(_) => Self::invalid(sentence(&e)),
            other => Self::new(ErrorKind::Internal, sentence(&other)),
        }
    }
}

impl From<doorstep_sync::client::SyncError> for AppError {
    fn from(e: doorstep_sync::client::SyncError) -> Self {
        use doorstep_sync::client::SyncError as S;
        let kind = match e {
            S::Store(inner) => return inner.into(),
            S::NoServer => {
                return Self::new(
                    ErrorKind::NoServer,
                    "No sync server is set: enter your organisation's server address first.",
                );
            }
            S::Unreachable { .. } | S::Unavailable { .. } => ErrorKind::NoServer,
            S::Refused { .. } | S::OtherServer { .. } | S::AlreadyEnrolled(_) => {
                ErrorKind::ServerRefused
            }
            S::BadUrl { .. } => ErrorKind::InvalidInput,
            _ => ErrorKind::Internal,
        };
        Self::new(kind, sentence(&e))
    }
}

impl From<doorstep_ecomap::EcomapError> for AppError {
    fn from(e: doorstep_ecomap::EcomapError) -> Self {
        use doorstep_ecomap::EcomapError as M;
        let kind = match &e {
            M::TooLong { .. } => ErrorKind::InvalidInput,
            _ => ErrorKind::Internal,
        };
        Self::new(kind, sentence(&e))
    }
}

impl From<doorstep_ecomap::edit::EditError> for AppError {
    fn from(e: doorstep_ecomap::edit::EditError) -> Self {
        Self::invalid(sentence(&e))
    }
}

impl From<doorstep_themes::TaxonomyError> for AppError {
    fn from(e: doorstep_themes::TaxonomyError) -> Self {
        Self::new(ErrorKind::Internal, sentence(&e))
    }
}

impl From<doorstep_embed::EmbedError> for AppError {
    fn from(e: doorstep_embed::EmbedError) -> Self {
        Self::new(ErrorKind::ModelMissing, sentence(&e))
    }
}

impl From<doorstep_speech::transcribe::TranscribeError> for AppError {
    fn from(e: doorstep_speech::transcribe::TranscribeError) -> Self {
        use doorstep_speech::transcribe::TranscribeError as T;
        let kind = match &e {
            T::ModelUnreadable { .. } | T::NotAModel { .. } | T::ModelLoad { .. } => {
                ErrorKind::ModelMissing
            }
            T::Audio(_) => ErrorKind::InvalidInput,
            _ => ErrorKind::Internal,
        };
        Self::new(kind, sentence(&e))
    }
}

impl From<doorstep_speech::audio::AudioError> for AppError {
    fn from(e: doorstep_speech::audio::AudioError) -> Self {
        Self::invalid(sentence(&e))
    }
}

impl From<doorstep_speech::record::RecordError> for AppError {
    fn from(e: doorstep_speech::record::RecordError) -> Self {
        Self::new(ErrorKind::AudioDevice, sentence(&e))
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::StorageFull {
            return doorstep_core::Error::DiskFull { context: "writing" }.into();
        }
        Self::new(ErrorKind::Internal, sentence(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialise_as_kind_and_sentence() {
        let e: AppError = doorstep_core::Error::NoSuchNote("n9".into()).into();
        assert_eq!(e.kind, ErrorKind::NotFound);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "not_found");
        let message = json["message"].as_str().unwrap();
        assert!(message.starts_with(char::is_uppercase) && message.ends_with('.'), "{message}");
    }
}
