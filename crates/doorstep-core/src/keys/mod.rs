//! The one key hierarchy.
//!
//! passphrase → Argon2id → key-encryption key → unwraps the random [`DataKey`] (stored wrapped in
//! the [`KeyFile`] beside the database) → HKDF subkeys: the SQLCipher key of the store and the
//! key that seals files, and the key that wraps sync envelopes' per-record content keys
//! ([`SyncKey`]). The data key is also sealed to the organisation's recovery key
//! ([`OrgPublicKey`]), beside the passphrase wrap in the same key file; the organisation keeps
//! its key pair in two files of its own ([`OrgSecretKey::read_file`]). A passphrase change
//! re-wraps the data key and nothing else. A practitioner invited into a colleague's caseload
//! receives that caseload's sync key sealed to their account's invitation key
//! ([`InvitationKey`]), itself derived from the data key.
//!
//! Key material lives only in types that zeroize on drop, print as `[redacted]` and are not
//! `Serialize`.

mod cipher;
mod invitation;
mod keyfile;
mod org_file;
mod passphrase;
mod recovery;
mod sealed_box;
mod sync;

use std::fmt;

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

pub(crate) use cipher::{NONCE_LEN, TAG_LEN};
pub use cipher::{SealError, SecretKey};
pub use invitation::{InvitationError, InvitationKey, InvitationSecret};
pub use keyfile::{KdfParams, KeyFile, KeyFileError};
pub use org_file::OrgKeyFileError;
pub use passphrase::{MIN_PASSPHRASE_CHARS, Passphrase, PassphraseError};
pub use recovery::{OrgPublicKey, OrgSecretKey, RecoveryError, RecoveryWrap};
pub use sync::{ContentKey, SEALED_OVERHEAD, SyncKey, SyncKeyId, WRAPPED_CONTENT_KEY_LEN};

/// The account's random root secret. Everything at rest is protected by keys derived from it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey([u8; 32]);

impl DataKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, KeyFileError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(KeyFileError::Random)?;
        Ok(Self(bytes))
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn derive(&self, purpose: &[u8]) -> SecretKey {
        let mut out = [0u8; 32];
        // 32 bytes is far below HKDF-SHA256's 8160-byte limit, so expand cannot fail.
        let expanded = Hkdf::<Sha256>::new(None, &self.0).expand(purpose, &mut out);
        debug_assert!(expanded.is_ok());
        let key = SecretKey::from_bytes(out);
        out.zeroize();
        key
    }

    /// The raw key SQLCipher encrypts the store with.
    pub fn database_key(&self) -> DatabaseKey {
        DatabaseKey(self.derive(b"doorstep/v1/sqlcipher"))
    }

    /// The key that seals audio and other files kept beside the store.
    pub fn file_key(&self) -> SecretKey {
        self.derive(b"doorstep/v1/sealed-files")
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey([redacted])")
    }
}

/// SQLCipher's raw 256-bit key.
#[derive(Debug)]
pub struct DatabaseKey(SecretKey);

impl DatabaseKey {
    /// The `PRAGMA key` argument: a raw key in SQLCipher's blob-literal form, which skips
    /// SQLCipher's own PBKDF2 (the passphrase was already stretched with Argon2id).
    pub(crate) fn pragma_value(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::with_capacity(67));
        text.push_str("x'");
        for byte in self.0.as_bytes() {
            text.push(hex_digit(byte >> 4));
            text.push(hex_digit(byte & 0x0f));
        }
        text.push('\'');
        text
    }
}

fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_print() {
        let key = DataKey::from_bytes([7u8; 32]);
        assert_eq!(format!("{key:?}"), "DataKey([redacted])");
        let db = key.database_key();
        assert!(!format!("{db:?}").contains("07"));
        assert_eq!(format!("{:?}", key.file_key()), "SecretKey([redacted])");
    }

    #[test]
    fn subkeys_differ_by_purpose_and_are_stable() {
        let key = DataKey::from_bytes([1u8; 32]);
        assert_ne!(key.file_key().as_bytes(), key.database_key().0.as_bytes());
        assert_eq!(key.file_key().as_bytes(), DataKey::from_bytes([1u8; 32]).file_key().as_bytes());
        let pragma = key.database_key().pragma_value();
        assert_eq!(pragma.len(), 67);
        assert!(pragma.starts_with("x'") && pragma.ends_with('\''));
    }
}
