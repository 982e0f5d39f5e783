//! The organisation's recovery key pair on disk: two small text files, one private and one
//! public, each a labelled base64 line under a comment saying what it is for.
//!
//! The labels differ, so a private key handed to a device where the public one belongs is refused
//! by name instead of being used (a device must never hold it). The private file is created with
//! mode 0600 from the start, never chmod-ed afterwards, and neither file ever replaces an
//! existing one: an organisation that overwrote its private key would lose every recovery.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use zeroize::Zeroizing;

use super::recovery::{OrgPublicKey, OrgSecretKey};

const PRIVATE_LABEL: &str = "doorstep-org-private-key-1";
const PUBLIC_LABEL: &str = "doorstep-org-public-key-1";

const PRIVATE_COMMENT: &str = "\
# Doorstep organisation recovery PRIVATE key. Keep it offline (an encrypted drive in a safe):
# with a practitioner's key file it recovers their data key. Never copy it to a device.
";
const PUBLIC_COMMENT: &str = "\
# Doorstep organisation recovery public key. Give it to every practitioner's device
# (doorstep init --recovery-key FILE), so a forgotten passphrase does not lose records.
";

#[derive(Debug, thiserror::Error)]
pub enum OrgKeyFileError {
    #[error("cannot read the organisation key file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write the organisation key file {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{0} already exists; an organisation key file is never overwritten")]
    Exists(PathBuf),
    #[error("{path} is not a Doorstep organisation key file: {reason}")]
    Malformed { path: PathBuf, reason: &'static str },
    #[error(
        "{0} holds the organisation's PRIVATE recovery key; a device takes the public key file \
         (keep the private key offline)"
    )]
    PrivateGivenForPublic(PathBuf),
    #[error("{0} holds the organisation's public key; recovery needs the private key file")]
    PublicGivenForPrivate(PathBuf),
}

impl OrgPublicKey {
    /// Reads a public key file (or a file holding only the key in base64).
    pub fn read_file(path: &Path) -> Result<Self, OrgKeyFileError> {
        let text = Zeroizing::new(read(path)?);
        match labelled_line(&text) {
            Some((Some(PUBLIC_LABEL), value)) | Some((None, value)) => {
                decode(path, value).map(|bytes| Self::from_bytes(*bytes))
            }
            Some((Some(PRIVATE_LABEL), _)) => {
                Err(OrgKeyFileError::PrivateGivenForPublic(path.to_owned()))
            }
            Some((Some(_), _)) => Err(malformed(path, "unknown label")),
            None => Err(malformed(path, "no key in it")),
        }
    }

    /// Writes a new public key file; refuses to replace an existing file.
    pub fn write_file(&self, path: &Path) -> Result<(), OrgKeyFileError> {
        let text = format!("{PUBLIC_COMMENT}{PUBLIC_LABEL} {self}\n");
        write_new(path, text.as_bytes(), 0o644)
    }
}

impl OrgSecretKey {
    /// Reads a private key file.
    pub fn read_file(path: &Path) -> Result<Self, OrgKeyFileError> {
        let text = Zeroizing::new(read(path)?);
        match labelled_line(&text) {
            Some((Some(PRIVATE_LABEL), value)) => {
                decode(path, value).map(|bytes| Self::from_bytes(*bytes))
            }
            Some((Some(PUBLIC_LABEL), _)) | Some((None, _)) => {
                Err(OrgKeyFileError::PublicGivenForPrivate(path.to_owned()))
            }
            Some((Some(_), _)) => Err(malformed(path, "unknown label")),
            None => Err(malformed(path, "no key in it")),
        }
    }

    /// Writes a new private key file, readable by its owner only; refuses to replace an
    /// existing file.
    pub fn write_file(&self, path: &Path) -> Result<(), OrgKeyFileError> {
        let bytes = self.to_bytes();
        let encoded = Zeroizing::new(B64.encode(*bytes));
        let text = Zeroizing::new(format!("{PRIVATE_COMMENT}{PRIVATE_LABEL} {}\n", *encoded));
        write_new(path, text.as_bytes(), 0o600)
    }
}

fn read(path: &Path) -> Result<String, OrgKeyFileError> {
    fs::read_to_string(path)
        .map_err(|source| OrgKeyFileError::Read { path: path.to_owned(), source })
}

fn malformed(path: &Path, reason: &'static str) -> OrgKeyFileError {
    OrgKeyFileError::Malformed { path: path.to_owned(), reason }
}

/// The first line that is not blank or a `#` comment, as (label, value); a line of one word is
/// a value without a label.
fn labelled_line(text: &str) -> Option<(Option<&str>, &str)> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'))?;
    match line.split_once(char::is_whitespace) {
        Some((label, value)) => Some((Some(label), value.trim())),
        None => Some((None, line)),
    }
}

fn decode(path: &Path, value: &str) -> Result<Zeroizing<[u8; 32]>, OrgKeyFileError> {
    let bytes = Zeroizing::new(B64.decode(value).map_err(|_| malformed(path, "not base64"))?);
    let mut key = Zeroizing::new([0u8; 32]);
    if bytes.len() != key.len() {
        return Err(malformed(path, "the key is not 32 bytes"));
    }
    key.copy_from_slice(&bytes);
    Ok(key)
}

/// Creates `path` (which must not exist) with `mode` from the start, writes `bytes` and flushes
/// them to disk; a failed write removes the partial file.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), OrgKeyFileError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::AlreadyExists => OrgKeyFileError::Exists(path.to_owned()),
        _ => OrgKeyFileError::Write { path: path.to_owned(), source },
    })?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(source) = written {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(OrgKeyFileError::Write { path: path.to_owned(), source });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new key pair written to `org.key` and `org.pub` in `dir`.
    fn pair(dir: &Path) -> (OrgSecretKey, PathBuf, PathBuf) {
        let (private, public) = (dir.join("org.key"), dir.join("org.pub"));
        let org = OrgSecretKey::generate().unwrap();
        org.write_file(&private).unwrap();
        org.public_key().write_file(&public).unwrap();
        (org, private, public)
    }

    #[test]
    fn a_key_pair_round_trips_through_its_files_and_the_private_one_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let (org, private, public) = pair(dir.path());
        assert_eq!(OrgSecretKey::read_file(&private).unwrap().public_key(), org.public_key());
        assert_eq!(OrgPublicKey::read_file(&public).unwrap(), org.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = fs::metadata(&private).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let secret_b64 = B64.encode(*org.to_bytes());
        assert!(!fs::read_to_string(&public).unwrap().contains(&secret_b64));
        // Never overwritten.
        let other = OrgSecretKey::generate().unwrap();
        assert!(matches!(other.write_file(&private), Err(OrgKeyFileError::Exists(_))));
        assert_eq!(OrgSecretKey::read_file(&private).unwrap().public_key(), org.public_key());
    }

    #[test]
    fn the_wrong_file_of_the_pair_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let (org, private, public) = pair(dir.path());
        assert!(matches!(
            OrgPublicKey::read_file(&private),
            Err(OrgKeyFileError::PrivateGivenForPublic(_))
        ));
        assert!(matches!(
            OrgSecretKey::read_file(&public),
            Err(OrgKeyFileError::PublicGivenForPrivate(_))
        ));
        // A bare base64 public key is accepted; damage is named.
        let bare = dir.path().join("bare.pub");
        fs::write(&bare, format!("{}\n", org.public_key())).unwrap();
        assert_eq!(OrgPublicKey::read_file(&bare).unwrap(), org.public_key());
        fs::write(&bare, "# nothing\n").unwrap();
        assert!(matches!(OrgPublicKey::read_file(&bare), Err(OrgKeyFileError::Malformed { .. })));
        fs::write(&bare, format!("{PUBLIC_LABEL} AAAA\n")).unwrap();
        assert!(matches!(OrgPublicKey::read_file(&bare), Err(OrgKeyFileError::Malformed { .. })));
    }
}
