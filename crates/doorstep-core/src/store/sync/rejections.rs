//! Rejected ecomap nodes on the move. A node the practitioner rejected on one device must not be
//! proposed again on another, so rejections travel too: a grow-only set per person (a rejection
//! is never withdrawn), which needs no clock to merge. Those made here are marked when sealed;
//! those received arrive marked, so nothing is sent back.

use rusqlite::{Connection, params};

use super::super::Store;
use super::super::ecomap::EcomapRejection;
use crate::error::{Error, SqlContext};
use crate::ids::PersonId;

/// A person's rejections no envelope carries yet, or as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRejections {
    pub person: PersonId,
    pub rejections: Vec<EcomapRejection>,
}

impl Store {
    /// Rejections made here and not sealed yet, by person.
    pub fn unshared_rejections(&self) -> Result<Vec<PersonRejections>, Error> {
        let rows: Vec<(PersonId, EcomapRejection)> = self
            .conn
            .prepare(
                "SELECT person, who, category FROM ecomap_rejections WHERE shared = 0
                 ORDER BY person, rejected_at, who",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((r.get(0)?, EcomapRejection { who: r.get(1)?, category: r.get(2)? }))
                })?
                .collect()
            })
            .context("listing rejections to share")?;
        let mut out: Vec<PersonRejections> = Vec::new();
        for (person, rejection) in rows {
            match out.last_mut() {
                Some(last) if last.person == person => last.rejections.push(rejection),
                _ => out.push(PersonRejections { person, rejections: vec![rejection] }),
            }
        }
        Ok(out)
    }

    /// How many people have rejections made here and not sealed yet.
    pub(super) fn unshared_rejection_count(&self) -> Result<u64, Error> {
        self.conn
            .query_row(
                "SELECT count(DISTINCT person) FROM ecomap_rejections WHERE shared = 0",
                [],
                |r| r.get(0),
            )
            .context("counting rejections to share")
    }

    /// Rejections made on another device for a person who must be here. Returns whether any
    /// was new.
    pub fn receive_rejections(&mut self, received: &PersonRejections) -> Result<bool, Error> {
        let tx = self.conn.savepoint().context("receiving rejections")?;
        let here: bool = tx
            .query_row("SELECT count(*) > 0 FROM people WHERE id = ?1", [received.person], |r| {
                r.get(0)
            })
            .context("receiving rejections")?;
        if !here {
            return Err(Error::NoSuchPerson(received.person.to_string()));
        }
        let mut added = 0;
        for rejection in &received.rejections {
            let who = rejection.who.trim();
            if who.is_empty() {
                return Err(Error::Empty { what: "the name of a rejected ecomap node" });
            }
            added += tx
                .execute(
                    "INSERT OR IGNORE INTO ecomap_rejections(person, who, category, rejected_at,
                                                             shared)
                     VALUES (?1, ?2, ?3, ?4, 1)",
                    params![received.person, who, rejection.category, chrono::Utc::now()],
                )
                .context("receiving rejections")?;
        }
        tx.commit().context("receiving rejections")?;
        Ok(added > 0)
    }
}

/// Marks sealed rejections as carried.
pub(super) fn record_sealed(tx: &Connection, sealed: &PersonRejections) -> Result<(), Error> {
    for rejection in &sealed.rejections {
        tx.execute(
            "UPDATE ecomap_rejections SET shared = 1
             WHERE person = ?1 AND who = ?2 AND category = ?3",
            params![sealed.person, rejection.who, rejection.category],
        )
        .context("marking rejections shared")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TieCategory;
    use crate::store::sync::{Carries, Outgoing};
    use crate::store::test_support::{add_person, scratch_store};

    #[test]
    fn a_rejection_made_here_travels_once_and_one_received_is_kept_and_not_sent_back() {
        let (_dir, mut a) = scratch_store();
        let joan = add_person(&mut a, "Joan Platt");
        let rejection = EcomapRejection { who: "Dave".into(), category: TieCategory::Friend };
        a.reject_ecomap_node(joan, &rejection).unwrap();
        let waiting = a.unshared_rejections().unwrap();
        assert_eq!(
            waiting,
            [PersonRejections { person: joan, rejections: vec![rejection.clone()] }]
        );
        assert_eq!(a.unshared_rejection_count().unwrap(), 1);
        let queued = Outgoing {
            id: uuid::Uuid::now_v7(),
            kind: "ecomap-rejections".into(),
            envelope: "{}".into(),
            carries: Carries::Rejections(waiting[0].clone()),
        };
        a.queue_outgoing(&[queued]).unwrap();
        assert!(a.unshared_rejections().unwrap().is_empty());

        let (_other, mut b) = scratch_store();
        assert!(
            b.receive_rejections(&waiting[0]).unwrap_err().is_refusal(),
            "nobody to reject for"
        );
        b.receive_person_field(
            uuid::Uuid::now_v7(),
            joan,
            "name",
            Some("Joan Platt"),
            crate::store::ChangeStamp {
                wall_ms: 1,
                counter: 0,
                device: uuid::Uuid::now_v7(),
                record: uuid::Uuid::now_v7(),
            },
        )
        .unwrap();
        assert!(b.receive_rejections(&waiting[0]).unwrap());
        assert!(!b.receive_rejections(&waiting[0]).unwrap(), "a replay");
        assert_eq!(b.ecomap_rejections(joan).unwrap(), [rejection]);
        assert!(b.unshared_rejections().unwrap().is_empty(), "sent back");
    }
}
