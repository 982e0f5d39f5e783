//! The account's devices as the server knows them, and revoking one: what a practitioner does
//! when a phone is lost. A revoked device's token is refused for every call from then on (the
//! server checks it before any route runs), so it can neither push nor pull; what it already
//! sent stays on the server and on the other devices.
//!
//! A device is named by its id or by the name it was enrolled with. This device is marked in
//! the list, and revoking it is refused unless the caller says so: it would cut itself off.

use chrono::{DateTime, Utc};
use doorstep_core::store::Store;
use serde::Serialize;
use uuid::Uuid;

use super::error::SyncError;
use super::http::Server;
use super::retry::Retry;

/// One device of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub device: Uuid,
    pub name: String,
    /// When the server enrolled it, as the server wrote it (RFC 3339).
    pub enrolled_at: String,
    pub revoked: bool,
    /// The device this store belongs to.
    pub this_device: bool,
}

/// What a revocation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revoked {
    pub device: Device,
    /// It was revoked before this call; nothing changed.
    pub already: bool,
    pub at: DateTime<Utc>,
}

/// The account's devices in the order they were enrolled, revoked ones included.
pub async fn list_devices(store: &mut Store, retry: Retry) -> Result<Vec<Device>, SyncError> {
    let state = store.sync_state()?;
    let known = state.server.ok_or(SyncError::NotRegistered)?;
    let this = *state.device.as_uuid();
    let list = Server::new(&known.url, retry)?.devices(&known.token).await?;
    Ok(list
        .devices
        .into_iter()
        .map(|d| Device {
            this_device: d.device == this,
            device: d.device,
            name: d.name,
            enrolled_at: d.enrolled_at,
            revoked: d.revoked,
        })
        .collect())
}

/// Revokes the device named `which` (its id, or its name if no id matches). This device only
/// with `allow_this_device`.
pub async fn revoke_device(
    store: &mut Store,
    which: &str,
    allow_this_device: bool,
    retry: Retry,
) -> Result<Revoked, SyncError> {
    let devices = list_devices(store, retry).await?;
    let device = find(&devices, which)?.clone();
    if device.this_device && !allow_this_device {
        return Err(SyncError::RevokeThisDevice(device.device));
    }
    let already = device.revoked;
    if !already {
        let known = store.sync_state()?.server.ok_or(SyncError::NotRegistered)?;
        Server::new(&known.url, retry)?.revoke(&known.token, device.device).await?;
    }
    Ok(Revoked { device: Device { revoked: true, ..device }, already, at: Utc::now() })
}

/// The device with id `which`, else the one named `which` (exactly, then ignoring case).
fn find<'a>(devices: &'a [Device], which: &str) -> Result<&'a Device, SyncError> {
    let which = which.trim();
    if let Ok(id) = which.parse::<Uuid>() {
        return devices
            .iter()
            .find(|d| d.device == id)
            .ok_or_else(|| SyncError::NoSuchDevice(which.to_owned()));
    }
    let exact: Vec<&Device> = devices.iter().filter(|d| d.name == which).collect();
    let named = if exact.is_empty() {
        devices.iter().filter(|d| d.name.to_lowercase() == which.to_lowercase()).collect()
    } else {
        exact
    };
    match named.as_slice() {
        [one] => Ok(one),
        [] => Err(SyncError::NoSuchDevice(which.to_owned())),
        many => Err(SyncError::AmbiguousDevice { name: which.to_owned(), count: many.len() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(n: u128, name: &str) -> Device {
        Device {
            device: Uuid::from_u128(n),
            name: name.into(),
            enrolled_at: String::new(),
            revoked: false,
            this_device: false,
        }
    }

    #[test]
    fn devices_are_found_by_id_then_exact_name_then_name_in_any_case() {
        let devices =
            [device(1, "phone"), device(2, "Tablet"), device(3, "tablet"), device(4, "Car PC")];
        let id = Uuid::from_u128(4).to_string();
        assert_eq!(find(&devices, &id).unwrap().name, "Car PC");
        assert_eq!(find(&devices, " phone ").unwrap().device, Uuid::from_u128(1));
        assert_eq!(find(&devices, "tablet").unwrap().device, Uuid::from_u128(3));
        assert_eq!(find(&devices, "car pc").unwrap().device, Uuid::from_u128(4));
        assert!(matches!(
            find(&devices, "TABLET"),
            Err(SyncError::AmbiguousDevice { count: 2, .. })
        ));
        assert!(matches!(find(&devices, "laptop"), Err(SyncError::NoSuchDevice(_))));
        let unknown = Uuid::from_u128(9).to_string();
        assert!(matches!(find(&devices, &unknown), Err(SyncError::NoSuchDevice(_))));
    }
}
