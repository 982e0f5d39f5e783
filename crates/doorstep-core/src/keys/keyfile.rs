//! The key file kept beside the database: the data key wrapped by a passphrase-derived key.
//!
//! It holds no secret in the clear: a salt, the Argon2id parameters and the wrapped data key.
//! The parameters are bound into the wrap as associated data, so a file edited to weaker
//! parameters fails to open instead of silently weakening the store.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::cipher::{NONCE_LEN, SealError, SecretKey};
use super::recovery::RecoveryWrap;
use super::{DataKey, Passphrase};

const FORMAT: u32 = 1;
const SALT_LEN: usize = 16;
/// Refuse parameters that would exhaust a phone's memory or take minutes: a damaged or hostile
/// key file must not be able to do that.
const MAX_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_ITERATIONS: u32 = 64;
const MAX_PARALLELISM: u32 = 16;

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("cannot read the key file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write the key file {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the key file {path} is damaged: {reason}")]
    Malformed { path: PathBuf, reason: String },
    #[error(
        "the key file was written by a newer Doorstep (format {found}; this version reads {FORMAT})"
    )]
    NewerFormat { found: u32 },
    #[error("the operating system's random source failed: {0}")]
    Random(getrandom::Error),
    #[error("key derivation failed: {0}")]
    Kdf(argon2::Error),
}

impl From<SealError> for KeyFileError {
    /// Opening a wrap fails authentication only when the passphrase-derived key is wrong.
    fn from(e: SealError) -> Self {
        match e {
            SealError::Authentication => Self::WrongPassphrase,
            SealError::Random(e) => Self::Random(e),
        }
    }
}

/// Argon2id cost parameters and salt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub algorithm: String,
    pub version: u32,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    pub salt: String,
}

impl KdfParams {
    /// 64 MiB, 3 passes, one lane: above OWASP's Argon2id minimum and about a quarter of a
    /// second on a mid-range phone, paid once per unlock.
    pub fn recommended() -> Result<Self, KeyFileError> {
        let mut salt = [0u8; SALT_LEN];
        getrandom::fill(&mut salt).map_err(KeyFileError::Random)?;
        Ok(Self {
            algorithm: "argon2id".into(),
            version: 0x13,
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
            salt: B64.encode(salt),
        })
    }

    fn check(&self, path: &Path) -> Result<Vec<u8>, KeyFileError> {
        let malformed = |reason: String| KeyFileError::Malformed { path: path.to_owned(), reason };
        if self.algorithm != "argon2id" || self.version != 0x13 {
            return Err(malformed(format!(
                "unknown key derivation {} version {}",
                self.algorithm, self.version
            )));
        }
        if self.memory_kib > MAX_MEMORY_KIB
            || self.iterations > MAX_ITERATIONS
            || self.parallelism > MAX_PARALLELISM
        {
            return Err(malformed("key derivation parameters out of range".into()));
        }
        B64.decode(&self.salt).map_err(|_| malformed("salt is not base64".into()))
    }

    fn derive(&self, passphrase: &Passphrase, salt: &[u8]) -> Result<SecretKey, KeyFileError> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
            .map_err(KeyFileError::Kdf)?;
        let mut out = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
            .map_err(KeyFileError::Kdf)?;
        Ok(SecretKey::from_bytes(*out))
    }

    fn associated_data(&self, key_id: &Uuid) -> Vec<u8> {
        format!(
            "doorstep keyfile v{FORMAT}|{key_id}|{}|{}|{}|{}|{}|{}",
            self.algorithm,
            self.version,
            self.memory_kib,
            self.iterations,
            self.parallelism,
            self.salt
        )
        .into_bytes()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct PassphraseWrap {
    kdf: KdfParams,
    nonce: String,
    wrapped_key: String,
}

/// The stored form of the key hierarchy's root.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyFile {
    format: u32,
    /// Names the data key; unchanged by a passphrase change.
    key_id: Uuid,
    passphrase: PassphraseWrap,
    /// The data key sealed to the organisation's recovery key, from enrolment on; absent from
    /// older files and unenrolled ones, which load all the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) recovery: Option<RecoveryWrap>,
}

impl KeyFile {
    /// Makes a new random data key and wraps it with `passphrase`.
    pub fn create(
        passphrase: &Passphrase,
        kdf: KdfParams,
    ) -> Result<(Self, DataKey), KeyFileError> {
        let key = DataKey::generate()?;
        let key_id = Uuid::now_v7();
        let wrap = wrap(&key, &key_id, passphrase, kdf)?;
        Ok((Self { format: FORMAT, key_id, passphrase: wrap, recovery: None }, key))
    }

    pub fn key_id(&self) -> Uuid {
        self.key_id
    }

    /// Unwraps the data key; a wrong passphrase is told apart from a damaged file.
    pub fn unlock(&self, passphrase: &Passphrase, path: &Path) -> Result<DataKey, KeyFileError> {
        let wrap = &self.passphrase;
        let salt = wrap.kdf.check(path)?;
        let malformed = |reason: &str| KeyFileError::Malformed {
            path: path.to_owned(),
            reason: reason.to_owned(),
        };
        let nonce: [u8; NONCE_LEN] = B64
            .decode(&wrap.nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or_else(|| malformed("bad nonce"))?;
        let wrapped = B64.decode(&wrap.wrapped_key).map_err(|_| malformed("bad wrapped key"))?;
        let kek = wrap.kdf.derive(passphrase, &salt)?;
        let bytes = Zeroizing::new(
            kek.open(&wrap.kdf.associated_data(&self.key_id), &nonce, &wrapped)
                .map_err(KeyFileError::from)?,
        );
        let bytes: [u8; 32] =
            bytes.as_slice().try_into().map_err(|_| malformed("bad key length"))?;
        Ok(DataKey::from_bytes(bytes))
    }

    /// The same data key wrapped by a new passphrase (with a fresh salt).
    pub fn rewrap(&self, key: &DataKey, new: &Passphrase) -> Result<Self, KeyFileError> {
        let kdf = KdfParams { salt: KdfParams::recommended()?.salt, ..self.passphrase.kdf.clone() };
        Ok(Self { passphrase: wrap(key, &self.key_id, new, kdf)?, ..self.clone() })
    }

    pub fn read(path: &Path) -> Result<Self, KeyFileError> {
        let text = fs::read(path)
            .map_err(|source| KeyFileError::Read { path: path.to_owned(), source })?;
        #[derive(Deserialize)]
        struct Version {
            format: u32,
        }
        let malformed = |e: serde_json::Error| KeyFileError::Malformed {
            path: path.to_owned(),
            reason: e.to_string(),
        };
        let version: Version = serde_json::from_slice(&text).map_err(malformed)?;
        if version.format > FORMAT {
            return Err(KeyFileError::NewerFormat { found: version.format });
        }
        serde_json::from_slice(&text).map_err(malformed)
    }

    /// Replaces the file atomically: written to a fresh temporary file beside it, flushed to disk,
    /// then renamed over it, so a crash leaves either the old or the new wrap, never neither.
    pub fn write(&self, path: &Path) -> Result<(), KeyFileError> {
        let err = |source| KeyFileError::Write { path: path.to_owned(), source };
        let json = serde_json::to_vec_pretty(self).map_err(|e| err(std::io::Error::other(e)))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
        file.write_all(&json).map_err(err)?;
        file.as_file().sync_all().map_err(err)?;
        file.persist(path).map_err(|e| err(e.error))?;
        if let Some(dir) = path.parent() {
            fs::File::open(dir).and_then(|d| d.sync_all()).map_err(err)?;
        }
        Ok(())
    }
}

fn wrap(
    key: &DataKey,
    key_id: &Uuid,
    passphrase: &Passphrase,
    kdf: KdfParams,
) -> Result<PassphraseWrap, KeyFileError> {
    let salt = B64.decode(&kdf.salt).map_err(|_| KeyFileError::Kdf(argon2::Error::SaltTooShort))?;
    let kek = kdf.derive(passphrase, &salt)?;
    let (nonce, wrapped) = kek.seal(&kdf.associated_data(key_id), key.as_bytes())?;
    Ok(PassphraseWrap { kdf, nonce: B64.encode(nonce), wrapped_key: B64.encode(wrapped) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> KdfParams {
        KdfParams { memory_kib: 256, iterations: 1, ..KdfParams::recommended().unwrap() }
    }

    fn pass(text: &str) -> Passphrase {
        Passphrase::new(text.into()).unwrap()
    }

    #[test]
    fn unlock_with_the_right_passphrase_only() {
        let path = Path::new("keys.json");
        let (file, key) = KeyFile::create(&pass("river stones"), cheap()).unwrap();
        let again = file.unlock(&pass("river stones"), path).unwrap();
        assert_eq!(again.as_bytes(), key.as_bytes());
        assert!(matches!(
            file.unlock(&pass("river stone"), path),
            Err(KeyFileError::WrongPassphrase)
        ));
    }

    #[test]
    fn rewrap_keeps_the_data_key_and_drops_the_old_passphrase() {
        let path = Path::new("keys.json");
        let (file, key) = KeyFile::create(&pass("first one"), cheap()).unwrap();
        let changed = file.rewrap(&key, &pass("second one")).unwrap();
        assert_eq!(changed.key_id(), file.key_id());
        assert_eq!(changed.unlock(&pass("second one"), path).unwrap().as_bytes(), key.as_bytes());
        assert!(changed.unlock(&pass("first one"), path).is_err());
    }

    #[test]
    fn weakened_parameters_do_not_open() {
        let path = Path::new("keys.json");
        let (mut file, _) = KeyFile::create(&pass("river stones"), cheap()).unwrap();
        file.passphrase.kdf.iterations = 2;
        assert!(file.unlock(&pass("river stones"), path).is_err());
        file.passphrase.kdf.memory_kib = u32::MAX;
        assert!(matches!(
            file.unlock(&pass("river stones"), path),
            Err(KeyFileError::Malformed { .. })
        ));
    }

    #[test]
    fn files_round_trip_and_newer_formats_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let (file, key) = KeyFile::create(&pass("river stones"), cheap()).unwrap();
        file.write(&path).unwrap();
        let read = KeyFile::read(&path).unwrap();
        assert_eq!(read.unlock(&pass("river stones"), &path).unwrap().as_bytes(), key.as_bytes());
        fs::write(&path, br#"{"format": 9}"#).unwrap();
        assert!(matches!(KeyFile::read(&path), Err(KeyFileError::NewerFormat { found: 9 })));
        fs::write(&path, b"{not json").unwrap();
        assert!(matches!(KeyFile::read(&path), Err(KeyFileError::Malformed { .. })));
    }
}
