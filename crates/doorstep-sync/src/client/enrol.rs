//! A practitioner's second device, enrolled by the first.
//!
//! The enrolled device already holds the account's key file (brought over by the practitioner:
//! keys never pass through the server). What it lacks is a place on the server: the first device
//! asks the server for a new device and token ([`enrol_device`]) and shows them as one
//! enrolment code, which the new device stores ([`join`]); its first sync then pulls everything.
//! The code is a credential: it prints only where it is asked for, and `Debug` hides it.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use doorstep_core::ids::DeviceId;
use doorstep_core::store::{Store, SyncServer, SyncToken};
use doorstep_wire::EnrolRequest;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::{Zeroize as _, Zeroizing};

use super::error::SyncError;
use super::http::Server;
use super::retry::Retry;

const PREFIX: &str = "doorstep-enrol-1.";

/// What an enrolment code holds.
#[derive(Serialize, Deserialize)]
struct Enrolment {
    server: String,
    space: Uuid,
    device: Uuid,
    token: String,
}

impl Drop for Enrolment {
    fn drop(&mut self) {
        self.token.zeroize();
    }
}

/// An enrolment code, ready to give to the new device.
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
    store: &mut Store,
    name: &str,
    retry: Retry,
) -> Result<EnrolmentCode, SyncError> {
    let known = store.sync_state()?.server.ok_or(SyncError::NotRegistered)?;
    let mut server = Server::new(&known.url, retry)?;
    let device = Uuid::now_v7();
    let issued =
        server.enrol(&known.token, &EnrolRequest { device, device_name: name.to_owned() }).await?;
    let enrolment =
        Enrolment { server: known.url.clone(), space: known.space, device, token: issued.token };
    let json = Zeroizing::new(serde_json::to_vec(&enrolment).map_err(|e| SyncError::BadReply {
        what: "encoding an enrolment code",
        detail: e.to_string(),
    })?);
    let code = Zeroizing::new(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&*json)));
    Ok(EnrolmentCode { code, device })
}

/// On the new device: takes the identity and credentials in `code`. Refused if this store
/// already syncs somewhere, since its envelopes carry its own device id.
pub fn join(store: &mut Store, code: &str) -> Result<(), SyncError> {
    let body = code
        .trim()
        .strip_prefix(PREFIX)
        .ok_or(SyncError::BadEnrolmentCode("it should start with \"doorstep-enrol-1.\""))?;
    let json = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SyncError::BadEnrolmentCode("it is damaged (not base64)"))?,
    );
    let enrolment: Enrolment = serde_json::from_slice(&json)
        .map_err(|_| SyncError::BadEnrolmentCode("it is damaged (not an enrolment)"))?;
    if let Some(known) = store.sync_state()?.server {
        return Err(SyncError::AlreadyEnrolled(known.url));
    }
    Server::new(&enrolment.server, Retry::default())?;
    let token = SyncToken::new(enrolment.token.clone());
    store.set_sync_server(
        DeviceId::from_uuid(enrolment.device),
        &SyncServer { url: enrolment.server.clone(), space: enrolment.space, token },
    )?;
    Ok(())
}
