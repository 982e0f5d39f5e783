//! The keys of sync envelopes: a wrapping key derived from the data key, and a random content
//! key per record.
//!
//! Why a derived wrapping key rather than the data key itself: the data key is the root of the
//! hierarchy and is never used to encrypt anything directly; every use gets its own HKDF subkey
//! (the store's, the sealed files', and this one), so the purposes cannot be confused and a
//! ciphertext made for one can never be opened as another. The wrapping key only ever encrypts
//! 32-byte content keys, never record text.
//!
//! Why a content key per record: rotating or sharing the wrapping key (a caseload's key, shared
//! with the practitioners invited into it) re-wraps 32-byte keys, never re-encrypts records, and a record's key can
//! be handed on alone. The wrapping key has a public id (an HKDF output of its own, revealing
//! nothing of the key), stored beside each wrapped key, so a device holding another key is told
//! "wrong key" rather than "damaged".
//!
//! Sealed output is the 24-byte random nonce followed by the XChaCha20-Poly1305 ciphertext.

use std::fmt;

use zeroize::Zeroizing;

use super::DataKey;
use super::cipher::{NONCE_LEN, SealError, SecretKey, TAG_LEN};

/// Bytes a sealed message adds to its plaintext: the nonce and the authentication tag.
pub const SEALED_OVERHEAD: usize = NONCE_LEN + TAG_LEN;

/// The length of a wrapped content key: nonce, the 32-byte key, tag.
pub const WRAPPED_CONTENT_KEY_LEN: usize = 32 + SEALED_OVERHEAD;

/// Names a [`SyncKey`] without revealing it. Not secret: it travels beside every wrapped key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SyncKeyId([u8; 16]);

impl SyncKeyId {
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Display for SyncKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in &self.0[..8] {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for SyncKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SyncKeyId({self})")
    }
}

/// The key that wraps the content keys of sync envelopes.
#[derive(Clone)]
pub struct SyncKey {
    key: SecretKey,
    id: SyncKeyId,
}

impl DataKey {
    /// The wrapping key of this account's sync envelopes.
    pub fn sync_key(&self) -> SyncKey {
        let key = self.derive(b"doorstep/v1/sync-key-wrapping");
        let id_bytes = self.derive(b"doorstep/v1/sync-key-id");
        let mut id = [0u8; 16];
        id.copy_from_slice(&id_bytes.as_bytes()[..16]);
        SyncKey { key, id: SyncKeyId(id) }
    }
}

/// The format byte of an exported sync key.
const EXPORT_FORMAT: u8 = 1;
const EXPORT_LEN: usize = 1 + 16 + 32;

impl SyncKey {
    pub fn id(&self) -> SyncKeyId {
        self.id
    }

    /// The key and its id as bytes (format, id, key), to keep in the encrypted store or to seal
    /// to an invited practitioner; never to show or send in the clear.
    pub fn export(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(EXPORT_LEN));
        out.push(EXPORT_FORMAT);
        out.extend_from_slice(&self.id.0);
        out.extend_from_slice(self.key.as_bytes());
        out
    }

    /// A key [`SyncKey::export`] wrote; `None` for anything else.
    pub fn import(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != EXPORT_LEN || bytes[0] != EXPORT_FORMAT {
            return None;
        }
        let id: [u8; 16] = bytes[1..17].try_into().ok()?;
        let key: Zeroizing<[u8; 32]> = Zeroizing::new(bytes[17..].try_into().ok()?);
        Some(Self { key: SecretKey::from_bytes(*key), id: SyncKeyId(id) })
    }

    /// Wraps `content` bound to `aad`; returns nonce and ciphertext,
    /// [`WRAPPED_CONTENT_KEY_LEN`] bytes.
    pub fn wrap(&self, content: &ContentKey, aad: &[u8]) -> Result<Vec<u8>, SealError> {
        let (nonce, ciphertext) = self.key.seal(aad, content.0.as_bytes())?;
        Ok(join(&nonce, &ciphertext))
    }

    /// Unwraps what [`SyncKey::wrap`] produced with the same `aad`. Anything altered, or wrapped
    /// by another key, fails authentication.
    pub fn unwrap(&self, wrapped: &[u8], aad: &[u8]) -> Result<ContentKey, SealError> {
        let (nonce, ciphertext) = split(wrapped)?;
        let bytes = Zeroizing::new(self.key.open(aad, &nonce, ciphertext)?);
        let bytes: [u8; 32] = bytes.as_slice().try_into().map_err(|_| SealError::Authentication)?;
        Ok(ContentKey(SecretKey::from_bytes(bytes)))
    }
}

impl fmt::Debug for SyncKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SyncKey({}, [redacted])", self.id)
    }
}

/// One record's random XChaCha20-Poly1305 key.
#[derive(Debug)]
pub struct ContentKey(SecretKey);

impl ContentKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, SealError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(SealError::Random)?;
        Ok(Self(SecretKey::from_bytes(*bytes)))
    }

    /// Encrypts `plaintext` bound to `aad`; returns nonce and ciphertext.
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
        let (nonce, ciphertext) = self.0.seal(aad, plaintext)?;
        Ok(join(&nonce, &ciphertext))
    }

    /// Decrypts and authenticates what [`ContentKey::seal`] produced with the same `aad`.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let (nonce, ciphertext) = split(sealed)?;
        self.0.open(aad, &nonce, ciphertext).map(Zeroizing::new)
    }
}

fn join(nonce: &[u8; NONCE_LEN], ciphertext: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
    out.extend_from_slice(nonce);
    out.extend_from_slice(ciphertext);
    out
}

/// A message too short to hold a nonce and a tag cannot be authentic.
fn split(sealed: &[u8]) -> Result<([u8; NONCE_LEN], &[u8]), SealError> {
    if sealed.len() < SEALED_OVERHEAD {
        return Err(SealError::Authentication);
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SealError::Authentication)?;
    Ok((nonce, ciphertext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_keys_are_stable_named_and_never_print() {
        let data = DataKey::from_bytes([5u8; 32]);
        let key = data.sync_key();
        assert_eq!(key.id(), DataKey::from_bytes([5u8; 32]).sync_key().id());
        assert_ne!(key.id(), DataKey::from_bytes([6u8; 32]).sync_key().id());
        assert_ne!(key.key.as_bytes(), data.file_key().as_bytes());
        assert_ne!(&key.key.as_bytes()[..16], key.id().as_bytes());
        let printed = format!("{key:?}");
        assert!(printed.contains("[redacted]") && !printed.contains("05, 05"));
        let content = ContentKey::generate().unwrap();
        assert_eq!(format!("{content:?}"), "ContentKey(SecretKey([redacted]))");
    }

    #[test]
    fn an_exported_key_imports_as_the_same_key_and_nothing_else_imports() {
        let key = DataKey::from_bytes([5u8; 32]).sync_key();
        let again = SyncKey::import(&key.export()).unwrap();
        assert_eq!(again.id(), key.id());
        assert_eq!(again.key.as_bytes(), key.key.as_bytes());
        let mut newer = key.export().to_vec();
        newer[0] = 2;
        assert!(SyncKey::import(&newer).is_none());
        assert!(SyncKey::import(&newer[..20]).is_none());
    }

    #[test]
    fn content_keys_wrap_and_seal_bound_to_their_associated_data() {
        let key = DataKey::from_bytes([5u8; 32]).sync_key();
        let content = ContentKey::generate().unwrap();
        let wrapped = key.wrap(&content, b"record 1").unwrap();
        assert_eq!(wrapped.len(), WRAPPED_CONTENT_KEY_LEN);
        let unwrapped = key.unwrap(&wrapped, b"record 1").unwrap();
        assert!(key.unwrap(&wrapped, b"record 2").is_err());
        assert!(DataKey::from_bytes([6u8; 32]).sync_key().unwrap(&wrapped, b"record 1").is_err());
        assert!(key.unwrap(&wrapped[..10], b"record 1").is_err());

        let sealed = content.seal(b"meta", b"she said").unwrap();
        assert_eq!(sealed.len(), 8 + SEALED_OVERHEAD);
        assert_eq!(unwrapped.open(b"meta", &sealed).unwrap().as_slice(), b"she said");
        assert!(unwrapped.open(b"other", &sealed).is_err());
        assert!(unwrapped.open(b"meta", &sealed[..SEALED_OVERHEAD - 1]).is_err());
    }
}
