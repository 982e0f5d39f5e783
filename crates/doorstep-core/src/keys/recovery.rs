//! The organisation's recovery wrap: the data key sealed to the organisation's X25519 public key,
//! so a forgotten passphrase does not lose a practitioner's records.
//!
//! Only the organisation's private key, kept offline, opens it. The wrap is a sealed box
//! ([`super::sealed_box`]) to the organisation's public key, with the key file's key id and both
//! public keys as associated data; the device itself cannot open its own wrap.
//!
//! The wrap is kept in the [`KeyFile`], as an optional field: key files written before it existed
//! still load, and a passphrase change keeps it (the data key does not change).

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::cipher::{NONCE_LEN, SealError};
use super::sealed_box::{self, BoxError, SealedBox};
use super::{DataKey, KeyFile};

const WRAP_INFO: &[u8] = b"doorstep/v1/org-recovery-wrap";

#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    #[error("this key file has no organisation recovery wrap (it was made before enrolment)")]
    NoRecoveryWrap,
    #[error(
        "the key file was wrapped for organisation key {wrapped_for}, not for the key given ({given})"
    )]
    WrongOrgKey { wrapped_for: OrgPublicKey, given: OrgPublicKey },
    #[error("the organisation recovery wrap is damaged or was altered")]
    Damaged,
    #[error("the organisation recovery wrap is malformed: {0}")]
    Malformed(&'static str),
    #[error("{0} is not an organisation public key (expected 32 bytes in base64)")]
    BadPublicKey(String),
    #[error("the organisation public key is a degenerate point and cannot be used")]
    WeakPublicKey,
    #[error("the operating system's random source failed: {0}")]
    Random(getrandom::Error),
}

impl From<BoxError> for RecoveryError {
    fn from(e: BoxError) -> Self {
        match e {
            BoxError::WeakKey => Self::WeakPublicKey,
            BoxError::Seal(SealError::Authentication) => Self::Damaged,
            BoxError::Seal(SealError::Random(e)) => Self::Random(e),
        }
    }
}

/// The organisation's recovery public key, set at enrolment. Public: it prints and serializes
/// (as base64).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrgPublicKey([u8; 32]);

impl OrgPublicKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for OrgPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&B64.encode(self.0))
    }
}

impl fmt::Debug for OrgPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgPublicKey({self})")
    }
}

impl FromStr for OrgPublicKey {
    type Err = RecoveryError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        B64.decode(text.trim())
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .map(Self)
            .ok_or_else(|| RecoveryError::BadPublicKey(text.chars().take(60).collect()))
    }
}

impl Serialize for OrgPublicKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OrgPublicKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// The organisation's recovery private key. Kept offline by the organisation; never on a
/// practitioner's device except during a recovery. Zeroized on drop, never printed.
pub struct OrgSecretKey(StaticSecret);

impl OrgSecretKey {
    pub fn generate() -> Result<Self, RecoveryError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(RecoveryError::Random)?;
        Ok(Self(StaticSecret::from(*bytes)))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(StaticSecret::from(bytes))
    }

    /// The raw key, for writing the organisation's key file.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    pub fn public_key(&self) -> OrgPublicKey {
        OrgPublicKey(PublicKey::from(&self.0).to_bytes())
    }
}

impl fmt::Debug for OrgSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OrgSecretKey([redacted])")
    }
}

/// The data key sealed to the organisation's public key, as stored in the key file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecoveryWrap {
    org_key: OrgPublicKey,
    ephemeral: String,
    nonce: String,
    wrapped_key: String,
}

fn associated_data(key_id: &Uuid, ephemeral: &[u8; 32], org: &OrgPublicKey) -> Vec<u8> {
    let mut aad = format!("doorstep recovery v1|{key_id}|").into_bytes();
    aad.extend_from_slice(ephemeral);
    aad.extend_from_slice(&org.0);
    aad
}

impl KeyFile {
    /// This key file with `key` (the data key it unlocks to) also sealed to the organisation's
    /// recovery key `org`, replacing any earlier recovery wrap.
    pub fn with_recovery(&self, key: &DataKey, org: &OrgPublicKey) -> Result<Self, RecoveryError> {
        let key_id = self.key_id();
        let sealed = sealed_box::seal(
            &org.0,
            WRAP_INFO,
            |ephemeral| associated_data(&key_id, ephemeral, org),
            key.as_bytes(),
        )?;
        let wrap = RecoveryWrap {
            org_key: *org,
            ephemeral: B64.encode(sealed.ephemeral),
            nonce: B64.encode(sealed.nonce),
            wrapped_key: B64.encode(sealed.ciphertext),
        };
        let mut file = self.clone();
        file.recovery = Some(wrap);
        Ok(file)
    }

    /// The organisation key this file's data key is recoverable with, if any.
    pub fn recovery_key(&self) -> Option<&OrgPublicKey> {
        self.recovery.as_ref().map(|wrap| &wrap.org_key)
    }

    /// Recovers the data key with the organisation's private key, for a practitioner who has
    /// forgotten the passphrase; the caller then re-wraps it with a new one ([`KeyFile::rewrap`]).
    pub fn recover(&self, org: &OrgSecretKey) -> Result<DataKey, RecoveryError> {
        let wrap = self.recovery.as_ref().ok_or(RecoveryError::NoRecoveryWrap)?;
        let given = org.public_key();
        if given != wrap.org_key {
            return Err(RecoveryError::WrongOrgKey { wrapped_for: wrap.org_key, given });
        }
        let ephemeral: [u8; 32] = B64
            .decode(&wrap.ephemeral)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(RecoveryError::Malformed("bad ephemeral key"))?;
        let nonce: [u8; NONCE_LEN] = B64
            .decode(&wrap.nonce)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(RecoveryError::Malformed("bad nonce"))?;
        let wrapped = B64
            .decode(&wrap.wrapped_key)
            .map_err(|_| RecoveryError::Malformed("bad wrapped key"))?;
        let aad = associated_data(&self.key_id(), &ephemeral, &given);
        let sealed = SealedBox { ephemeral, nonce, ciphertext: wrapped };
        let bytes = sealed_box::open(&org.0, WRAP_INFO, &aad, &sealed)?;
        let bytes: [u8; 32] =
            bytes.as_slice().try_into().map_err(|_| RecoveryError::Malformed("bad key length"))?;
        Ok(DataKey::from_bytes(bytes))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::keys::{KdfParams, Passphrase};

    fn cheap() -> KdfParams {
        KdfParams { memory_kib: 256, iterations: 1, ..KdfParams::recommended().unwrap() }
    }

    fn pass(text: &str) -> Passphrase {
        Passphrase::new(text.into()).unwrap()
    }

    #[test]
    fn the_organisation_key_recovers_the_data_key_after_a_forgotten_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let org = OrgSecretKey::generate().unwrap();
        let (file, key) = KeyFile::create(&pass("river stones"), cheap()).unwrap();
        assert!(matches!(file.recover(&org), Err(RecoveryError::NoRecoveryWrap)));
        let file = file.with_recovery(&key, &org.public_key()).unwrap();
        file.write(&path).unwrap();

        let read = KeyFile::read(&path).unwrap();
        assert_eq!(read.recovery_key(), Some(&org.public_key()));
        let recovered = read.recover(&org).unwrap();
        assert_eq!(recovered.as_bytes(), key.as_bytes());
        // A new passphrase: the recovery wrap survives it.
        let renewed = read.rewrap(&recovered, &pass("new passphrase")).unwrap();
        assert_eq!(
            renewed.unlock(&pass("new passphrase"), &path).unwrap().as_bytes(),
            key.as_bytes()
        );
        assert_eq!(renewed.recover(&org).unwrap().as_bytes(), key.as_bytes());
    }

    #[test]
    fn another_organisation_key_or_an_altered_wrap_does_not_open() {
        let org = OrgSecretKey::generate().unwrap();
        let (file, key) = KeyFile::create(&pass("river stones"), cheap()).unwrap();
        let file = file.with_recovery(&key, &org.public_key()).unwrap();
        let other = OrgSecretKey::generate().unwrap();
        assert!(matches!(file.recover(&other), Err(RecoveryError::WrongOrgKey { .. })));

        let mut altered = file.clone();
        if let Some(wrap) = altered.recovery.as_mut() {
            let mut bytes = B64.decode(&wrap.wrapped_key).unwrap();
            bytes[0] ^= 1;
            wrap.wrapped_key = B64.encode(bytes);
        }
        assert!(matches!(altered.recover(&org), Err(RecoveryError::Damaged)));
        // The wrap is bound to the key file's key id.
        let (other_file, _) = KeyFile::create(&pass("river stones"), cheap()).unwrap();
        let mut moved = other_file;
        moved.recovery = file.recovery;
        assert!(matches!(moved.recover(&org), Err(RecoveryError::Damaged)));
    }

    #[test]
    fn degenerate_public_keys_are_refused() {
        let (file, key) = KeyFile::create(&pass("river stones"), cheap()).unwrap();
        let zero = OrgPublicKey::from_bytes([0u8; 32]);
        assert!(matches!(file.with_recovery(&key, &zero), Err(RecoveryError::WeakPublicKey)));
    }

    #[test]
    fn key_files_without_a_recovery_wrap_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let (file, key) = KeyFile::create(&pass("river stones"), cheap()).unwrap();
        file.write(&path).unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert!(json.get("recovery").is_none(), "an unenrolled file keeps the older layout");
        let read = KeyFile::read(&path).unwrap();
        assert!(read.recovery_key().is_none());
        assert_eq!(
            read.unlock(&pass("river stones"), Path::new("k")).unwrap().as_bytes(),
            key.as_bytes()
        );
    }

    #[test]
    fn public_keys_round_trip_as_base64_and_secrets_never_print() {
        let org = OrgSecretKey::generate().unwrap();
        let public = org.public_key();
        assert_eq!(public.to_string().parse::<OrgPublicKey>().unwrap(), public);
        assert!(matches!("not a key".parse::<OrgPublicKey>(), Err(RecoveryError::BadPublicKey(_))));
        assert_eq!(format!("{org:?}"), "OrgSecretKey([redacted])");
        assert_eq!(OrgSecretKey::from_bytes(*org.to_bytes()).public_key(), public);
    }
}
