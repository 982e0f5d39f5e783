//! Sealing a record into an envelope and opening it again.
//!
//! Each record gets a fresh random content key; the record is sealed with it (XChaCha20-Poly1305),
//! and the content key is wrapped by the account's [`SyncKey`]. The envelope's metadata (id, kind,
//! author, clock) is the associated data of the record's ciphertext, and the envelope id and the
//! wrapping key's id are that of the wrapped key, so changing any metadata field, or any byte of
//! the wrapped key or the ciphertext, fails authentication. The wrapping key's id travels in the
//! clear beside the wrapped key, so a device holding another key is told so instead of "damaged";
//! it is bound to the wrap only, not to the record, so a key rotation re-wraps 32-byte keys
//! ([`rewrap`]) and never re-encrypts a record.
//!
//! ```text
//! wrapped_key  format u8 (1) | sync key id (16) | nonce (24) | wrapped content key (32 + 16)
//! ciphertext   nonce (24) | XChaCha20-Poly1305 of the change's JSON
//! ```
//!
//! Errors never carry record content: a plaintext that does not decode is reported by position.

use doorstep_core::ids::DeviceId;
use doorstep_core::keys::{self, ContentKey, SyncKey, SyncKeyId, WRAPPED_CONTENT_KEY_LEN};
use doorstep_wire::{Bytes, Envelope, Hlc};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::record::{AudioPiece, Change, PieceError, PlainRecord};

const KEY_FORMAT: u8 = 1;
const KEY_ID_LEN: usize = 16;
const WRAPPED_LEN: usize = 1 + KEY_ID_LEN + WRAPPED_CONTENT_KEY_LEN;

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("sealing a {kind} record failed: {source}")]
    Crypto { kind: &'static str, source: keys::SealError },
    #[error("a {kind} record could not be encoded: {source}")]
    Encode { kind: &'static str, source: serde_json::Error },
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("envelope {id} was sealed with sync key {found}; this device holds key {expected}")]
    WrongKey { id: Uuid, expected: SyncKeyId, found: SyncKeyId },
    #[error(
        "envelope {id} failed authentication: its metadata (id, kind, author, clock), wrapped key \
         or ciphertext was altered"
    )]
    Tampered { id: Uuid },
    #[error("envelope {id}'s wrapped key is malformed ({len} bytes, expected {WRAPPED_LEN})")]
    MalformedKey { id: Uuid, len: usize },
    #[error("envelope {id} uses key format {found}; this version reads format {KEY_FORMAT}")]
    NewerKeyFormat { id: Uuid, found: u8 },
    #[error("envelope {id} is of kind {kind:?}, which this version of Doorstep cannot read")]
    UnknownKind { id: Uuid, kind: String },
    #[error(
        "envelope {id} decrypted but is not a {kind} record this version can read (at line {line}, \
         column {column})"
    )]
    Decode { id: Uuid, kind: &'static str, line: usize, column: usize },
    #[error("envelope {id} decrypted but holds {source}")]
    BadPiece { id: Uuid, source: PieceError },
    #[error("the operating system's random source failed: {0}")]
    Random(keys::SealError),
}

/// Seals `record` for the server: a fresh content key, wrapped by `key`.
pub fn seal(record: &PlainRecord, key: &SyncKey) -> Result<Envelope, SealError> {
    let kind = record.change.kind();
    let crypto = |source| SealError::Crypto { kind, source };
    let encode = |source| SealError::Encode { kind, source };
    let plaintext = zeroize::Zeroizing::new(
        match &record.change {
            Change::Note(v) => serde_json::to_vec(v),
            Change::PersonField(v) => serde_json::to_vec(v),
            Change::Ecomap(v) => serde_json::to_vec(v),
            Change::Audio(piece) => piece.encode().map(|bytes| bytes.to_vec()),
            Change::Rejections(v) => serde_json::to_vec(v),
        }
        .map_err(encode)?,
    );
    let author = *record.author.as_uuid();
    let content = ContentKey::generate().map_err(crypto)?;
    let wrapped_key = wrap(&content, &record.id, key).map_err(crypto)?;
    let aad = record_aad(&record.id, kind, &author, &record.hlc);
    let ciphertext = content.seal(&aad, &plaintext).map_err(crypto)?;
    Ok(Envelope {
        id: record.id,
        kind: kind.to_owned(),
        author,
        hlc: record.hlc,
        wrapped_key,
        ciphertext: Bytes(ciphertext),
    })
}

/// Opens an envelope sealed by [`seal`] under the same sync key, checking every metadata field.
pub fn open(envelope: &Envelope, key: &SyncKey) -> Result<PlainRecord, OpenError> {
    let id = envelope.id;
    let content = unwrap(envelope, key)?;
    let aad = record_aad(&id, &envelope.kind, &envelope.author, &envelope.hlc);
    let plaintext = content.open(&aad, &envelope.ciphertext.0).map_err(|e| crypto(id, e))?;
    let change = match envelope.kind.as_str() {
        Change::NOTE => Change::Note(decode(id, Change::NOTE, &plaintext)?),
        Change::PERSON => Change::PersonField(decode(id, Change::PERSON, &plaintext)?),
        Change::ECOMAP => Change::Ecomap(decode(id, Change::ECOMAP, &plaintext)?),
        Change::REJECTIONS => Change::Rejections(decode(id, Change::REJECTIONS, &plaintext)?),
        Change::AUDIO => Change::Audio(
            AudioPiece::decode(&plaintext).map_err(|source| OpenError::BadPiece { id, source })?,
        ),
        other => return Err(OpenError::UnknownKind { id, kind: other.to_owned() }),
    };
    Ok(PlainRecord { id, author: DeviceId::from_uuid(envelope.author), hlc: envelope.hlc, change })
}

/// The same envelope with its content key re-wrapped from `old` to `new`, for a key rotation:
/// the record's ciphertext is untouched, so this works on envelopes of any kind, even ones this
/// version cannot read.
pub fn rewrap(envelope: &Envelope, old: &SyncKey, new: &SyncKey) -> Result<Envelope, OpenError> {
    let content = unwrap(envelope, old)?;
    let wrapped_key = wrap(&content, &envelope.id, new).map_err(|e| crypto(envelope.id, e))?;
    Ok(Envelope { wrapped_key, ..envelope.clone() })
}

/// The wrapped-key field: format, the wrapping key's id, the wrap bound to the envelope's id.
fn wrap(content: &ContentKey, id: &Uuid, key: &SyncKey) -> Result<Bytes, keys::SealError> {
    let wrapped = key.wrap(content, &key_aad(id, &key.id()))?;
    let mut out = Vec::with_capacity(WRAPPED_LEN);
    out.push(KEY_FORMAT);
    out.extend_from_slice(key.id().as_bytes());
    out.extend_from_slice(&wrapped);
    Ok(Bytes(out))
}

fn unwrap(envelope: &Envelope, key: &SyncKey) -> Result<ContentKey, OpenError> {
    let id = envelope.id;
    let wrapped = &envelope.wrapped_key.0;
    match wrapped.first() {
        Some(&KEY_FORMAT) => {}
        Some(&found) if found > KEY_FORMAT => return Err(OpenError::NewerKeyFormat { id, found }),
        _ => return Err(OpenError::MalformedKey { id, len: wrapped.len() }),
    }
    if wrapped.len() != WRAPPED_LEN {
        return Err(OpenError::MalformedKey { id, len: wrapped.len() });
    }
    let (key_id, wrap) = wrapped[1..].split_at(KEY_ID_LEN);
    let found = key_id
        .try_into()
        .map(SyncKeyId::from_bytes)
        .map_err(|_| OpenError::MalformedKey { id, len: wrapped.len() })?;
    if found != key.id() {
        return Err(OpenError::WrongKey { id, expected: key.id(), found });
    }
    key.unwrap(wrap, &key_aad(&id, &found)).map_err(|e| crypto(id, e))
}

/// Authentication failure means something was altered: the key id already matched.
fn crypto(id: Uuid, e: keys::SealError) -> OpenError {
    match e {
        keys::SealError::Authentication => OpenError::Tampered { id },
        keys::SealError::Random(_) => OpenError::Random(e),
    }
}

fn decode<T: DeserializeOwned>(id: Uuid, kind: &'static str, bytes: &[u8]) -> Result<T, OpenError> {
    serde_json::from_slice(bytes).map_err(|e| OpenError::Decode {
        id,
        kind,
        line: e.line(),
        column: e.column(),
    })
}

/// The associated data of a record's ciphertext: every metadata field, length-prefixed where
/// variable, so no two different envelopes share it.
fn record_aad(id: &Uuid, kind: &str, author: &Uuid, hlc: &Hlc) -> Vec<u8> {
    let mut aad = Vec::with_capacity(128 + kind.len());
    aad.extend_from_slice(b"doorstep/sync/v1/record\0");
    aad.extend_from_slice(id.as_bytes());
    aad.extend_from_slice(&(kind.len() as u64).to_be_bytes());
    aad.extend_from_slice(kind.as_bytes());
    aad.extend_from_slice(author.as_bytes());
    aad.extend_from_slice(&hlc.wall_ms.to_be_bytes());
    aad.extend_from_slice(&hlc.counter.to_be_bytes());
    aad.extend_from_slice(hlc.device.as_bytes());
    aad
}

/// The associated data of a wrapped content key: the key belongs to this envelope only.
fn key_aad(id: &Uuid, key: &SyncKeyId) -> Vec<u8> {
    let mut aad = Vec::with_capacity(64);
    aad.extend_from_slice(b"doorstep/sync/v1/content-key\0");
    aad.extend_from_slice(id.as_bytes());
    aad.extend_from_slice(key.as_bytes());
    aad
}
