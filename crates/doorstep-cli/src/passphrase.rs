//! Getting the passphrase: from the environment for scripts, else from the terminal without echo.

use std::ffi::OsString;
use std::io::IsTerminal;

use anyhow::{Context, bail};
use doorstep_core::keys::Passphrase;

pub const PASSPHRASE_ENV: &str = "DOORSTEP_PASSPHRASE";
pub const NEW_PASSPHRASE_ENV: &str = "DOORSTEP_NEW_PASSPHRASE";

/// The process environment's passphrase variables, read once in `main`.
#[derive(Default)]
pub struct PassphraseSource {
    pub current: Option<OsString>,
    pub new: Option<OsString>,
}

impl std::fmt::Debug for PassphraseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PassphraseSource([redacted])")
    }
}

fn from_env(value: &OsString, var: &str) -> anyhow::Result<String> {
    value
        .clone()
        .into_string()
        .map_err(|_| anyhow::anyhow!("{var} is not valid UTF-8"))
}

fn prompt(question: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!("no passphrase: set {PASSPHRASE_ENV} or run doorstep in a terminal");
    }
    rpassword::prompt_password(question).context("reading the passphrase from the terminal")
}

impl PassphraseSource {
    /// The passphrase that unlocks the store.
    pub fn unlock(&self) -> anyhow::Result<Passphrase> {
        let text = match &self.current {
            Some(value) => from_env(value, PASSPHRASE_ENV)?,
            None => prompt("Passphrase: ")?,
        };
        Ok(Passphrase::new(text)?)
    }

    /// A passphrase being chosen: from `var` if set, else asked for twice.
    fn choose(value: Option<&OsString>, var: &str, question: &str) -> anyhow::Result<Passphrase> {
        let text = match value {
            Some(value) => from_env(value, var)?,
            None => {
                let first = prompt(question)?;
                if prompt("Repeat it: ")? != first {
                    bail!("the two passphrases differ; nothing was changed");
                }
                first
            }
        };
        Ok(Passphrase::new_for_creation(text)?)
    }

    /// The passphrase for a new store.
    pub fn for_new_store(&self) -> anyhow::Result<Passphrase> {
        Self::choose(
            self.current.as_ref(),
            PASSPHRASE_ENV,
            "Choose a passphrase: ",
        )
    }

    /// The replacement in a passphrase change.
    pub fn replacement(&self) -> anyhow::Result<Passphrase> {
        Self::choose(self.new.as_ref(), NEW_PASSPHRASE_ENV, "New passphrase: ")
    }
}
