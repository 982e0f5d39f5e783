//! Device bearer tokens. A token is 32 random bytes, shown to its device once as hex; the
//! server keeps only the SHA-256 of it. Looking a presented token up by its hash needs no
//! constant-time comparison: timing can at most reveal bits of a hash, which do not help anyone
//! find a token that hashes to it.

use std::fmt;

use sha2::{Digest, Sha256};

/// A freshly made token, before it is handed to its device. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// 32 bytes from the operating system's random source.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(Self(hex::encode(bytes)))
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }

    /// The token itself, to send to its device and nowhere else.
    pub fn reveal(self) -> String {
        self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(..)")
    }
}

/// What the server stores and looks tokens up by.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// The hash of a token as presented in a request (whatever its form: a malformed token
    /// simply matches nothing).
    pub fn of(presented: &str) -> Self {
        Self(Sha256::digest(presented.as_bytes()).into())
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHash(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_hash_to_what_is_presented_and_never_print() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), "Token(..)");
        let hash = a.hash();
        let text = a.reveal();
        assert_eq!(text.len(), 64);
        assert!(text.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(TokenHash::of(&text), hash);
        assert_ne!(TokenHash::of(&text.to_uppercase()), hash);
        assert!(!format!("{hash:?}").contains(&hex::encode(hash.0)[..8]));
    }
}
