//! What the sync client keeps in the store: this device's sync identity, server credentials and
//! (in a caseload joined from another practitioner) the space's key, the outbox of sealed
//! envelopes waiting to be pushed, which records have been shared, the versions of notes
//! ([`note_versions`]), recordings sent and received in pieces ([`audio`]), and the pulled
//! envelopes set aside because they could not be opened or applied ([`quarantine`]). Ecomap elements are merged beside the ecomap's versions
//! (`store::ecomap`).
//!
//! It lives in the encrypted store, not a file beside it, because the device token and the space
//! key are secrets and the outbox must survive a killed app: an envelope leaves the outbox only
//! once the server has acknowledged it. The core cannot seal (that is doorstep-sync's job, and
//! sync depends on the core, not the other way round), so queueing is two steps:
//! [`Store::unshared_people`], [`Store::unshared_notes`] and [`Store::staged_ecomaps`] say what
//! no envelope carries yet, and doorstep-sync seals them and hands them back to
//! [`Store::queue_outgoing`], which stores each envelope and records what it carries as shared
//! in one transaction. Envelopes are opaque JSON here.

mod audio;
mod note_versions;
mod person_fields;
mod quarantine;
mod rejections;
mod stamp;

use std::fmt;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::Store;
use super::ecomap::{SealedEcomap, record_sealed_ecomap};
use crate::error::{Error, SqlContext};
use crate::ids::{DeviceId, PersonId, RecordingId};
use crate::keys::SyncKey;
use crate::model::Person;

pub use audio::{
    AUDIO_PART_BYTES, Assembled, AudioPart, IncomingAudio, MAX_AUDIO_PART_BYTES, MAX_AUDIO_PARTS,
};
pub use note_versions::{NoteRevision, ReceivedNote, SealedNote};
pub use person_fields::{PERSON_FIELDS, PersonEdit, PersonFieldValue, SealedPersonField};
pub use quarantine::Quarantined;
pub use rejections::PersonRejections;
pub use stamp::ChangeStamp;

/// The device's bearer token for the sync server. Not `Serialize`, and `Debug` hides it: it is
/// only ever read to put in an `Authorization` header.
pub struct SyncToken(Zeroizing<String>);

impl SyncToken {
    pub fn new(token: String) -> Self {
        Self(Zeroizing::new(token))
    }

    /// The token itself, for the request that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SyncToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SyncToken([redacted])")
    }
}

/// Where this device syncs, once registered or enrolled.
#[derive(Debug)]
pub struct SyncServer {
    pub url: String,
    pub space: Uuid,
    pub token: SyncToken,
}

/// This device's hybrid logical clock as last saved (the wire type lives in doorstep-wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncClock {
    pub wall_ms: u64,
    pub counter: u32,
}

#[derive(Debug)]
pub struct SyncState {
    /// Chosen the first time the state is read, and kept for the life of the store.
    pub device: DeviceId,
    pub server: Option<SyncServer>,
    /// The server cursor of the last envelope pulled.
    pub pull_cursor: u64,
    pub last_success: Option<DateTime<Utc>>,
    pub clock: SyncClock,
}

/// An envelope waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: Uuid,
    pub kind: String,
    /// The envelope's wire JSON.
    pub envelope: String,
    pub queued_at: DateTime<Utc>,
}

/// A sealed envelope to queue, and what it carries.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: Uuid,
    pub kind: String,
    pub envelope: String,
    pub carries: Carries,
}

/// What a queued envelope carries, recorded as shared when it is queued.
#[derive(Debug, Clone)]
pub enum Carries {
    /// One field of a person (the name, first, also shares the person).
    PersonField(SealedPersonField),
    /// A version of a note made here.
    Note(SealedNote),
    /// A person's ecomap changes confirmed here.
    Ecomap(SealedEcomap),
    /// A piece of a recording made here (every piece carries the same recording).
    Audio(RecordingId),
    /// A person's ecomap nodes rejected here.
    Rejections(PersonRejections),
}

impl Store {
    /// The sync state, giving this device its sync identity the first time.
    pub fn sync_state(&mut self) -> Result<SyncState, Error> {
        self.conn
            .execute(
                "INSERT INTO sync_state(singleton, device) VALUES (1, ?1)
                 ON CONFLICT(singleton) DO NOTHING",
                [DeviceId::new()],
            )
            .context("creating the sync state")?;
        let (device, url, space, token, pull_cursor, last_success, wall_ms, counter) = self
            .conn
            .query_row(
                "SELECT device, server_url, space, token, pull_cursor, last_success, hlc_wall_ms,
                        hlc_counter
                 FROM sync_state WHERE singleton = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, DeviceId>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<Uuid>>(2)?,
                        r.get::<_, Option<String>>(3)?.map(SyncToken::new),
                        r.get::<_, u64>(4)?,
                        r.get::<_, Option<DateTime<Utc>>>(5)?,
                        r.get::<_, u64>(6)?,
                        r.get::<_, u32>(7)?,
                    ))
                },
            )
            .context("reading the sync state")?;
        let server = match (url, space, token) {
            (Some(url), Some(space), Some(token)) => Some(SyncServer { url, space, token }),
            _ => None,
        };
        Ok(SyncState {
            device,
            server,
            pull_cursor,
            last_success,
            clock: SyncClock { wall_ms, counter },
        })
    }

    /// Records the server this device is registered or enrolled with, the device id the server
    /// knows it by (an enrolled device takes the id its enrolment chose), and the key of the
    /// space: `Some` for a caseload joined from another practitioner, `None` for the account's
    /// own key. The pull cursor starts again from the beginning of the space.
    pub fn set_sync_server(
        &mut self,
        device: DeviceId,
        server: &SyncServer,
        space_key: Option<&SyncKey>,
    ) -> Result<(), Error> {
        self.sync_state()?;
        let key = space_key.map(SyncKey::export);
        self.conn
            .execute(
                "UPDATE sync_state SET device = ?1, server_url = ?2, space = ?3, token = ?4,
                        space_key = ?5, pull_cursor = 0
                 WHERE singleton = 1",
                params![
                    device,
                    server.url,
                    server.space,
                    server.token.expose(),
                    key.as_ref().map(|k| k.as_slice())
                ],
            )
            .context("saving the sync server")?;
        Ok(())
    }

    /// The key of the space this store syncs in when it joined another practitioner's caseload;
    /// `None` when it syncs with its account's own key.
    pub fn space_key(&self) -> Result<Option<SyncKey>, Error> {
        let stored: Option<Zeroizing<Vec<u8>>> = self
            .conn
            .query_row("SELECT space_key FROM sync_state WHERE singleton = 1", [], |r| {
                r.get::<_, Option<Vec<u8>>>(0)
            })
            .optional()
            .context("reading the space key")?
            .flatten()
            .map(Zeroizing::new);
        stored.map(|bytes| SyncKey::import(&bytes).ok_or(Error::SpaceKeyFormat)).transpose()
    }

    pub fn set_sync_clock(&mut self, clock: SyncClock) -> Result<(), Error> {
        self.sync_state()?;
        self.conn
            .execute(
                "UPDATE sync_state SET hlc_wall_ms = ?1, hlc_counter = ?2 WHERE singleton = 1",
                params![clock.wall_ms, clock.counter],
            )
            .context("saving the sync clock")?;
        Ok(())
    }

    pub fn pull_cursor(&mut self) -> Result<u64, Error> {
        Ok(self.sync_state()?.pull_cursor)
    }

    pub fn set_pull_cursor(&mut self, cursor: u64) -> Result<(), Error> {
        self.sync_state()?;
        self.conn
            .execute("UPDATE sync_state SET pull_cursor = ?1 WHERE singleton = 1", [cursor])
            .context("saving the pull cursor")?;
        Ok(())
    }

    pub fn record_sync_success(&mut self, at: DateTime<Utc>) -> Result<(), Error> {
        self.sync_state()?;
        self.conn
            .execute("UPDATE sync_state SET last_success = ?1 WHERE singleton = 1", [at])
            .context("saving the sync time")?;
        Ok(())
    }

    /// People no envelope carries yet, oldest first.
    pub fn unshared_people(&self) -> Result<Vec<Person>, Error> {
        let ids: Vec<PersonId> = self
            .conn
            .prepare(
                "SELECT id FROM people WHERE id NOT IN (SELECT record FROM sync_shared)
                 ORDER BY created_at, id",
            )
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .context("listing people to share")?;
        ids.into_iter().map(|id| self.person(id)).collect()
    }

    /// How many people, notes, people's ecomaps and recordings hold changes no envelope carries
    /// yet.
    pub fn unshared_count(&self) -> Result<u64, Error> {
        let records: u64 = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM people WHERE id NOT IN (SELECT record FROM sync_shared))
                      + (SELECT count(*) FROM notes WHERE shown_version IS NULL)",
                [],
                |r| r.get(0),
            )
            .context("counting unshared records")?;
        Ok(records
            + self.staged_ecomap_count()?
            + self.unshared_recording_count()?
            + self.staged_person_field_count()?
            + self.unshared_rejection_count()?)
    }

    /// Puts sealed envelopes in the outbox and records what they carry as shared, all or nothing.
    pub fn queue_outgoing(&mut self, outgoing: &[Outgoing]) -> Result<(), Error> {
        let now = Utc::now();
        let tx = self.conn.transaction().context("queueing envelopes")?;
        {
            let mut queue = tx
                .prepare(
                    "INSERT INTO sync_outbox(id, kind, envelope, queued_at) VALUES (?1, ?2, ?3, ?4)",
                )
                .context("queueing envelopes")?;
            for item in outgoing {
                queue
                    .execute(params![item.id, item.kind, item.envelope, now])
                    .context("queueing an envelope")?;
                match &item.carries {
                    Carries::PersonField(sealed) => person_fields::record_sealed(&tx, sealed)?,
                    Carries::Note(sealed) => note_versions::record_sealed(&tx, sealed)?,
                    Carries::Ecomap(sealed) => record_sealed_ecomap(&tx, sealed)?,
                    Carries::Rejections(sealed) => rejections::record_sealed(&tx, sealed)?,
                    Carries::Audio(recording) => {
                        mark_shared(&tx, *recording.as_uuid(), &item.kind, item.id)?;
                    }
                }
            }
        }
        tx.commit().context("queueing envelopes")
    }

    /// Up to `limit` queued envelopes: text before audio, then in the order they were queued.
    /// Everything but audio counts as text; audio kinds start with "audio". Two scans in queue
    /// order, each stopping at `limit`, rather than one sort of the whole outbox.
    pub fn outbox(&self, limit: usize) -> Result<Vec<OutboxEntry>, Error> {
        let mut entries = self.outbox_where("kind NOT LIKE 'audio%'", limit)?;
        if entries.len() < limit {
            entries.extend(self.outbox_where("kind LIKE 'audio%'", limit - entries.len())?);
        }
        Ok(entries)
    }

    /// The next push: up to `limit` text envelopes in queue order or, once no text waits, the
    /// first piece of audio alone (pieces are large, and go one per request).
    pub fn next_push(&self, limit: usize) -> Result<Vec<OutboxEntry>, Error> {
        let text = self.outbox_where("kind NOT LIKE 'audio%'", limit)?;
        if !text.is_empty() {
            return Ok(text);
        }
        self.outbox_where("kind LIKE 'audio%'", 1)
    }

    fn outbox_where(
        &self,
        condition: &'static str,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT id, kind, envelope, queued_at FROM sync_outbox WHERE {condition}
                 ORDER BY seq LIMIT ?1"
            ))
            .context("reading the outbox")?;
        stmt.query_map([limit], |r| {
            Ok(OutboxEntry {
                id: r.get(0)?,
                kind: r.get(1)?,
                envelope: r.get(2)?,
                queued_at: r.get(3)?,
            })
        })
        .and_then(Iterator::collect)
        .context("reading the outbox")
    }

    pub fn outbox_len(&self) -> Result<u64, Error> {
        self.conn
            .query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))
            .context("counting the outbox")
    }

    /// How many of the queued envelopes carry audio.
    pub fn outbox_audio_len(&self) -> Result<u64, Error> {
        self.conn
            .query_row("SELECT count(*) FROM sync_outbox WHERE kind LIKE 'audio%'", [], |r| {
                r.get(0)
            })
            .context("counting the outbox")
    }

    /// Removes envelopes the server has acknowledged (stored now, or already held).
    pub fn mark_pushed(&mut self, ids: &[Uuid]) -> Result<(), Error> {
        let tx = self.conn.transaction().context("marking envelopes pushed")?;
        {
            let mut delete = tx
                .prepare("DELETE FROM sync_outbox WHERE id = ?1")
                .context("marking envelopes pushed")?;
            for id in ids {
                delete.execute([id]).context("marking an envelope pushed")?;
            }
        }
        tx.commit().context("marking envelopes pushed")
    }

    /// For tests of other records: a person received by name only, added with their id if this
    /// store does not have them (sync itself takes people in field by field, with their clocks:
    /// [`Store::receive_person_field`]).
    #[cfg(test)]
    pub(crate) fn receive_person(
        &mut self,
        envelope: Uuid,
        id: PersonId,
        name: &str,
    ) -> Result<bool, Error> {
        let name = super::people::checked_name(name, "a received person's name")?;
        let tx = self.conn.savepoint().context("receiving a person")?;
        let added = tx
            .execute(
                "INSERT INTO people(id, name, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO NOTHING",
                params![id, name, Utc::now()],
            )
            .context("receiving a person")?;
        mark_shared(&tx, *id.as_uuid(), "person", envelope)?;
        tx.commit().context("receiving a person")?;
        Ok(added == 1)
    }
}

/// Marks `record` as carried by `envelope`, unless it already is.
fn mark_shared(
    tx: &rusqlite::Connection,
    record: Uuid,
    kind: &str,
    envelope: Uuid,
) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO sync_shared(record, kind, envelope) VALUES (?1, ?2, ?3)
         ON CONFLICT(record) DO NOTHING",
        params![record, kind, envelope],
    )
    .context("marking a received record shared")?;
    Ok(())
}

#[cfg(test)]
mod tests;
