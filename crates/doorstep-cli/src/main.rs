//! `doorstep`: the headless face of every Doorstep capability.
//!
//! Exit codes: 0 success, 2 a usage error (reported by clap), 1 anything else, with a message
//! naming the problem.

mod cli;
mod commands;
mod output;
mod passphrase;
mod subtitles;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::passphrase::{EnvSecret, NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, PassphraseSource};

fn default_data_dir() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("doorstep"));
    }
    match std::env::var_os("HOME") {
        Some(home) => Ok(PathBuf::from(home).join(".local/share/doorstep")),
        None => anyhow::bail!("no data directory: give --data-dir or set DOORSTEP_DATA_DIR"),
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = match cli.data_dir.clone() {
        Some(dir) => dir,
        None => default_data_dir()?,
    };
    let context = commands::Context {
        models_dir: cli.models_dir.clone().unwrap_or_else(|| data_dir.join("models")),
        data_dir: doorstep_core::DataDir::new(data_dir),
        out: output::Output { json: cli.json },
        passphrases: PassphraseSource {
            current: EnvSecret::from_env(std::env::var_os(PASSPHRASE_ENV)),
            new: EnvSecret::from_env(std::env::var_os(NEW_PASSPHRASE_ENV)),
        },
    };
    commands::run(cli.command, &context)
}

/// The error and its causes on one line, skipping a cause whose words the message already holds.
fn describe(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let cause = cause.to_string();
        if text.contains(&cause) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause);
    }
    text
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let broken_pipe = error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe);
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("doorstep: error: {}", describe(&error));
            ExitCode::FAILURE
        }
    }
}
