//! The commands about a practitioner's account beyond one store: creating it recoverable,
//! syncing, the account's devices, sharing a caseload, the organisation's recovery key, recovery
//! and wiping.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use doorstep_sync::client::Retry;

/// The organisation's public recovery key file, as a device takes it.
const RECOVERY_KEY_HELP: &str = "The organisation's recovery PUBLIC key file (made once by the \
organisation with `doorstep org-key new`). The store's data key is also sealed to it, so if the \
passphrase is forgotten the organisation can recover every record with `doorstep recover`; no \
one else can, and the server never sees it.";

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Your name, written as the author of your notes.
    #[arg(long, value_name = "NAME")]
    pub practitioner: Option<String>,
    #[arg(
        long,
        value_name = "PUBFILE",
        env = "DOORSTEP_RECOVERY_KEY",
        help = "The organisation's recovery public key: a forgotten passphrase is then recoverable",
        long_help = RECOVERY_KEY_HELP
    )]
    pub recovery_key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The sync server, on this device's first sync; later syncs use the one stored.
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// Join the account with a code from `doorstep device enrol` on an enrolled device. This
    /// device needs the account's key file; its empty store is made if there is none.
    #[arg(long, value_name = "CODE", env = "DOORSTEP_ENROL_CODE", hide_env_values = true)]
    pub enrol: Option<String>,
    /// The organisation's recovery public key, for a store made without one (at enrolment,
    /// with --server or --enrol); a store already sealed to it is left as it is.
    #[arg(long, value_name = "PUBFILE", env = "DOORSTEP_RECOVERY_KEY")]
    pub recovery_key: Option<PathBuf>,
    /// Give up on a request when the server sends nothing for this long (a stalled
    /// connection); queued records stay on this device.
    #[arg(long, value_name = "SECONDS", default_value_t = Retry::default().timeout.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
    /// Tries per request before the sync gives up (waiting longer after each).
    #[arg(long, value_name = "N", default_value_t = Retry::default().attempts,
          value_parser = clap::value_parser!(u32).range(1..=20))]
    pub attempts: u32,
}

impl SyncArgs {
    pub fn retry(&self) -> Retry {
        Retry {
            attempts: self.attempts,
            timeout: std::time::Duration::from_secs(self.timeout),
            ..Retry::default()
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// What is still only on this device, the last successful sync, and whether it is safe to
    /// close.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Make an enrolment code for another device of this account (a secret: give it only to
    /// that device).
    Enrol {
        /// The new device's name on the server.
        #[arg(long, value_name = "NAME", default_value = "another device")]
        name: String,
    },
    /// This account's devices on the sync server, this one marked, revoked ones shown.
    List,
    /// Revoke a lost or retired device: the server refuses its token from then on, so it can
    /// neither send nor receive records. What it already sent stays.
    Revoke {
        /// The device's id or name, as `doorstep device list` shows them.
        #[arg(value_name = "ID|NAME")]
        device: String,
        /// Allow revoking this device itself (it can then never sync again).
        #[arg(long)]
        allow_this_device: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseloadCommand {
    /// This account's invitation key, to give to the colleague who will invite you into their
    /// caseload (not a secret: only your account can open what is sealed to it).
    Key,
    /// Invite a colleague into this store's caseload: their device joins its space on the
    /// server, and the invitation, which opens only in their account, carries the caseload's key.
    Invite {
        /// The colleague's invitation key (`doorstep caseload key` on their device).
        #[arg(long, value_name = "KEY")]
        to: String,
        /// Their device's name on the server.
        #[arg(long, value_name = "NAME", default_value = "a colleague's device")]
        name: String,
    },
    /// Join a colleague's caseload with their invitation; the next `doorstep sync` brings in its
    /// records and shares this store's. Refused if this store already syncs somewhere.
    Join {
        #[arg(
            value_name = "INVITATION",
            env = "DOORSTEP_CASELOAD_INVITATION",
            hide_env_values = true
        )]
        invitation: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgKeyCommand {
    /// Make the organisation's recovery key pair, once, on an offline machine: the private
    /// file (mode 0600) stays offline; the public file goes to every practitioner's device.
    New {
        /// Where to write the private key (must not exist).
        #[arg(long, value_name = "FILE")]
        private: PathBuf,
        /// Where to write the public key (must not exist).
        #[arg(long, value_name = "FILE")]
        public: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The organisation's recovery PRIVATE key file.
    #[arg(long, value_name = "FILE")]
    pub org_key: PathBuf,
}

#[derive(Debug, Args)]
pub struct WipeArgs {
    /// Wipe even if records are still only on this device (they are then lost), and without
    /// the passphrase.
    #[arg(long)]
    pub yes: bool,
}
