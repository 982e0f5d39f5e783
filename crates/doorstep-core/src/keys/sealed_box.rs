//! A sealed box: bytes sealed to an X25519 public key, so that only the holder of the matching
//! private key can open them, and not even the sender once it is made.
//!
//! Two things need one: the organisation's recovery wrap of a data key ([`super::recovery`]) and
//! a caseload's key sealed to the practitioner invited to share it ([`super::invitation`]). An
//! ephemeral X25519 key agrees a secret with the recipient's public key; HKDF-SHA256, salted with
//! both public keys and given a purpose string of its own for each use (so a box made for one use
//! never opens as the other), turns it into a one-time XChaCha20-Poly1305 key. The ephemeral
//! private key is built from `getrandom` bytes (x25519-dalek's own `random()` panics when the OS
//! source fails) and dropped, zeroized, as soon as the box is sealed.

use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::cipher::{NONCE_LEN, SealError, SecretKey};

/// A sealed box's parts: the ephemeral public key, the nonce and the ciphertext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SealedBox {
    pub ephemeral: [u8; 32],
    pub nonce: [u8; NONCE_LEN],
    pub ciphertext: Vec<u8>,
}

#[derive(Debug)]
pub(super) enum BoxError {
    /// The public key is a degenerate point: the "shared" secret would be known to everyone.
    WeakKey,
    Seal(SealError),
}

impl From<SealError> for BoxError {
    fn from(e: SealError) -> Self {
        Self::Seal(e)
    }
}

/// Seals `plaintext` to `recipient` for `purpose`; `aad` is given the ephemeral public key and
/// returns the associated data to bind.
pub(super) fn seal(
    recipient: &[u8; 32],
    purpose: &[u8],
    aad: impl FnOnce(&[u8; 32]) -> Vec<u8>,
    plaintext: &[u8],
) -> Result<SealedBox, BoxError> {
    let mut secret = Zeroizing::new([0u8; 32]);
    getrandom::fill(secret.as_mut()).map_err(|e| BoxError::Seal(SealError::Random(e)))?;
    let ephemeral_secret = StaticSecret::from(*secret);
    let ephemeral = PublicKey::from(&ephemeral_secret).to_bytes();
    let sealer =
        box_key(&ephemeral_secret, &PublicKey::from(*recipient), &ephemeral, recipient, purpose)?;
    drop(ephemeral_secret);
    let (nonce, ciphertext) = sealer.seal(&aad(&ephemeral), plaintext)?;
    Ok(SealedBox { ephemeral, nonce, ciphertext })
}

/// Opens a box sealed by [`seal`] to the public key of `secret`, with the same purpose and
/// associated data.
pub(super) fn open(
    secret: &StaticSecret,
    purpose: &[u8],
    aad: &[u8],
    sealed: &SealedBox,
) -> Result<Zeroizing<Vec<u8>>, BoxError> {
    let recipient = PublicKey::from(secret).to_bytes();
    let ephemeral = PublicKey::from(sealed.ephemeral);
    let opener = box_key(secret, &ephemeral, &sealed.ephemeral, &recipient, purpose)?;
    Ok(Zeroizing::new(opener.open(aad, &sealed.nonce, &sealed.ciphertext)?))
}

/// The one-time key of a box, from the X25519 shared secret; refuses a non-contributory exchange
/// (a low-order public key).
fn box_key(
    ours: &StaticSecret,
    theirs: &PublicKey,
    ephemeral: &[u8; 32],
    recipient: &[u8; 32],
    purpose: &[u8],
) -> Result<SecretKey, BoxError> {
    let shared = ours.diffie_hellman(theirs);
    if !shared.was_contributory() {
        return Err(BoxError::WeakKey);
    }
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral);
    salt[32..].copy_from_slice(recipient);
    let mut out = Zeroizing::new([0u8; 32]);
    // 32 bytes is far below HKDF-SHA256's output limit, so expand cannot fail.
    let expanded =
        Hkdf::<Sha256>::new(Some(&salt), shared.as_bytes()).expand(purpose, out.as_mut());
    debug_assert!(expanded.is_ok());
    Ok(SecretKey::from_bytes(*out))
}
