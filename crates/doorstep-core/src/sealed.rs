//! Sealed files: audio and anything else the app keeps outside the database, encrypted.
//!
//! A sealed file is a header then a sequence of independently sealed frames, so a recording can
//! be appended to as it is captured and a crash loses at most the frame being written. Each
//! frame's associated data binds the file id, its position and whether it is the last frame, so
//! frames cannot be reordered, moved between files or dropped from the end unnoticed.
//!
//! ```text
//! header  "DSTPSEAL" | version u8 | file id (16 bytes)
//! frame   kind u8 (0 data, 1 final) | ciphertext length u32 LE | nonce (24) | ciphertext
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, BufWriter, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use uuid::Uuid;
use zeroize::Zeroizing;

use crate::keys::{NONCE_LEN, SealError, SecretKey, TAG_LEN};

const MAGIC: &[u8; 8] = b"DSTPSEAL";
const VERSION: u8 = 1;
const HEADER_LEN: usize = 8 + 1 + 16;
const KIND_DATA: u8 = 0;
const KIND_FINAL: u8 = 1;
/// Larger frames are refused on reading, so a damaged length cannot demand gigabytes.
pub const MAX_FRAME_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SealedFileError {
    #[error("cannot {action} sealed file {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("{path} is not a Doorstep sealed file")]
    NotSealed { path: PathBuf },
    #[error("{path} was sealed by a newer Doorstep (version {found})")]
    NewerVersion { path: PathBuf, found: u8 },
    #[error("{path} is truncated: {frames} complete frames and no end marker")]
    Truncated { path: PathBuf, frames: u64 },
    #[error("{path} is damaged or was sealed with another key (frame {frame})")]
    Damaged { path: PathBuf, frame: u64 },
    #[error("a frame of {0} bytes is larger than the {MAX_FRAME_BYTES}-byte limit")]
    FrameTooLarge(usize),
    #[error("the operating system's random source failed: {0}")]
    Random(getrandom::Error),
}

fn frame_aad(file_id: &Uuid, index: u64, kind: u8) -> Vec<u8> {
    let mut aad = Vec::with_capacity(HEADER_LEN + 9);
    aad.extend_from_slice(MAGIC);
    aad.push(VERSION);
    aad.extend_from_slice(file_id.as_bytes());
    aad.extend_from_slice(&index.to_le_bytes());
    aad.push(kind);
    aad
}

/// Appends sealed frames to a new file.
#[derive(Debug)]
pub struct SealedWriter {
    path: PathBuf,
    file: BufWriter<File>,
    key: SecretKey,
    file_id: Uuid,
    next_frame: u64,
}

impl SealedWriter {
    /// Creates `path`, failing if it exists: a sealed file is never overwritten in place.
    pub fn create(path: &Path, key: &SecretKey) -> Result<Self, SealedFileError> {
        let io = |source| SealedFileError::Io { action: "create", path: path.to_owned(), source };
        let file = OpenOptions::new().write(true).create_new(true).open(path).map_err(io)?;
        let mut file = BufWriter::new(file);
        let file_id = Uuid::now_v7();
        file.write_all(MAGIC).map_err(io)?;
        file.write_all(&[VERSION]).map_err(io)?;
        file.write_all(file_id.as_bytes()).map_err(io)?;
        Ok(Self { path: path.to_owned(), file, key: key.clone(), file_id, next_frame: 0 })
    }

    fn write_frame(&mut self, kind: u8, plaintext: &[u8]) -> Result<(), SealedFileError> {
        if plaintext.len() > MAX_FRAME_BYTES {
            return Err(SealedFileError::FrameTooLarge(plaintext.len()));
        }
        let aad = frame_aad(&self.file_id, self.next_frame, kind);
        let (nonce, ciphertext) = self.key.seal(&aad, plaintext).map_err(|e| match e {
            SealError::Random(e) => SealedFileError::Random(e),
            SealError::Authentication => {
                SealedFileError::Damaged { path: self.path.clone(), frame: self.next_frame }
            }
        })?;
        let io = |source| SealedFileError::Io { action: "write", path: self.path.clone(), source };
        let len = u32::try_from(ciphertext.len())
            .map_err(|_| SealedFileError::FrameTooLarge(plaintext.len()))?;
        self.file.write_all(&[kind]).map_err(io)?;
        self.file.write_all(&len.to_le_bytes()).map_err(io)?;
        self.file.write_all(&nonce).map_err(io)?;
        self.file.write_all(&ciphertext).map_err(io)?;
        self.next_frame += 1;
        Ok(())
    }

    /// Seals one frame of data and pushes it to the disk, so it survives the process being killed.
    pub fn append(&mut self, plaintext: &[u8]) -> Result<(), SealedFileError> {
        self.write_frame(KIND_DATA, plaintext)?;
        let io = |source| SealedFileError::Io { action: "flush", path: self.path.clone(), source };
        self.file.flush().map_err(io)?;
        self.file.get_ref().sync_data().map_err(io)
    }

    /// Writes the end marker; only a finished file reads back without a truncation error.
    pub fn finish(mut self) -> Result<PathBuf, SealedFileError> {
        self.write_frame(KIND_FINAL, &[])?;
        let io = |source| SealedFileError::Io { action: "finish", path: self.path.clone(), source };
        self.file.flush().map_err(io)?;
        self.file.get_ref().sync_all().map_err(io)?;
        Ok(self.path)
    }
}

/// What reading a sealed file found.
#[derive(Debug)]
pub struct Unsealed {
    /// The plaintext frames in order.
    pub frames: Vec<Zeroizing<Vec<u8>>>,
    /// Whether the end marker was present.
    pub complete: bool,
}

impl Unsealed {
    pub fn concat(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(self.frames.iter().map(|f| f.len()).sum()));
        for frame in &self.frames {
            out.extend_from_slice(frame);
        }
        out
    }
}

/// Reads a whole sealed file; a missing end marker is an error.
pub fn read_sealed(path: &Path, key: &SecretKey) -> Result<Unsealed, SealedFileError> {
    let unsealed = recover_sealed(path, key)?;
    if !unsealed.complete {
        return Err(SealedFileError::Truncated {
            path: path.to_owned(),
            frames: unsealed.frames.len() as u64,
        });
    }
    Ok(unsealed)
}

/// Reads every intact frame of a file that may have been cut short by a crash. Frames that fail
/// authentication are an error, never skipped: only a cut-off tail is tolerated.
pub fn recover_sealed(path: &Path, key: &SecretKey) -> Result<Unsealed, SealedFileError> {
    let io = |source| SealedFileError::Io { action: "read", path: path.to_owned(), source };
    let mut file = BufReader::new(File::open(path).map_err(io)?);
    let mut header = [0u8; HEADER_LEN];
    if read_full(&mut file, &mut header).map_err(io)? < HEADER_LEN || &header[..8] != MAGIC {
        return Err(SealedFileError::NotSealed { path: path.to_owned() });
    }
    if header[8] != VERSION {
        return Err(SealedFileError::NewerVersion { path: path.to_owned(), found: header[8] });
    }
    let file_id = Uuid::from_slice(&header[9..])
        .map_err(|_| SealedFileError::NotSealed { path: path.to_owned() })?;
    let mut frames = Vec::new();
    let damaged = |frame| SealedFileError::Damaged { path: path.to_owned(), frame };
    loop {
        let index = frames.len() as u64;
        let mut head = [0u8; 1 + 4 + NONCE_LEN];
        let got = read_full(&mut file, &mut head).map_err(io)?;
        if got < head.len() {
            return Ok(Unsealed { frames, complete: false });
        }
        let kind = head[0];
        let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if (kind != KIND_DATA && kind != KIND_FINAL) || len > MAX_FRAME_BYTES + TAG_LEN {
            return Err(damaged(index));
        }
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&head[5..]);
        let mut ciphertext = vec![0u8; len];
        if read_full(&mut file, &mut ciphertext).map_err(io)? < len {
            return Ok(Unsealed { frames, complete: false });
        }
        let plaintext = key
            .open(&frame_aad(&file_id, index, kind), &nonce, &ciphertext)
            .map_err(|_| damaged(index))?;
        if kind == KIND_FINAL {
            let mut rest = [0u8; 1];
            if read_full(&mut file, &mut rest).map_err(io)? != 0 {
                return Err(damaged(index + 1));
            }
            return Ok(Unsealed { frames, complete: true });
        }
        frames.push(Zeroizing::new(plaintext));
    }
}

/// Seals `plaintext` into a new file at `path` in one go, via a `.partial` file renamed into
/// place, so `path` only ever holds a complete sealed file.
pub fn write_sealed(path: &Path, key: &SecretKey, plaintext: &[u8]) -> Result<(), SealedFileError> {
    let io = |action, source| SealedFileError::Io { action, path: path.to_owned(), source };
    if path.exists() {
        return Err(io("create", ErrorKind::AlreadyExists.into()));
    }
    // A name no other writer uses; `SealedWriter::create` refuses an existing file, so only a
    // partial file this call made is ever removed.
    let partial = path.with_extension(format!("{}.partial", Uuid::now_v7().simple()));
    let mut writer = SealedWriter::create(&partial, key)?;
    let result = (|| {
        for chunk in plaintext.chunks(MAX_FRAME_BYTES) {
            writer.write_frame(KIND_DATA, chunk)?;
        }
        writer.finish()?;
        // A hard link fails if `path` appeared meanwhile, where a rename would replace it.
        fs::hard_link(&partial, path).map_err(|e| io("link", e))
    })();
    let _ = fs::remove_file(&partial);
    result
}

/// Reads until `buf` is full or the file ends; returns the bytes read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SecretKey {
        SecretKey::from_bytes([byte; 32])
    }

    #[test]
    fn frames_round_trip_and_hide_the_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sealed");
        let mut writer = SealedWriter::create(&path, &key(1)).unwrap();
        writer.append(b"first second of audio").unwrap();
        writer.append(b"second second").unwrap();
        writer.finish().unwrap();
        let bytes = fs::read(&path).unwrap();
        assert!(!bytes.windows(6).any(|w| w == b"second"));
        let read = read_sealed(&path, &key(1)).unwrap();
        assert!(read.complete);
        assert_eq!(read.concat().as_slice(), b"first second of audiosecond second");
    }

    #[test]
    fn a_killed_writer_leaves_its_whole_frames_recoverable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rec.sealed");
        let mut writer = SealedWriter::create(&path, &key(1)).unwrap();
        writer.append(b"one").unwrap();
        writer.append(b"two").unwrap();
        drop(writer);
        let full = fs::read(&path).unwrap();
        fs::write(&path, &full[..full.len() - 3]).unwrap();
        assert!(matches!(
            read_sealed(&path, &key(1)),
            Err(SealedFileError::Truncated { frames: 1, .. })
        ));
        let recovered = recover_sealed(&path, &key(1)).unwrap();
        assert!(!recovered.complete);
        assert_eq!(recovered.concat().as_slice(), b"one");
    }

    #[test]
    fn wrong_key_tampering_and_strangers_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.sealed");
        write_sealed(&path, &key(1), b"private words").unwrap();
        assert!(matches!(
            read_sealed(&path, &key(2)),
            Err(SealedFileError::Damaged { frame: 0, .. })
        ));
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 20;
        bytes[last] ^= 0x40;
        fs::write(&path, &bytes).unwrap();
        assert!(read_sealed(&path, &key(1)).is_err());
        let plain = dir.path().join("plain.wav");
        fs::write(&plain, b"RIFF....WAVE").unwrap();
        assert!(matches!(read_sealed(&plain, &key(1)), Err(SealedFileError::NotSealed { .. })));
        assert!(SealedWriter::create(&path, &key(1)).is_err(), "never overwrites");
        let before = fs::read(&path).unwrap();
        assert!(write_sealed(&path, &key(1), b"other words").is_err(), "never overwrites");
        assert_eq!(fs::read(&path).unwrap(), before);
        let names: Vec<_> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no partial file left behind: {names:?}");
    }

    #[test]
    fn dropping_the_end_marker_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sealed");
        write_sealed(&path, &key(1), b"abc").unwrap();
        let bytes = fs::read(&path).unwrap();
        let final_frame = 1 + 4 + NONCE_LEN + TAG_LEN;
        fs::write(&path, &bytes[..bytes.len() - final_frame]).unwrap();
        assert!(matches!(read_sealed(&path, &key(1)), Err(SealedFileError::Truncated { .. })));
    }
}
