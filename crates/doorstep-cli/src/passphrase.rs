//! Getting the passphrase: from the environment for scripts, else from the terminal without echo.
//! Every copy is held in `Zeroizing` so it is wiped when dropped.

use std::ffi::OsString;
use std::io::IsTerminal;

use anyhow::{Context, bail};
use doorstep_core::keys::Passphrase;
use zeroize::Zeroizing;

pub const PASSPHRASE_ENV: &str = "DOORSTEP_PASSPHRASE";
pub const NEW_PASSPHRASE_ENV: &str = "DOORSTEP_NEW_PASSPHRASE";

/// A secret from one environment variable.
pub enum EnvSecret {
    Unset,
    Set(Zeroizing<String>),
    NotUtf8,
}

impl EnvSecret {
    pub fn from_env(value: Option<OsString>) -> Self {
        match value.map(OsString::into_string) {
            None => Self::Unset,
            Some(Ok(text)) => Self::Set(Zeroizing::new(text)),
            Some(Err(_)) => Self::NotUtf8,
        }
    }

    pub fn is_set(&self) -> bool {
        !matches!(self, Self::Unset)
    }

    /// The value, `None` when unset.
    fn get(&self, var: &str) -> anyhow::Result<Option<Zeroizing<String>>> {
        match self {
            Self::Unset => Ok(None),
            Self::Set(text) => Ok(Some(text.clone())),
            Self::NotUtf8 => bail!("{var} is not valid UTF-8"),
        }
    }
}

/// The process environment's passphrase variables, read once in `main`.
pub struct PassphraseSource {
    pub current: EnvSecret,
    pub new: EnvSecret,
}

impl std::fmt::Debug for PassphraseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PassphraseSource([redacted])")
    }
}

fn prompt(question: &str) -> anyhow::Result<Zeroizing<String>> {
    if !std::io::stdin().is_terminal() {
        bail!("no passphrase: set {PASSPHRASE_ENV} or run doorstep in a terminal");
    }
    rpassword::prompt_password(question)
        .map(Zeroizing::new)
        .context("reading the passphrase from the terminal")
}

/// Moves the text out of its wrapper into a `Passphrase`, which wipes it in turn.
fn take(mut text: Zeroizing<String>) -> String {
    std::mem::take(&mut *text)
}

impl PassphraseSource {
    /// The passphrase that unlocks the store.
    pub fn unlock(&self) -> anyhow::Result<Passphrase> {
        let text = match self.current.get(PASSPHRASE_ENV)? {
            Some(text) => text,
            None => prompt("Passphrase: ")?,
        };
        Ok(Passphrase::new(take(text))?)
    }

    /// A passphrase being chosen: from the variable if set, else asked for twice.
    fn choose(secret: &EnvSecret, var: &str, question: &str) -> anyhow::Result<Passphrase> {
        let text = match secret.get(var)? {
            Some(text) => text,
            None => {
                let first = prompt(question)?;
                if *prompt("Repeat it: ")? != *first {
                    bail!("the two passphrases differ; nothing was changed");
                }
                first
            }
        };
        Ok(Passphrase::new_for_creation(take(text))?)
    }

    /// The passphrase for a new store.
    pub fn for_new_store(&self) -> anyhow::Result<Passphrase> {
        Self::choose(&self.current, PASSPHRASE_ENV, "Choose a passphrase: ")
    }

    /// The replacement in a passphrase change.
    pub fn replacement(&self) -> anyhow::Result<Passphrase> {
        Self::choose(&self.new, NEW_PASSPHRASE_ENV, "New passphrase: ")
    }
}
