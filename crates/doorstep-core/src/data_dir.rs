//! A practitioner's data directory: the key file, the database and the sealed files, and the
//! operations that involve more than one of them (creating a store, unlocking it, changing the
//! passphrase).

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::keys::{DataKey, KdfParams, KeyFile, Passphrase, SecretKey, SyncKey};
use crate::store::{Keying, Store};

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
    files: PathBuf,
}

impl Unlocked {
    /// The key for sealing files into [`Unlocked::files_dir`].
    pub fn file_key(&self) -> SecretKey {
        self.key.file_key()
    }

    pub fn files_dir(&self) -> &Path {
        &self.files
    }

    /// The key that wraps the content keys of this account's sync envelopes.
    pub fn sync_key(&self) -> SyncKey {
        self.key.sync_key()
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
        if self.exists() {
            return Err(Error::StoreExists(self.root.clone()));
        }
        let root_existed = self.root.exists();
        let result = self.create_inside(passphrase, practitioner);
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
    ) -> Result<Unlocked, Error> {
        create_private_dir(&self.root)?;
        create_private_dir(&self.files_dir())?;
        let (key_file, key) = KeyFile::create(passphrase, KdfParams::recommended()?)?;
        // The database first: a crash before the key file is written leaves a database nobody can
        // open, which `create` reports rather than overwriting.
        let mut store =
            Store::create(&self.database_path(), &Keying::Encrypted(key.database_key()))?;
        if let Some(name) = practitioner {
            store.set_practitioner(name)?;
        }
        key_file.write(&self.key_file_path())?;
        Ok(Unlocked { store, key, files: self.files_dir() })
    }

    /// Unwraps the data key with `passphrase` and opens the store. A wrong passphrase is reported
    /// before the database is touched.
    pub fn unlock(&self, passphrase: &Passphrase) -> Result<Unlocked, Error> {
        let key = self.data_key(passphrase)?;
        let database = self.database_path();
        if !database.exists() {
            return Err(Error::DatabaseMissing(database));
        }
        let store = Store::open(&database, &Keying::Encrypted(key.database_key()))?;
        Ok(Unlocked { store, key, files: self.files_dir() })
    }

    /// A second device of the same account: the key file was brought over from the first
    /// device, and this makes the empty store that syncing will fill. Refused if a database is
    /// already here, so it can never replace records.
    pub fn create_store_for_key_file(&self, passphrase: &Passphrase) -> Result<Unlocked, Error> {
        let key = self.data_key(passphrase)?;
        let database = self.database_path();
        if database.exists() {
            return Err(Error::StoreExists(database));
        }
        create_private_dir(&self.files_dir())?;
        let store = Store::create(&database, &Keying::Encrypted(key.database_key()))?;
        Ok(Unlocked { store, key, files: self.files_dir() })
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

    fn data_key(&self, passphrase: &Passphrase) -> Result<DataKey, Error> {
        Ok(self.key_file()?.unlock(passphrase, &self.key_file_path())?)
    }

    /// Re-wraps the data key under `new`; the database and sealed files are untouched.
    pub fn change_passphrase(&self, old: &Passphrase, new: &Passphrase) -> Result<(), Error> {
        let key_file = self.key_file()?;
        let key = key_file.unlock(old, &self.key_file_path())?;
        key_file.rewrap(&key, new)?.write(&self.key_file_path())?;
        Ok(())
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
