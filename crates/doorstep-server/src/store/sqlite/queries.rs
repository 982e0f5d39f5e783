//! The SQL behind each [`Backend`](crate::store::Backend) operation, as plain functions over a
//! connection, so each reads top to bottom without the blocking-pool plumbing around it.

use doorstep_wire::{Bytes, DeviceInfo, Envelope, Hlc, PushResponse, Stored};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use crate::store::{AuthDevice, NewDevice, Page, StoreError, StoreResult, page_extent};
use crate::token::TokenHash;

fn exists(tx: &Transaction<'_>, sql: &str, id: Uuid) -> StoreResult<bool> {
    Ok(tx.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
}

fn insert_device(
    tx: &Transaction<'_>,
    space: Uuid,
    device: &NewDevice,
    by: Option<Uuid>,
    now: &str,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO devices (id, space, name, token_hash, enrolled_at, enrolled_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![device.device, space, device.name, &device.token_hash.0[..], now, by],
    )?;
    Ok(())
}

pub(super) fn create_space(
    conn: &mut Connection,
    space: Uuid,
    first: &NewDevice,
    now: &str,
) -> StoreResult<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if exists(&tx, "SELECT 1 FROM spaces WHERE id = ?1", space)? {
        return Err(StoreError::SpaceExists);
    }
    if exists(&tx, "SELECT 1 FROM devices WHERE id = ?1", first.device)? {
        return Err(StoreError::DeviceExists);
    }
    tx.execute("INSERT INTO spaces (id, created_at) VALUES (?1, ?2)", params![space, now])?;
    insert_device(&tx, space, first, None, now)?;
    tx.commit()?;
    Ok(())
}

pub(super) fn enrol_device(
    conn: &mut Connection,
    space: Uuid,
    by: Uuid,
    device: &NewDevice,
    now: &str,
) -> StoreResult<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if !exists(&tx, "SELECT 1 FROM spaces WHERE id = ?1", space)? {
        return Err(StoreError::UnknownSpace);
    }
    if exists(&tx, "SELECT 1 FROM devices WHERE id = ?1", device.device)? {
        return Err(StoreError::DeviceExists);
    }
    insert_device(&tx, space, device, Some(by), now)?;
    tx.commit()?;
    Ok(())
}

pub(super) fn list_devices(conn: &Connection, space: Uuid) -> StoreResult<Vec<DeviceInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, enrolled_at, revoked_at IS NOT NULL FROM devices
         WHERE space = ?1 ORDER BY rowid",
    )?;
    let rows = stmt.query_map([space], |row| {
        Ok(DeviceInfo {
            device: row.get(0)?,
            name: row.get(1)?,
            enrolled_at: row.get(2)?,
            revoked: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn revoke_device(
    conn: &mut Connection,
    space: Uuid,
    device: Uuid,
    now: &str,
) -> StoreResult<()> {
    let changed = conn.execute(
        "UPDATE devices SET revoked_at = coalesce(revoked_at, ?3) WHERE space = ?1 AND id = ?2",
        params![space, device, now],
    )?;
    if changed == 0 {
        return Err(StoreError::UnknownDevice);
    }
    Ok(())
}

pub(super) fn authenticate(conn: &Connection, token: TokenHash) -> StoreResult<Option<AuthDevice>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, space, revoked_at IS NOT NULL FROM devices WHERE token_hash = ?1",
    )?;
    let found = stmt
        .query_row([&token.0[..]], |row| {
            Ok(AuthDevice { device: row.get(0)?, space: row.get(1)?, revoked: row.get(2)? })
        })
        .optional()?;
    Ok(found)
}

pub(super) fn push(
    conn: &mut Connection,
    space: Uuid,
    envelopes: &[Envelope],
    now: &str,
) -> StoreResult<PushResponse> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut last: u64 = tx
        .query_row("SELECT last_cursor FROM spaces WHERE id = ?1", [space], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::UnknownSpace)?;
    let mut outcome = PushResponse { stored: Vec::new(), duplicates: Vec::new() };
    {
        // A held id leaves its row untouched: the insert does nothing and the id is reported.
        let mut insert = tx.prepare_cached(
            "INSERT INTO envelopes (space, cursor, id, kind, author, hlc_wall_ms, hlc_counter,
                 hlc_device, wrapped_key, ciphertext, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (space, id) DO NOTHING",
        )?;
        for envelope in envelopes {
            let cursor = last + 1;
            let inserted = insert.execute(params![
                space,
                cursor,
                envelope.id,
                envelope.kind,
                envelope.author,
                envelope.hlc.wall_ms,
                envelope.hlc.counter,
                envelope.hlc.device,
                envelope.wrapped_key.0,
                envelope.ciphertext.0,
                now,
            ])?;
            if inserted == 1 {
                last = cursor;
                outcome.stored.push(envelope.id);
            } else {
                outcome.duplicates.push(envelope.id);
            }
        }
    }
    tx.execute("UPDATE spaces SET last_cursor = ?2 WHERE id = ?1", params![space, last])?;
    tx.commit()?;
    Ok(outcome)
}

pub(super) fn pull(conn: &Connection, space: Uuid, after: u64, limit: usize) -> StoreResult<Page> {
    // Cursors are stored as SQLite integers, so none is above i64::MAX.
    let after = after.min(i64::MAX.cast_unsigned());
    // One more than asked, to tell whether more follow; sizes first, to cut the page by bytes
    // without reading what will not be sent.
    let fetch = limit.saturating_add(1);
    let sizes = conn
        .prepare_cached(
            "SELECT cursor, length(wrapped_key) + length(ciphertext) FROM envelopes
             WHERE space = ?1 AND cursor > ?2 ORDER BY cursor LIMIT ?3",
        )?
        .query_map(params![space, after, fetch], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<Vec<(u64, u64)>, _>>()?;
    let (Some(last), count) = page_extent(&sizes, limit) else {
        return Ok(Page { envelopes: Vec::new(), more: false });
    };
    let mut stmt = conn.prepare_cached(
        "SELECT cursor, id, kind, author, hlc_wall_ms, hlc_counter, hlc_device, wrapped_key,
             ciphertext
         FROM envelopes WHERE space = ?1 AND cursor > ?2 AND cursor <= ?3 ORDER BY cursor",
    )?;
    let rows = stmt.query_map(params![space, after, last], |row| {
        Ok(Stored {
            cursor: row.get(0)?,
            envelope: Envelope {
                id: row.get(1)?,
                kind: row.get(2)?,
                author: row.get(3)?,
                hlc: Hlc { wall_ms: row.get(4)?, counter: row.get(5)?, device: row.get(6)? },
                wrapped_key: Bytes(row.get(7)?),
                ciphertext: Bytes(row.get(8)?),
            },
        })
    })?;
    let envelopes = rows.collect::<Result<Vec<_>, _>>()?;
    Ok(Page { envelopes, more: sizes.len() > count })
}
