//! Sharing a caseload with another practitioner: their device joins this store's space on the
//! server, and receives the space's key, so that both practitioners' records reach both.
//!
//! Each practitioner keeps their own account, passphrase and data key; what they share is the
//! space and its sync key (the key that wraps every envelope's content key: see
//! `doorstep_core::keys`), never a data key, a store or a key file. The invited practitioner
//! gives their public invitation key (`doorstep caseload key`, not a secret). The inviting device
//! asks the server for a new device of its space and seals that device's credentials and the
//! space's key to the invitation key ([`invite`]): the code that results opens only in the
//! invited account, so it may travel by any channel, and the server never sees the key. The
//! invited device takes the credentials and keeps the key in its encrypted store ([`join_caseload`]);
//! from its next sync, it seals with the caseload's key, pulls everything in the space, and its
//! own records join the caseload. Revoking its device (`doorstep device revoke`) ends the
//! sharing on the server; the key it holds opens only what it could already pull.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use doorstep_core::Unlocked;
use doorstep_core::keys::{InvitationKey, SyncKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize as _;

use super::enrol::{Credentials, EnrolmentCode, code, decode, encode, issue, take};
use super::error::SyncError;
use super::retry::Retry;

const PREFIX: &str = "doorstep-caseload-1.";

/// What an invitation holds, sealed to the invited practitioner's invitation key.
#[derive(Serialize, Deserialize)]
struct Invitation {
    #[serde(flatten)]
    credentials: Credentials,
    /// The space's sync key, exported (base64).
    key: String,
}

impl Drop for Invitation {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

/// What joining a caseload did: where this store now syncs, as which device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JoinedCaseload {
    pub server: String,
    pub space: uuid::Uuid,
    pub device: uuid::Uuid,
}

/// On a device of the caseload's space: makes an invitation for the practitioner whose
/// invitation key is `to`, their device to be called `name` on the server.
pub async fn invite(
    unlocked: &mut Unlocked,
    to: &InvitationKey,
    name: &str,
    retry: Retry,
) -> Result<EnrolmentCode, SyncError> {
    let key = unlocked.sync_key();
    let credentials = issue(&mut unlocked.store, name, retry).await?;
    let device = credentials.device;
    let invitation = Invitation { credentials, key: B64.encode(&*key.export()) };
    let json = encode(&invitation, "encoding an invitation")?;
    let sealed = to.seal(PREFIX.as_bytes(), &json)?;
    Ok(code(PREFIX, &sealed, device))
}

/// On the invited practitioner's device: opens an invitation made for this account and joins
/// the caseload's space. Refused if this store already syncs somewhere.
pub fn join_caseload(
    unlocked: &mut Unlocked,
    invitation: &str,
) -> Result<JoinedCaseload, SyncError> {
    let start = "it should start with \"doorstep-caseload-1.\"";
    let sealed = decode(invitation, PREFIX, start, SyncError::BadInvitation)?;
    let json = unlocked.invitation_secret().open(PREFIX.as_bytes(), &sealed)?;
    let invitation: Invitation = serde_json::from_slice(&json)
        .map_err(|_| SyncError::BadInvitation("it is damaged (not an invitation)"))?;
    let key = B64
        .decode(&invitation.key)
        .ok()
        .and_then(|bytes| SyncKey::import(&zeroize::Zeroizing::new(bytes)))
        .ok_or(SyncError::BadInvitation("its key is of a format this version cannot read"))?;
    let credentials = &invitation.credentials;
    take(unlocked, credentials, Some(key))?;
    Ok(JoinedCaseload {
        server: credentials.server.clone(),
        space: credentials.space,
        device: credentials.device,
    })
}
