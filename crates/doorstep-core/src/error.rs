//! The core's error type: rich enough to say exactly what went wrong, in words a practitioner or
//! an administrator can act on. Adapters (CLI, app) print `Display`; none of the messages carry
//! case text or key material.

use std::path::PathBuf;

use rusqlite::ErrorCode;

use crate::keys::{KeyFileError, OrgKeyFileError, OrgPublicKey, PassphraseError, RecoveryError};
use crate::sealed::SealedFileError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    #[error(transparent)]
    Passphrase(#[from] PassphraseError),
    #[error(transparent)]
    Sealed(#[from] SealedFileError),
    #[error(transparent)]
    Recovery(#[from] RecoveryError),
    #[error(transparent)]
    OrgKeyFile(#[from] OrgKeyFileError),
    #[error(
        "this store is already recoverable with organisation key {current}, not the key given \
         ({given}); nothing was changed"
    )]
    OtherRecoveryKey { current: OrgPublicKey, given: OrgPublicKey },
    #[error("the key file {0} was replaced while the store was open; nothing was changed")]
    KeyFileReplaced(PathBuf),
    #[error("no Doorstep store in {0}: run `doorstep init` first")]
    NoStore(PathBuf),
    #[error("a Doorstep store already exists in {0}")]
    StoreExists(PathBuf),
    #[error(
        "the database {0} is missing although its key file is present; restore it from a backup"
    )]
    DatabaseMissing(PathBuf),
    #[error("a database exists at {0} but its key file is missing; it cannot be opened")]
    KeyFileMissing(PathBuf),
    #[error(
        "the database {path} is damaged or is not this store's database (it cannot be read with \
         this store's key); it has been left as it was"
    )]
    DamagedFile { path: PathBuf },
    #[error("the database is damaged ({context}: {source}); it has been left as it was")]
    Damaged { context: &'static str, source: rusqlite::Error },
    #[error("{0} is not a Doorstep database")]
    NotDoorstep(PathBuf),
    #[error(
        "the database {path} is from a newer version of Doorstep (schema {found}; this version \
         reads up to {supported}): update Doorstep"
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error("upgrading the database from schema {from} failed, nothing was changed: {source}")]
    Upgrade { from: i64, source: rusqlite::Error },
    #[error("the disk is full ({context}); nothing was lost, free some space and try again")]
    DiskFull { context: &'static str },
    #[error("the store is busy in another Doorstep process ({context}); try again")]
    Busy { context: &'static str },
    #[error("database error while {context}: {source}")]
    Sql { context: &'static str, source: rusqlite::Error },
    #[error("cannot {action} {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("no such person: {0}")]
    NoSuchPerson(String),
    #[error("{count} people match {name:?}: give the person's id instead")]
    AmbiguousPerson { name: String, count: usize },
    #[error("no such note: {0}")]
    NoSuchNote(String),
    #[error("no such visit: {0}")]
    NoSuchVisit(String),
    #[error("visit {visit} was to someone else, not the note's subject")]
    VisitOfAnotherPerson { visit: String },
    #[error("{}", missing_version(*.version, *.latest))]
    NoSuchEcomapVersion { version: u32, latest: u32 },
    #[error("note {0} is approved: it is the record now and cannot be changed")]
    NoteApproved(String),
    #[error("characters {start} to {end} are not within the note, which has {chars}")]
    SpanOutsideNote { start: usize, end: usize, chars: usize },
    #[error("note {note} is about someone else, so it cannot be read into this ecomap")]
    NoteOfAnotherPerson { note: String },
    #[error("{what} cannot be empty")]
    Empty { what: &'static str },
    #[error("{what} is longer than {max} characters")]
    TooLong { what: &'static str, max: usize },
    #[error("a {kind} with external id {id:?} already exists")]
    DuplicateExternalId { kind: &'static str, id: String },
    #[error("say who gave or refused consent to record")]
    ConsentWithoutName,
    #[error("the database refused WAL mode (it reported {0})")]
    WalRefused(String),
    #[error("cannot encode {what}: {source}")]
    Encode { what: &'static str, source: serde_json::Error },
    #[error("a record from another device cannot be taken in: {0}")]
    BadRecord(String),
    #[error(
        "the caseload key kept in this store is in a format this version of Doorstep cannot read"
    )]
    SpaceKeyFormat,
}

impl Error {
    /// Whether the store refused what it was given (a person who is not here, an empty or
    /// overlong text, a duplicate, a broken constraint), as opposed to failing to work (the
    /// disk, a lock, damage): trying the same input again cannot help.
    pub fn is_refusal(&self) -> bool {
        match self {
            Self::NoSuchPerson(_)
            | Self::AmbiguousPerson { .. }
            | Self::NoSuchNote(_)
            | Self::NoSuchVisit(_)
            | Self::VisitOfAnotherPerson { .. }
            | Self::NoteOfAnotherPerson { .. }
            | Self::Empty { .. }
            | Self::TooLong { .. }
            | Self::DuplicateExternalId { .. }
            | Self::ConsentWithoutName
            | Self::SpanOutsideNote { .. }
            | Self::BadRecord(_) => true,
            Self::Sql { source, .. } => {
                source.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
            }
            _ => false,
        }
    }
}

fn missing_version(version: u32, latest: u32) -> String {
    match latest {
        0 => format!("there is no ecomap version {version}: no ecomap has been confirmed yet"),
        1 => format!("there is no ecomap version {version}: the only version is 1"),
        _ => format!("there is no ecomap version {version}: versions are 1 to {latest}"),
    }
}

/// Attaches what the store was doing to a SQLite error, and names the failures a person can act
/// on (damage, a full disk, another process) instead of passing on SQLite's wording.
pub(crate) trait SqlContext<T> {
    fn context(self, context: &'static str) -> Result<T, Error>;
}

impl<T> SqlContext<T> for rusqlite::Result<T> {
    fn context(self, context: &'static str) -> Result<T, Error> {
        self.map_err(|source| classify(context, source))
    }
}

pub(crate) fn classify(context: &'static str, source: rusqlite::Error) -> Error {
    match source.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            Error::Damaged { context, source }
        }
        Some(ErrorCode::DiskFull) => Error::DiskFull { context },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy { context },
        _ => Error::Sql { context, source },
    }
}
