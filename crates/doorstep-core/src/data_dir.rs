//! A practitioner's data directory: the key file, the database and the sealed files, and the
//! operations that involve more than one of them (creating a store, unlocking it, changing the
//! passphrase, the organisation's recovery wrap and recovery, and wiping it: [`wipe`]).

mod wipe;

use std::fs;
use std::path::{Path, PathBuf};

use uuid::Uuid;

use crate::error::Error;
use crate::ids::DeviceId;
use crate::keys::{
    DataKey, InvitationSecret, KdfParams, KeyFile, OrgPublicKey, OrgSecretKey, Passphrase,
    SecretKey, SyncKey,
};
use crate::store::{Keying, Store, SyncServer};

pub use wipe::WipeReport;

const DATABASE: &str = "doorstep.db";
const KEY_FILE: &str = "keys.json";
const FILES: &str = "files";

#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

/// An open store and the key that opened it.
#[derive(Debug)]
pub struct Unlocked {
    pub store: Store,
    key: DataKey,
    /// The key file's name for `key`, so the key is only ever re-wrapped into its own file.
    key_id: Uuid,
    files: PathBuf,
    /// The key of the caseload this store joined, read from the store when it was opened.
    space_key: Option<SyncKey>,
}

impl Unlocked {
    fn new(store: Store, key: DataKey, key_id: Uuid, files: PathBuf) -> Result<Self, Error> {
        let space_key = store.space_key()?;
        Ok(Self { store, key, key_id, files, space_key })
    }

    /// The key for sealing files into [`Unlocked::files_dir`].
    pub fn file_key(&self) -> SecretKey {
        self.key.file_key()
    }

    pub fn files_dir(&self) -> &Path {
        &self.files
    }

    /// The key that wraps the content keys of the sync envelopes of this store's space: the key
    /// of the caseload it joined, or else the account's own.
    pub fn sync_key(&self) -> SyncKey {
        self.space_key.clone().unwrap_or_else(|| self.key.sync_key())
    }

    /// This account's invitation key pair: a colleague seals their caseload's key to its public
    /// half, and only this account opens it.
    pub fn invitation_secret(&self) -> InvitationSecret {
        self.key.invitation_secret()
    }

    /// Makes this store sync with `server` as `device`, in the space whose key is `space_key`
    /// (`None`: the account's own), from now on.
    pub fn set_sync_server(
        &mut self,
        device: DeviceId,
        server: &SyncServer,
        space_key: Option<SyncKey>,
    ) -> Result<(), Error> {
        self.store.set_sync_server(device, server, space_key.as_ref())?;
        self.space_key = space_key;
        Ok(())
    }
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database_path(&self) -> PathBuf {
        self.root.join(DATABASE)
    }

    pub fn key_file_path(&self) -> PathBuf {
        self.root.join(KEY_FILE)
    }

    pub fn files_dir(&self) -> PathBuf {
        self.root.join(FILES)
    }

    pub fn exists(&self) -> bool {
        self.key_file_path().exists() || self.database_path().exists()
    }

    /// Creates the directory (private to this user), a new data key wrapped by `passphrase`,
    /// and an empty encrypted store.
    pub fn create(
        &self,
        passphrase: &Passphrase,
        practitioner: Option<&str>,
    ) -> Result<Unlocked, Error> {
        self.create_with_recovery(passphrase, practitioner, None)
    }

    /// [`DataDir::create`], with the new data key also sealed to the organisation's recovery key
    /// `recovery` in the same key file, so the store is recoverable from its first record on.
    pub fn create_with_recovery(
        &self,
        passphrase: &Passphrase,
        practitioner: Option<&str>,
        recovery: Option<&OrgPublicKey>,
    ) -> Result<Unlocked, Error> {
        if self.exists() {
            return Err(Error::StoreExists(self.root.clone()));
        }
        let root_existed = self.root.exists();
        let result = self.create_inside(passphrase, practitioner, recovery);
        if result.is_err() {
            // Undo only what this call made: nothing in it holds a record yet.
            let db = self.database_path();
            for suffix in ["", "-wal", "-shm"] {
                let _ = fs::remove_file(format!("{}{suffix}", db.display()));
            }
            let _ = fs::remove_file(self.key_file_path());
            let _ = fs::remove_dir(self.files_dir());
            if !root_existed {
                let _ = fs::remove_dir(&self.root);
            }
        }
        result
    }

    fn create_inside(
        &self,
        passphrase: &Passphrase,
        practitioner: Option<&str>,
        recovery: Option<&OrgPublicKey>,
    ) -> Result<Unlocked, Error> {
        create_private_dir(&self.root)?;
        create_private_dir(&self.files_dir())?;
        let (mut key_file, key) = KeyFile::create(passphrase, KdfParams::recommended()?)?;
        if let Some(org) = recovery {
            key_file = key_file.with_recovery(&key, org)?;
        }
        // The database first: a crash before the key file is written leaves a database nobody can
        // open, which `create` reports rather than overwriting.
        let mut store =
            Store::create(&self.database_path(), &Keying::Encrypted(key.database_key()))?;
        if let Some(name) = practitioner {
            store.set_practitioner(name)?;
        }
        key_file.write(&self.key_file_path())?;
        Unlocked::new(store, key, key_file.key_id(), self.files_dir())
    }

    /// Unwraps the data key with `passphrase` and opens the store. A wrong passphrase is reported
    /// before the database is touched.
    pub fn unlock(&self, passphrase: &Passphrase) -> Result<Unlocked, Error> {
        let (key, key_id) = self.data_key(passphrase)?;
        let database = self.database_path();
        if !database.exists() {
            return Err(Error::DatabaseMissing(database));
        }
        let store = Store::open(&database, &Keying::Encrypted(key.database_key()))?;
        Unlocked::new(store, key, key_id, self.files_dir())
    }

    /// A second device of the same account: the key file was brought over from the first
    /// device, and this makes the empty store that syncing will fill. Refused if a database is
    /// already here, so it can never replace records.
    pub fn create_store_for_key_file(&self, passphrase: &Passphrase) -> Result<Unlocked, Error> {
        let (key, key_id) = self.data_key(passphrase)?;
        let database = self.database_path();
        if database.exists() {
            return Err(Error::StoreExists(database));
        }
        create_private_dir(&self.files_dir())?;
        let store = Store::create(&database, &Keying::Encrypted(key.database_key()))?;
        Unlocked::new(store, key, key_id, self.files_dir())
    }

    fn key_file(&self) -> Result<KeyFile, Error> {
        let path = self.key_file_path();
        if !path.exists() {
            return Err(if self.database_path().exists() {
                Error::KeyFileMissing(self.database_path())
            } else {
                Error::NoStore(self.root.clone())
            });
        }
        Ok(KeyFile::read(&path)?)
    }

    fn data_key(&self, passphrase: &Passphrase) -> Result<(DataKey, Uuid), Error> {
        let key_file = self.key_file()?;
        Ok((key_file.unlock(passphrase, &self.key_file_path())?, key_file.key_id()))
    }

    /// Re-wraps the data key under `new`; the database and sealed files are untouched.
    pub fn change_passphrase(&self, old: &Passphrase, new: &Passphrase) -> Result<(), Error> {
        let key_file = self.key_file()?;
        let key = key_file.unlock(old, &self.key_file_path())?;
        key_file.rewrap(&key, new)?.write(&self.key_file_path())?;
        Ok(())
    }

    /// The organisation key this store's data key is also sealed to, if any.
    pub fn recovery_key(&self) -> Result<Option<OrgPublicKey>, Error> {
        Ok(self.key_file()?.recovery_key().copied())
    }

    /// Seals the data key of `unlocked` (a store of this directory) to the organisation's
    /// recovery key too. Returns whether the key file changed: not when it is already sealed to
    /// `org`. A key file sealed to another organisation key is refused, not re-sealed: only the
    /// organisation decides to change its key.
    pub fn set_recovery_key(&self, unlocked: &Unlocked, org: &OrgPublicKey) -> Result<bool, Error> {
        let key_file = self.key_file()?;
        if key_file.key_id() != unlocked.key_id {
            return Err(Error::KeyFileReplaced(self.key_file_path()));
        }
        match key_file.recovery_key() {
            Some(current) if current == org => return Ok(false),
            Some(current) => {
                return Err(Error::OtherRecoveryKey { current: *current, given: *org });
            }
            None => {}
        }
        key_file.with_recovery(&unlocked.key, org)?.write(&self.key_file_path())?;
        Ok(true)
    }

    /// For a forgotten passphrase: opens the organisation's recovery wrap with its private key,
    /// checks that the data key opens this store, and only then wraps it under `new`. The store
    /// and its files are untouched, and on any error so is the key file.
    pub fn recover(&self, org: &OrgSecretKey, new: &Passphrase) -> Result<Unlocked, Error> {
        let key_file = self.key_file()?;
        let key = key_file.recover(org)?;
        let database = self.database_path();
        if !database.exists() {
            return Err(Error::DatabaseMissing(database));
        }
        let store = Store::open(&database, &Keying::Encrypted(key.database_key()))?;
        let rewrapped = key_file.rewrap(&key, new)?;
        let unlocked = Unlocked::new(store, key, key_file.key_id(), self.files_dir())?;
        rewrapped.write(&self.key_file_path())?;
        Ok(unlocked)
    }
}

fn create_private_dir(path: &Path) -> Result<(), Error> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path).map_err(|source| Error::Io {
        action: "create the directory",
        path: path.to_owned(),
        source,
    })
}
