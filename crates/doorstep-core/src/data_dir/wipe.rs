//! Wiping a device's store by crypto-shredding: the key file, which holds the only wraps of the
//! data key on this device, is overwritten with random bytes, flushed and deleted first; then the
//! database (with its WAL and shared memory) and the sealed files go. Everything left behind
//! anywhere on the disk (freed blocks, an SSD's remapped pages) was encrypted under keys derived
//! from that data key, so once the wraps are gone nothing of the store can be read on this device.
//!
//! The order matters: a wipe cut short after the first step already leaves nothing readable. Key
//! file temporaries (`.tmp*`, left by a crash in the middle of an atomic key-file write) are
//! shredded with it, since they hold a wrap too. Anything else in the directory is not the
//! store's (downloaded speech models, for instance), is left alone and reported.

use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{DataDir, KEY_FILE};
use crate::error::Error;

/// What a wipe did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WipeReport {
    /// Files holding wrapped keys, overwritten with random bytes before they were deleted.
    pub shredded: Vec<PathBuf>,
    /// The database, its WAL and shared-memory files, and the sealed files, deleted.
    pub deleted: Vec<PathBuf>,
    /// Entries of the directory that are not the store's, left as they were.
    pub left: Vec<PathBuf>,
    /// The data directory itself was removed (nothing was left in it).
    pub removed_dir: bool,
}

impl DataDir {
    /// Crypto-shreds this directory's store (see the module docs). Works without the passphrase,
    /// so a store whose passphrase is lost can still be wiped; the caller decides whether
    /// unsynced records may be lost before calling it.
    pub fn wipe(&self) -> Result<WipeReport, Error> {
        if !self.exists() && !self.files_dir().exists() {
            return Err(Error::NoStore(self.root.clone()));
        }
        let mut report = WipeReport::default();
        for path in self.key_material()? {
            shred(&path)?;
            report.shredded.push(path);
        }
        sync_dir(&self.root)?;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let path = PathBuf::from(format!("{}{suffix}", self.database_path().display()));
            if remove(&path, |p| fs::remove_file(p))? {
                report.deleted.push(path);
            }
        }
        let files = self.files_dir();
        if remove(&files, |p| fs::remove_dir_all(p))? {
            report.deleted.push(files);
        }
        sync_dir(&self.root)?;
        report.left = entries(&self.root)?;
        if report.left.is_empty() {
            report.removed_dir = remove(&self.root, |p| fs::remove_dir(p))?;
        }
        Ok(report)
    }

    /// The key file and any temporaries of it.
    fn key_material(&self) -> Result<Vec<PathBuf>, Error> {
        let mut found: Vec<PathBuf> = entries(&self.root)?
            .into_iter()
            .filter(|path| {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                (name == KEY_FILE || name.starts_with(".tmp")) && path.is_file()
            })
            .collect();
        // The key file itself first.
        found.sort_by_key(|path| path.file_name().and_then(|n| n.to_str()) != Some(KEY_FILE));
        Ok(found)
    }
}

/// Overwrites the whole file with random bytes, flushes that to disk, then deletes it.
fn shred(path: &Path) -> Result<(), Error> {
    let io = |source| Error::Io { action: "overwrite", path: path.to_owned(), source };
    let mut file = fs::OpenOptions::new().write(true).open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut block = [0u8; 4096];
    let mut left = len;
    while left > 0 {
        let n = usize::try_from(left.min(block.len() as u64)).unwrap_or(block.len());
        getrandom::fill(&mut block[..n]).map_err(|e| io(std::io::Error::other(e)))?;
        file.write_all(&block[..n]).map_err(io)?;
        left -= n as u64;
    }
    file.sync_all().map_err(io)?;
    drop(file);
    fs::remove_file(path).map_err(|source| Error::Io {
        action: "delete",
        path: path.to_owned(),
        source,
    })
}

/// Removes `path` with `how`; `false` if it was not there.
fn remove(path: &Path, how: impl Fn(&Path) -> std::io::Result<()>) -> Result<bool, Error> {
    match how(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(Error::Io { action: "delete", path: path.to_owned(), source }),
    }
}

/// The directory's entries, sorted; none if it does not exist.
fn entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io { action: "list", path: dir.to_owned(), source };
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut paths =
        read.map(|entry| entry.map(|e| e.path())).collect::<Result<Vec<_>, _>>().map_err(io)?;
    paths.sort();
    Ok(paths)
}

/// Flushes the directory's entries (the deletions) to disk, where the platform allows it.
fn sync_dir(dir: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|source| Error::Io {
            action: "flush",
            path: dir.to_owned(),
            source,
        })?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Passphrase;

    fn pass() -> Passphrase {
        Passphrase::new("river stones flowing".into()).unwrap()
    }

    #[test]
    fn a_wipe_shreds_the_keys_deletes_the_store_and_leaves_what_is_not_ours() {
        let home = tempfile::tempdir().unwrap();
        let dir = DataDir::new(home.path().join("data"));
        let mut unlocked = dir.create(&pass(), Some("Sam")).unwrap();
        unlocked.store.set_practitioner("Sam Okafor").unwrap();
        drop(unlocked);
        fs::write(dir.root().join(".tmpAbC123"), b"a stale key-file temporary").unwrap();
        fs::create_dir_all(dir.files_dir().join("recordings")).unwrap();
        fs::write(dir.files_dir().join("recordings/r.sealed"), b"sealed").unwrap();
        fs::create_dir_all(dir.root().join("models")).unwrap();

        let report = dir.wipe().unwrap();
        assert_eq!(
            report.shredded,
            [dir.key_file_path(), dir.root().join(".tmpAbC123")],
            "the key file first"
        );
        assert!(report.deleted.contains(&dir.database_path()));
        assert!(report.deleted.contains(&dir.files_dir()));
        assert_eq!(report.left, [dir.root().join("models")]);
        assert!(!report.removed_dir);
        assert!(!dir.exists());
        assert!(matches!(dir.unlock(&pass()), Err(Error::NoStore(_))));

        fs::remove_dir(dir.root().join("models")).unwrap();
        assert!(matches!(dir.wipe(), Err(Error::NoStore(_))));
    }

    #[test]
    fn shredding_overwrites_every_byte_before_deleting() {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("keys.json");
        let secret = vec![b'k'; 10_000];
        fs::write(&path, &secret).unwrap();
        // A second name for the same inode sees what shredding wrote.
        let link = home.path().join("link");
        fs::hard_link(&path, &link).unwrap();
        shred(&path).unwrap();
        assert!(!path.exists());
        let after = fs::read(&link).unwrap();
        assert_eq!(after.len(), secret.len());
        assert!(after.windows(16).all(|w| w != &secret[..16]), "key bytes survived");
    }
}
