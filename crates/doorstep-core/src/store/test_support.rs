//! What the store's unit tests share: a fresh encrypted store in a temporary folder, and a person
//! to write notes about.

use super::{Keying, Store};
use crate::ids::PersonId;
use crate::keys::DataKey;
use crate::model::NewPerson;

/// A new encrypted store; the folder lives as long as the returned guard.
pub(crate) fn scratch_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let key = Keying::Encrypted(DataKey::from_bytes([7u8; 32]).database_key());
    let store = Store::create(&dir.path().join("test.db"), &key).unwrap();
    (dir, store)
}

pub(crate) fn add_person(store: &mut Store, name: &str) -> PersonId {
    store.add_person(&NewPerson { name: name.into(), ..NewPerson::default() }).unwrap().id
}
