//! A practitioner's second device, enrolled by the first.
//!
//! The enrolled device already holds the account's key file (brought over by the practitioner:
//! keys never pass through the server). What it lacks is a place on the server: the first device
//! asks the server for a new device and token ([`enrol_device`]) and shows them as one
//! enrolment code, which the new device stores ([`join`]); its first sync then pulls everything.
//! In a caseload joined from another practitioner the code also carries the caseload's key,
//! sealed to the account's own invitation key: the key file opens it, nothing else does.
//! The code is a credential: it prints only where it is asked for, and `Debug` hides it.
//!
//! Handing a new device its place on the server is shared with caseload invitations
//! ([`super::caseload`]): [`issue`] and [`take`].

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use doorstep_core::Unlocked;
use doorstep_core::ids::DeviceId;
use doorstep_core::keys::SyncKey;
use doorstep_core::store::{Store, SyncServer, SyncToken};
use doorstep_wire::EnrolRequest;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::{Zeroize as _, Zeroizing};

use super::error::SyncError;
use super::http::Server;
use super::retry::Retry;

const PREFIX: &str = "doorstep-enrol-1.";

/// A new device's place on the server: what enrolment codes and invitations hand over.
#[derive(Serialize, Deserialize)]
pub(super) struct Credentials {
    pub server: String,
    pub space: Uuid,
    pub device: Uuid,
    pub token: String,
}

impl Drop for Credentials {
    fn drop(&mut self) {
        self.token.zeroize();
    }
}

/// What an enrolment code holds.
#[derive(Serialize, Deserialize)]
struct Enrolment {
    #[serde(flatten)]
    credentials: Credentials,
    /// The caseload's key sealed to the account's invitation key (base64), in a joined caseload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    space_key: Option<String>,
}

/// A code to give to a new device: an enrolment code, or a caseload invitation.
pub struct EnrolmentCode {
    code: Zeroizing<String>,
    /// The device id the new device will have.
    pub device: Uuid,
}

impl EnrolmentCode {
    /// The code itself, to show the practitioner.
    pub fn reveal(&self) -> &str {
        &self.code
    }
}

impl fmt::Debug for EnrolmentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EnrolmentCode({}, [redacted])", self.device)
    }
}

/// On an enrolled device: asks the server for a new device of this space, named `name`.
pub async fn enrol_device(
    unlocked: &mut Unlocked,
    name: &str,
    retry: Retry,
) -> Result<EnrolmentCode, SyncError> {
    let credentials = issue(&mut unlocked.store, name, retry).await?;
    let device = credentials.device;
    let space_key = match unlocked.store.space_key()? {
        Some(key) => {
            let own = unlocked.invitation_secret().public_key();
            let sealed = own.seal(&aad(device), &key.export())?;
            Some(URL_SAFE_NO_PAD.encode(sealed))
        }
        None => None,
    };
    let json = encode(&Enrolment { credentials, space_key }, "encoding an enrolment code")?;
    Ok(code(PREFIX, &json, device))
}

/// On the new device: takes the identity, credentials and (in a joined caseload) the caseload's
/// key in `code`. Refused if this store already syncs somewhere, since its envelopes carry its
/// own device id.
pub fn join(unlocked: &mut Unlocked, code: &str) -> Result<(), SyncError> {
    let start = "it should start with \"doorstep-enrol-1.\"";
    let json = decode(code, PREFIX, start, SyncError::BadEnrolmentCode)?;
    let enrolment: Enrolment = serde_json::from_slice(&json)
        .map_err(|_| SyncError::BadEnrolmentCode("it is damaged (not an enrolment)"))?;
    let key = match &enrolment.space_key {
        Some(sealed) => {
            let sealed = URL_SAFE_NO_PAD
                .decode(sealed)
                .map_err(|_| SyncError::BadEnrolmentCode("its caseload key is damaged"))?;
            let secret = unlocked.invitation_secret();
            let bytes = secret.open(&aad(enrolment.credentials.device), &sealed)?;
            Some(SyncKey::import(&bytes).ok_or(SyncError::BadEnrolmentCode(
                "its caseload key is of a format this version cannot read",
            ))?)
        }
        None => None,
    };
    take(unlocked, &enrolment.credentials, key)
}

/// The associated data of a caseload key in an enrolment code: bound to the device it enrols.
fn aad(device: Uuid) -> Vec<u8> {
    format!("{PREFIX}{device}").into_bytes()
}

/// Asks the server, as this device, for a new device of its space named `name`.
pub(super) async fn issue(
    store: &mut Store,
    name: &str,
    retry: Retry,
) -> Result<Credentials, SyncError> {
    let known = store.sync_state()?.server.ok_or(SyncError::NotRegistered)?;
    let mut server = Server::new(&known.url, retry)?;
    let device = Uuid::now_v7();
    let issued =
        server.enrol(&known.token, &EnrolRequest { device, device_name: name.to_owned() }).await?;
    Ok(Credentials { server: known.url.clone(), space: known.space, device, token: issued.token })
}

/// Makes this store sync with `credentials`, sealing with `key` (`None`: the account's own).
pub(super) fn take(
    unlocked: &mut Unlocked,
    credentials: &Credentials,
    key: Option<SyncKey>,
) -> Result<(), SyncError> {
    if let Some(known) = unlocked.store.sync_state()?.server {
        return Err(SyncError::AlreadyEnrolled(known.url));
    }
    Server::new(&credentials.server, Retry::default())?;
    let token = SyncToken::new(credentials.token.clone());
    let server = SyncServer { url: credentials.server.clone(), space: credentials.space, token };
    unlocked.set_sync_server(DeviceId::from_uuid(credentials.device), &server, key)?;
    Ok(())
}

/// `value` as JSON, in a buffer zeroized on drop.
pub(super) fn encode<T: Serialize>(
    value: &T,
    what: &'static str,
) -> Result<Zeroizing<Vec<u8>>, SyncError> {
    serde_json::to_vec(value)
        .map(Zeroizing::new)
        .map_err(|e| SyncError::BadReply { what, detail: e.to_string() })
}

/// A code: `prefix`, then `bytes` in URL-safe base64.
pub(super) fn code(prefix: &str, bytes: &[u8], device: Uuid) -> EnrolmentCode {
    EnrolmentCode {
        code: Zeroizing::new(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))),
        device,
    }
}

/// The bytes of a code made by [`code`] with `prefix`; `bad` words what is wrong with it, and
/// `start` how it should start.
pub(super) fn decode(
    code: &str,
    prefix: &str,
    start: &'static str,
    bad: fn(&'static str) -> SyncError,
) -> Result<Zeroizing<Vec<u8>>, SyncError> {
    let body = code.trim().strip_prefix(prefix).ok_or_else(|| bad(start))?;
    URL_SAFE_NO_PAD.decode(body).map(Zeroizing::new).map_err(|_| bad("it is damaged (not base64)"))
}
