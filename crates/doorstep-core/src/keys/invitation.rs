//! Caseload invitations: how a practitioner hands their caseload's sync key to a colleague without
//! it ever being readable on the way, on the server or by anyone else who sees the invitation.
//!
//! Every account has an invitation key pair, derived from its data key (HKDF, like every other
//! subkey), so it needs no storage of its own and survives a passphrase change or a recovery. The
//! colleague gives their public [`InvitationKey`] (not a secret); the practitioner seals the
//! caseload's key and the new device's credentials to it ([`InvitationKey::seal`], a sealed box
//! of its own purpose), and only the colleague's account can open the result
//! ([`InvitationSecret::open`]). The sealed bytes name the key they were sealed to, so an
//! invitation opened by the wrong account says so instead of "damaged".
//!
//! ```text
//! sealed   recipient key (32) | ephemeral key (32) | nonce (24) | XChaCha20-Poly1305 ciphertext
//! ```

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::DataKey;
use super::cipher::{NONCE_LEN, SealError};
use super::sealed_box::{self, BoxError, SealedBox};

const PURPOSE: &[u8] = b"doorstep/v1/caseload-invitation";
const HEADER: usize = 32 + 32 + NONCE_LEN;

#[derive(Debug, thiserror::Error)]
pub enum InvitationError {
    #[error("this invitation was made for another practitioner's key ({to}), not this account's")]
    WrongRecipient { to: InvitationKey },
    #[error("the invitation is damaged or was altered")]
    Damaged,
    #[error("{0} is not a practitioner's invitation key (expected 32 bytes in base64)")]
    BadKey(String),
    #[error("the invitation key is a degenerate point and cannot be used")]
    WeakKey,
    #[error("the operating system's random source failed: {0}")]
    Random(getrandom::Error),
}

impl From<BoxError> for InvitationError {
    fn from(e: BoxError) -> Self {
        match e {
            BoxError::WeakKey => Self::WeakKey,
            BoxError::Seal(SealError::Authentication) => Self::Damaged,
            BoxError::Seal(SealError::Random(e)) => Self::Random(e),
        }
    }
}

/// A practitioner's public invitation key: what a colleague seals a caseload's key to. Public:
/// it prints and parses as base64.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct InvitationKey([u8; 32]);

impl InvitationKey {
    /// Seals `plaintext` so that only this key's account can open it, bound to `aad`.
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, InvitationError> {
        let sealed = sealed_box::seal(
            &self.0,
            PURPOSE,
            |ephemeral| bound(aad, &self.0, ephemeral),
            plaintext,
        )?;
        let mut out = Vec::with_capacity(HEADER + sealed.ciphertext.len());
        out.extend_from_slice(&self.0);
        out.extend_from_slice(&sealed.ephemeral);
        out.extend_from_slice(&sealed.nonce);
        out.extend_from_slice(&sealed.ciphertext);
        Ok(out)
    }
}

impl fmt::Display for InvitationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&B64.encode(self.0))
    }
}

impl fmt::Debug for InvitationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InvitationKey({self})")
    }
}

impl FromStr for InvitationKey {
    type Err = InvitationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        B64.decode(text.trim())
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .map(Self)
            .ok_or_else(|| InvitationError::BadKey(text.chars().take(60).collect()))
    }
}

/// An account's invitation private key. Derived from the data key when needed, zeroized on drop
/// (x25519-dalek's `zeroize` feature, on by default), never printed.
pub struct InvitationSecret(StaticSecret);

impl InvitationSecret {
    pub fn public_key(&self) -> InvitationKey {
        InvitationKey(PublicKey::from(&self.0).to_bytes())
    }

    /// Opens what [`InvitationKey::seal`] sealed to this account's key with the same `aad`.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, InvitationError> {
        if sealed.len() < HEADER {
            return Err(InvitationError::Damaged);
        }
        let (to, rest) = sealed.split_at(32);
        let (ephemeral, rest) = rest.split_at(32);
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let ours = self.public_key();
        if to != ours.0 {
            let mut key = [0u8; 32];
            key.copy_from_slice(to);
            return Err(InvitationError::WrongRecipient { to: InvitationKey(key) });
        }
        let mut parts = SealedBox {
            ephemeral: [0u8; 32],
            nonce: [0u8; NONCE_LEN],
            ciphertext: ciphertext.to_vec(),
        };
        parts.ephemeral.copy_from_slice(ephemeral);
        parts.nonce.copy_from_slice(nonce);
        let aad = bound(aad, &ours.0, &parts.ephemeral);
        Ok(sealed_box::open(&self.0, PURPOSE, &aad, &parts)?)
    }
}

impl fmt::Debug for InvitationSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InvitationSecret([redacted])")
    }
}

impl DataKey {
    /// This account's invitation key pair.
    pub fn invitation_secret(&self) -> InvitationSecret {
        let derived = self.derive(b"doorstep/v1/caseload-invitation-x25519");
        InvitationSecret(StaticSecret::from(*derived.as_bytes()))
    }
}

/// The associated data of an invitation: the caller's, then both public keys.
fn bound(aad: &[u8], recipient: &[u8; 32], ephemeral: &[u8; 32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(aad.len() + 96);
    out.extend_from_slice(b"doorstep invitation v1|");
    out.extend_from_slice(aad);
    out.extend_from_slice(recipient);
    out.extend_from_slice(ephemeral);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_invited_account_opens_an_invitation() {
        let invited = DataKey::from_bytes([1u8; 32]).invitation_secret();
        let other = DataKey::from_bytes([2u8; 32]).invitation_secret();
        let to = invited.public_key();
        assert_eq!(to, DataKey::from_bytes([1u8; 32]).invitation_secret().public_key());
        let sealed = to.seal(b"space 9", b"the caseload key").unwrap();
        assert_eq!(invited.open(b"space 9", &sealed).unwrap().as_slice(), b"the caseload key");
        assert!(matches!(
            other.open(b"space 9", &sealed),
            Err(InvitationError::WrongRecipient { to: named }) if named == to
        ));
        assert!(matches!(invited.open(b"space 8", &sealed), Err(InvitationError::Damaged)));
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(matches!(invited.open(b"space 9", &altered), Err(InvitationError::Damaged)));
        assert!(matches!(invited.open(b"space 9", &sealed[..40]), Err(InvitationError::Damaged)));
    }

    #[test]
    fn keys_print_as_base64_and_secrets_never_print() {
        let secret = DataKey::from_bytes([3u8; 32]).invitation_secret();
        let public = secret.public_key();
        assert_eq!(public.to_string().parse::<InvitationKey>().unwrap(), public);
        assert!(matches!("nope".parse::<InvitationKey>(), Err(InvitationError::BadKey(_))));
        assert_eq!(format!("{secret:?}"), "InvitationSecret([redacted])");
        let weak = InvitationKey([0u8; 32]);
        assert!(matches!(weak.seal(b"", b"x"), Err(InvitationError::WeakKey)));
    }
}
