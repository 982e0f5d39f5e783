//! The SQL behind each [`Backend`](crate::store::Backend) operation on PostgreSQL, as plain
//! functions over a pooled connection. Races between servers are settled by the database:
//! `ON CONFLICT DO NOTHING` tells a taken id from a new one, and a push holds its space's row
//! lock until it commits.

use std::collections::HashSet;

use deadpool_postgres::{Client, Transaction};
use doorstep_wire::{Bytes, DeviceInfo, Envelope, Hlc, PushResponse, Stored};
use tokio_postgres::Row;
use uuid::Uuid;

use crate::store::{AuthDevice, NewDevice, Page, StoreError, StoreResult, page_extent};
use crate::token::TokenHash;

/// What the database holds or did that cannot happen while only this backend writes to it.
#[derive(Debug, thiserror::Error)]
enum Inconsistent {
    #[error("{0} is out of range")]
    OutOfRange(&'static str),
    #[error("a push inserted {inserted} envelopes instead of {expected}")]
    Inserted { inserted: u64, expected: usize },
}

fn out_of_range(what: &'static str) -> StoreError {
    StoreError::Backend(Box::new(Inconsistent::OutOfRange(what)))
}

/// Inserts a device unless its id is taken; whether it was inserted.
async fn insert_device(
    tx: &Transaction<'_>,
    space: Uuid,
    device: &NewDevice,
    by: Option<Uuid>,
) -> StoreResult<bool> {
    let inserted = tx
        .execute(
            "INSERT INTO devices (id, space, name, token_hash, enrolled_at, enrolled_by)
             VALUES ($1, $2, $3, $4, now(), $5)
             ON CONFLICT (id) DO NOTHING",
            &[&device.device, &space, &device.name, &&device.token_hash.0[..], &by],
        )
        .await?;
    Ok(inserted == 1)
}

pub(super) async fn create_space(
    client: &mut Client,
    space: Uuid,
    first: &NewDevice,
) -> StoreResult<()> {
    let tx = client.transaction().await?;
    let created = tx
        .execute(
            "INSERT INTO spaces (id, created_at) VALUES ($1, now()) ON CONFLICT (id) DO NOTHING",
            &[&space],
        )
        .await?;
    if created == 0 {
        return Err(StoreError::SpaceExists);
    }
    // Dropping the transaction on a refusal rolls the space back.
    if !insert_device(&tx, space, first, None).await? {
        return Err(StoreError::DeviceExists);
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn enrol_device(
    client: &mut Client,
    space: Uuid,
    by: Uuid,
    device: &NewDevice,
) -> StoreResult<()> {
    let tx = client.transaction().await?;
    if tx.query_opt("SELECT 1 FROM spaces WHERE id = $1", &[&space]).await?.is_none() {
        return Err(StoreError::UnknownSpace);
    }
    if !insert_device(&tx, space, device, Some(by)).await? {
        return Err(StoreError::DeviceExists);
    }
    tx.commit().await?;
    Ok(())
}

/// The same text the SQLite backend stores: RFC 3339 in UTC, to the millisecond.
fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(super) async fn list_devices(client: &Client, space: Uuid) -> StoreResult<Vec<DeviceInfo>> {
    let stmt = client
        .prepare_cached(
            "SELECT id, name, enrolled_at, revoked_at IS NOT NULL FROM devices
             WHERE space = $1 ORDER BY seq",
        )
        .await?;
    let rows = client.query(&stmt, &[&space]).await?;
    let device = |row: &Row| -> StoreResult<DeviceInfo> {
        Ok(DeviceInfo {
            device: row.try_get(0)?,
            name: row.try_get(1)?,
            enrolled_at: timestamp(row.try_get(2)?),
            revoked: row.try_get(3)?,
        })
    };
    rows.iter().map(device).collect()
}

pub(super) async fn revoke_device(client: &Client, space: Uuid, device: Uuid) -> StoreResult<()> {
    let changed = client
        .execute(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, now())
             WHERE space = $1 AND id = $2",
            &[&space, &device],
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::UnknownDevice);
    }
    Ok(())
}

pub(super) async fn authenticate(
    client: &Client,
    token: TokenHash,
) -> StoreResult<Option<AuthDevice>> {
    let stmt = client
        .prepare_cached(
            "SELECT id, space, revoked_at IS NOT NULL FROM devices WHERE token_hash = $1",
        )
        .await?;
    let Some(row) = client.query_opt(&stmt, &[&&token.0[..]]).await? else {
        return Ok(None);
    };
    Ok(Some(AuthDevice {
        device: row.try_get(0)?,
        space: row.try_get(1)?,
        revoked: row.try_get(2)?,
    }))
}

/// The new envelopes of a push, column by column, for one `INSERT ... SELECT FROM unnest(...)`.
#[derive(Default)]
struct Columns<'a> {
    cursor: Vec<i64>,
    id: Vec<Uuid>,
    kind: Vec<&'a str>,
    author: Vec<Uuid>,
    hlc_wall_ms: Vec<i64>,
    hlc_counter: Vec<i64>,
    hlc_device: Vec<Uuid>,
    wrapped_key: Vec<&'a [u8]>,
    ciphertext: Vec<&'a [u8]>,
}

impl<'a> Columns<'a> {
    fn push(&mut self, cursor: i64, envelope: &'a Envelope) -> StoreResult<()> {
        // The app refuses wall times above i64::MAX before they reach a backend.
        let wall_ms =
            i64::try_from(envelope.hlc.wall_ms).map_err(|_| out_of_range("a clock's wall time"))?;
        self.cursor.push(cursor);
        self.id.push(envelope.id);
        self.kind.push(&envelope.kind);
        self.author.push(envelope.author);
        self.hlc_wall_ms.push(wall_ms);
        self.hlc_counter.push(i64::from(envelope.hlc.counter));
        self.hlc_device.push(envelope.hlc.device);
        self.wrapped_key.push(&envelope.wrapped_key.0);
        self.ciphertext.push(&envelope.ciphertext.0);
        Ok(())
    }
}

pub(super) async fn push(
    client: &mut Client,
    space: Uuid,
    envelopes: &[Envelope],
) -> StoreResult<PushResponse> {
    let tx = client.transaction().await?;
    // The space's row lock: another push to this space, on this server or another, waits here
    // until this one commits, so cursors are given out in order and without gaps.
    let mut last: i64 = tx
        .query_opt("SELECT last_cursor FROM spaces WHERE id = $1 FOR UPDATE", &[&space])
        .await?
        .ok_or(StoreError::UnknownSpace)?
        .try_get(0)?;
    let ids: Vec<Uuid> = envelopes.iter().map(|e| e.id).collect();
    // Under the lock no other push can add to this space, so the ids held now are final.
    let held = tx
        .query("SELECT id FROM envelopes WHERE space = $1 AND id = ANY($2)", &[&space, &ids])
        .await?;
    let mut seen = held.iter().map(|row| row.try_get(0)).collect::<Result<HashSet<Uuid>, _>>()?;
    let mut outcome = PushResponse { stored: Vec::new(), duplicates: Vec::new() };
    let mut new = Columns::default();
    for envelope in envelopes {
        if seen.insert(envelope.id) {
            last += 1;
            new.push(last, envelope)?;
            outcome.stored.push(envelope.id);
        } else {
            outcome.duplicates.push(envelope.id);
        }
    }
    if !outcome.stored.is_empty() {
        // A held id leaves its row untouched. None can conflict under the lock, but if one did
        // the count would show it and the whole push rolls back rather than leave a gap.
        let inserted = tx
            .execute(
                "INSERT INTO envelopes (space, cursor, id, kind, author, hlc_wall_ms, hlc_counter,
                     hlc_device, wrapped_key, ciphertext, received_at)
                 SELECT $1, e.*, now() FROM unnest($2::bigint[], $3::uuid[], $4::text[],
                     $5::uuid[], $6::bigint[], $7::bigint[], $8::uuid[], $9::bytea[], $10::bytea[])
                     AS e
                 ON CONFLICT (space, id) DO NOTHING",
                &[
                    &space,
                    &new.cursor,
                    &new.id,
                    &new.kind,
                    &new.author,
                    &new.hlc_wall_ms,
                    &new.hlc_counter,
                    &new.hlc_device,
                    &new.wrapped_key,
                    &new.ciphertext,
                ],
            )
            .await?;
        let expected = outcome.stored.len();
        if usize::try_from(inserted).ok() != Some(expected) {
            return Err(StoreError::Backend(Box::new(Inconsistent::Inserted {
                inserted,
                expected,
            })));
        }
        tx.execute("UPDATE spaces SET last_cursor = $2 WHERE id = $1", &[&space, &last]).await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

fn stored(row: &Row) -> StoreResult<Stored> {
    let cursor: i64 = row.try_get(0)?;
    let wall_ms: i64 = row.try_get(4)?;
    let counter: i64 = row.try_get(5)?;
    Ok(Stored {
        cursor: u64::try_from(cursor).map_err(|_| out_of_range("a stored cursor"))?,
        envelope: Envelope {
            id: row.try_get(1)?,
            kind: row.try_get(2)?,
            author: row.try_get(3)?,
            hlc: Hlc {
                wall_ms: u64::try_from(wall_ms).map_err(|_| out_of_range("a stored wall time"))?,
                counter: u32::try_from(counter).map_err(|_| out_of_range("a stored counter"))?,
                device: row.try_get(6)?,
            },
            wrapped_key: Bytes(row.try_get(7)?),
            ciphertext: Bytes(row.try_get(8)?),
        },
    })
}

pub(super) async fn pull(
    client: &Client,
    space: Uuid,
    after: u64,
    limit: usize,
) -> StoreResult<Page> {
    // Cursors are bigints, so none is above i64::MAX.
    let after = i64::try_from(after).unwrap_or(i64::MAX);
    // One more than asked, to tell whether more follow; sizes first, to cut the page by bytes
    // without reading what will not be sent.
    let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
    let sizes = client
        .prepare_cached(
            "SELECT cursor, octet_length(wrapped_key) + octet_length(ciphertext) FROM envelopes
             WHERE space = $1 AND cursor > $2 ORDER BY cursor LIMIT $3",
        )
        .await?;
    let sizes = client
        .query(&sizes, &[&space, &after, &fetch])
        .await?
        .iter()
        .map(|row| {
            let cursor: i64 = row.try_get(0)?;
            let bytes: i32 = row.try_get(1)?;
            Ok((
                u64::try_from(cursor).map_err(|_| out_of_range("a cursor"))?,
                u64::try_from(bytes).map_err(|_| out_of_range("an envelope's size"))?,
            ))
        })
        .collect::<StoreResult<Vec<(u64, u64)>>>()?;
    let (Some(last), count) = page_extent(&sizes, limit) else {
        return Ok(Page { envelopes: Vec::new(), more: false });
    };
    let last = i64::try_from(last).map_err(|_| out_of_range("a cursor"))?;
    let stmt = client
        .prepare_cached(
            "SELECT cursor, id, kind, author, hlc_wall_ms, hlc_counter, hlc_device, wrapped_key,
                 ciphertext
             FROM envelopes WHERE space = $1 AND cursor > $2 AND cursor <= $3 ORDER BY cursor",
        )
        .await?;
    let rows = client.query(&stmt, &[&space, &after, &last]).await?;
    let envelopes = rows.iter().map(stored).collect::<StoreResult<Vec<_>>>()?;
    Ok(Page { envelopes, more: sizes.len() > count })
}
