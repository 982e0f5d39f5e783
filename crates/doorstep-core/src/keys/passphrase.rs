//! The practitioner's passphrase, held so that it never prints and is wiped after use.

use std::fmt;

use zeroize::Zeroizing;

/// Shorter passphrases are refused when a store is created or a passphrase changed.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

pub struct Passphrase(Zeroizing<String>);

#[derive(Debug, thiserror::Error)]
pub enum PassphraseError {
    #[error("the passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters")]
    TooShort,
    #[error("the passphrase is empty")]
    Empty,
}

impl Passphrase {
    /// Takes any non-empty passphrase, for unlocking an existing store.
    pub fn new(text: String) -> Result<Self, PassphraseError> {
        let text = Zeroizing::new(text);
        if text.is_empty() {
            return Err(PassphraseError::Empty);
        }
        Ok(Self(text))
    }

    /// Takes a passphrase for a new store or a change, which must be long enough.
    pub fn new_for_creation(text: String) -> Result<Self, PassphraseError> {
        let passphrase = Self::new(text)?;
        if passphrase.0.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(PassphraseError::TooShort);
        }
        Ok(passphrase)
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrases_never_print_and_short_ones_are_refused_for_new_stores() {
        let p = Passphrase::new("correct horse".into()).unwrap();
        assert_eq!(format!("{p:?}"), "Passphrase([redacted])");
        assert!(matches!(
            Passphrase::new_for_creation("short".into()),
            Err(PassphraseError::TooShort)
        ));
        assert!(matches!(Passphrase::new(String::new()), Err(PassphraseError::Empty)));
    }
}
