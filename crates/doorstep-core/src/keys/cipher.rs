//! XChaCha20-Poly1305 sealing with a random nonce, the one AEAD used for everything we encrypt
//! outside SQLCipher.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, ZeroizeOnDrop};

pub(crate) const NONCE_LEN: usize = 24;
pub(crate) const TAG_LEN: usize = 16;

/// A 256-bit symmetric key.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; 32]);

/// Sealing or opening failed.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the operating system's random source failed: {0}")]
    Random(getrandom::Error),
    #[error("decryption failed: the key is wrong or the data was altered")]
    Authentication,
}

impl SecretKey {
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.0.into())
    }

    /// Encrypts `plaintext` bound to `aad`; returns the fresh random nonce and the ciphertext.
    pub(crate) fn seal(
        &self,
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<([u8; NONCE_LEN], Vec<u8>), SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(SealError::Random)?;
        let ciphertext = self
            .cipher()
            .encrypt(&XNonce::from(nonce), Payload { msg: plaintext, aad })
            .map_err(|_| SealError::Authentication)?;
        Ok((nonce, ciphertext))
    }

    /// Decrypts and authenticates what [`SecretKey::seal`] produced with the same `aad`.
    pub(crate) fn open(
        &self,
        aad: &[u8],
        nonce: &[u8; NONCE_LEN],
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, SealError> {
        self.cipher()
            .decrypt(&XNonce::from(*nonce), Payload { msg: ciphertext, aad })
            .map_err(|_| SealError::Authentication)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealing_binds_key_and_associated_data() {
        let key = SecretKey::from_bytes([3u8; 32]);
        let (nonce, ct) = key.seal(b"note 1", b"she said").unwrap();
        assert_eq!(ct.len(), 8 + TAG_LEN);
        assert_eq!(key.open(b"note 1", &nonce, &ct).unwrap(), b"she said");
        assert!(key.open(b"note 2", &nonce, &ct).is_err());
        let other = SecretKey::from_bytes([4u8; 32]);
        assert!(other.open(b"note 1", &nonce, &ct).is_err());
        let mut tampered = ct;
        tampered[0] ^= 1;
        assert!(key.open(b"note 1", &nonce, &tampered).is_err());
    }
}
