//! Pulled envelopes set aside: ones this device could not open (tampered, another key, a kind
//! or format from a newer version) or could not apply (a note whose person is not here).
//!
//! Without this, one bad envelope would stop every later pull at its cursor for good. Set aside
//! with its reason, it lets the cursor move on, and stays here to be tried again on each sync:
//! what a newer version or a later envelope makes readable is applied then. Only ciphertext and
//! metadata are kept (the envelope's wire JSON), and reasons never carry record content.

use chrono::{DateTime, Utc};
use rusqlite::params;
use uuid::Uuid;

use super::super::Store;
use crate::error::{Error, SqlContext};

/// An envelope waiting in quarantine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    pub id: Uuid,
    /// Its cursor on the server.
    pub cursor: u64,
    /// The envelope's wire JSON, as pulled.
    pub envelope: String,
    /// Why it was set aside, the last time it was tried.
    pub reason: String,
    pub first_at: DateTime<Utc>,
}

impl Store {
    /// Sets a pulled envelope aside, or updates the reason of one already set aside.
    pub fn quarantine(
        &mut self,
        id: Uuid,
        cursor: u64,
        envelope: &str,
        reason: &str,
    ) -> Result<(), Error> {
        let now = Utc::now();
        self.conn
            .execute(
                "INSERT INTO sync_quarantine(id, cursor, envelope, reason, first_at, last_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT(id) DO UPDATE SET reason = excluded.reason, last_at = excluded.last_at",
                params![id, cursor, envelope, reason, now],
            )
            .context("setting an envelope aside")?;
        Ok(())
    }

    /// Every envelope set aside, in the server's order.
    pub fn quarantined(&self) -> Result<Vec<Quarantined>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, cursor, envelope, reason, first_at FROM sync_quarantine ORDER BY cursor",
            )
            .context("reading envelopes set aside")?;
        stmt.query_map([], |r| {
            Ok(Quarantined {
                id: r.get(0)?,
                cursor: r.get(1)?,
                envelope: r.get(2)?,
                reason: r.get(3)?,
                first_at: r.get(4)?,
            })
        })
        .and_then(Iterator::collect)
        .context("reading envelopes set aside")
    }

    /// Takes an envelope out of quarantine (it has been applied since).
    pub fn release(&mut self, id: Uuid) -> Result<(), Error> {
        self.conn
            .execute("DELETE FROM sync_quarantine WHERE id = ?1", [id])
            .context("releasing an envelope set aside")?;
        Ok(())
    }

    pub fn quarantined_count(&self) -> Result<u64, Error> {
        self.conn
            .query_row("SELECT count(*) FROM sync_quarantine", [], |r| r.get(0))
            .context("counting envelopes set aside")
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_support::scratch_store;

    use super::*;

    #[test]
    fn envelopes_set_aside_are_kept_in_server_order_until_released() {
        let (_dir, mut store) = scratch_store();
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        store.quarantine(b, 9, "{\"id\":\"b\"}", "tampered").unwrap();
        store.quarantine(a, 4, "{\"id\":\"a\"}", "no such person").unwrap();
        store.quarantine(b, 9, "{\"id\":\"b\"}", "still tampered").unwrap();
        let held = store.quarantined().unwrap();
        assert_eq!(held.iter().map(|q| q.id).collect::<Vec<_>>(), [a, b]);
        assert_eq!(held[1].reason, "still tampered");
        assert_eq!(store.quarantined_count().unwrap(), 2);
        store.release(a).unwrap();
        assert_eq!(store.quarantined_count().unwrap(), 1);
    }
}
