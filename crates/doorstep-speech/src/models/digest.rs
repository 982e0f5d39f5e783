//! File checksums: sha1 (what whisper.cpp publishes for its models) and sha256 (what Doorstep
//! records for models it converts itself), read in chunks so large models never sit in memory.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use sha1::{Digest, Sha1};
use sha2::Sha256;

/// Which checksum a digest is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    Sha1,
    Sha256,
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
        })
    }
}

/// A file's checksum in lowercase hex, and its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub hex: String,
    pub bytes: u64,
}

/// Hashes the file at `path` with `algorithm`.
pub fn digest_file(path: &Path, algorithm: Algorithm) -> io::Result<FileDigest> {
    match algorithm {
        Algorithm::Sha1 => hash_with(path, Sha1::new()),
        Algorithm::Sha256 => hash_with(path, Sha256::new()),
    }
}

fn hash_with<D: Digest>(path: &Path, mut hasher: D) -> io::Result<FileDigest> {
    let bytes = feed(path, &mut hasher)?;
    Ok(FileDigest { hex: hex::encode(hasher.finalize()), bytes })
}

/// Feeds the whole file at `path` to `hasher`; returns how many bytes it held.
pub(crate) fn feed<D: Digest>(path: &Path, hasher: &mut D) -> io::Result<u64> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        std::fs::write(&path, b"abc").unwrap();
        let sha1 = digest_file(&path, Algorithm::Sha1).unwrap();
        assert_eq!(sha1.hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(sha1.bytes, 3);
        let sha256 = digest_file(&path, Algorithm::Sha256).unwrap();
        assert_eq!(sha256.hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
