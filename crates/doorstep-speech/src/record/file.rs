//! Reading a recording back as 16 kHz samples, and making whole again a recording a crash cut
//! short, so that afterwards every recording reads the same way.

use std::fs::{self, File, TryLockError};
use std::io::ErrorKind;
use std::path::Path;

use doorstep_core::keys::SecretKey;
use doorstep_core::sealed::{SealedFileError, Unsealed, read_sealed, recover_sealed, write_sealed};

use super::RecordError;
use super::pcm::from_s16le;

/// A sealed file's header (magic, version, file id): a file shorter than this was cut before any
/// audio reached it.
const SEALED_HEADER_BYTES: u64 = 8 + 1 + 16;

/// Reads a finished recording; a file without its end marker is an error.
pub fn read_recording(path: &Path, key: &SecretKey) -> Result<Vec<f32>, RecordError> {
    samples(path, &read_sealed(path, key)?)
}

/// Reads every whole frame of a recording that may have been cut short by a crash. A file that
/// was never written to (missing, empty, or cut inside its header) holds no audio.
pub fn recover_recording(path: &Path, key: &SecretKey) -> Result<Vec<f32>, RecordError> {
    match recover(path, key)? {
        Some(unsealed) => samples(path, &unsealed),
        None => Ok(Vec::new()),
    }
}

/// Rewrites a recording cut short by a crash as a finished file holding its whole frames, and
/// returns how many samples it holds. A finished file is left as it is. Safe to run again if
/// interrupted: the original is replaced only by a complete copy, in one rename.
pub fn seal_recovered(path: &Path, key: &SecretKey) -> Result<u64, RecordError> {
    let _lock = lock_unless_recording(path)?;
    let unsealed = recover(path, key)?;
    let audio = unsealed.as_ref().map(Unsealed::concat).unwrap_or_default();
    if !audio.len().is_multiple_of(2) {
        return Err(RecordError::NotAudio { path: path.to_owned() });
    }
    let samples = audio.len() as u64 / 2;
    if unsealed.as_ref().is_some_and(|u| u.complete) {
        return Ok(samples);
    }
    let io = |action, source| RecordError::Io { action, path: path.to_owned(), source };
    let mut copy = path.as_os_str().to_owned();
    copy.push(".recovering");
    let copy = Path::new(&copy);
    // Left by an earlier attempt that was itself interrupted; the original is still intact.
    match fs::remove_file(copy) {
        Err(e) if e.kind() != ErrorKind::NotFound => {
            return Err(io("remove the partial copy of", e));
        }
        _ => {}
    }
    write_sealed(copy, key, &audio)?;
    fs::rename(copy, path).map_err(|e| io("replace", e))?;
    Ok(samples)
}

/// Fails with [`RecordError::InUse`] while another process is recording into `path`.
fn lock_unless_recording(path: &Path) -> Result<Option<File>, RecordError> {
    let io = |action, source| RecordError::Io { action, path: path.to_owned(), source };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io("open", e)),
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Err(RecordError::InUse { path: path.to_owned() }),
        Err(TryLockError::Error(e)) => Err(io("lock", e)),
    }
}

fn recover(path: &Path, key: &SecretKey) -> Result<Option<Unsealed>, RecordError> {
    match recover_sealed(path, key) {
        Ok(unsealed) => Ok(Some(unsealed)),
        Err(SealedFileError::Io { source, .. }) if source.kind() == ErrorKind::NotFound => Ok(None),
        Err(e @ SealedFileError::NotSealed { .. }) => {
            let len = fs::metadata(path)
                .map_err(|source| RecordError::Io {
                    action: "read",
                    path: path.to_owned(),
                    source,
                })?
                .len();
            if len < SEALED_HEADER_BYTES { Ok(None) } else { Err(e.into()) }
        }
        Err(e) => Err(e.into()),
    }
}

fn samples(path: &Path, unsealed: &Unsealed) -> Result<Vec<f32>, RecordError> {
    from_s16le(&unsealed.concat()).ok_or_else(|| RecordError::NotAudio { path: path.to_owned() })
}

#[cfg(test)]
mod tests {
    use doorstep_core::keys::DataKey;
    use doorstep_core::sealed::SealedWriter;

    use super::*;
    use crate::record::pcm::to_s16le;

    fn key() -> SecretKey {
        DataKey::generate().unwrap().file_key()
    }

    fn frame(value: f32, n: usize) -> Vec<u8> {
        let mut bytes = Vec::new();
        to_s16le(&vec![value; n], &mut bytes);
        bytes
    }

    #[test]
    fn a_cut_recording_keeps_its_whole_frames_and_is_sealed_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.dsr");
        let key = key();
        let mut writer = SealedWriter::create(&path, &key).unwrap();
        writer.append(&frame(0.5, 16_000)).unwrap();
        writer.append(&frame(-0.25, 16_000)).unwrap();
        drop(writer);
        let full = fs::read(&path).unwrap();
        fs::write(&path, &full[..full.len() - 1000]).unwrap();

        assert!(matches!(read_recording(&path, &key), Err(RecordError::Sealed(_))));
        let recovered = recover_recording(&path, &key).unwrap();
        assert_eq!(recovered.len(), 16_000, "the torn second frame is lost, the first kept");
        assert!(recovered.iter().all(|&s| (s - 0.5).abs() < 1e-4));

        fs::write(path.with_extension("dsr.recovering"), b"left by a crash").unwrap();
        assert_eq!(seal_recovered(&path, &key).unwrap(), 16_000);
        assert_eq!(read_recording(&path, &key).unwrap(), recovered);
        assert_eq!(seal_recovered(&path, &key).unwrap(), 16_000, "again: nothing to do");
        let names: Vec<_> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["r.dsr"]);
    }

    #[test]
    fn a_recording_killed_before_its_first_frame_holds_no_audio() {
        let dir = tempfile::tempdir().unwrap();
        let key = key();
        let empty = dir.path().join("empty.dsr");
        fs::write(&empty, b"").unwrap();
        assert!(recover_recording(&empty, &key).unwrap().is_empty());
        assert_eq!(seal_recovered(&empty, &key).unwrap(), 0);
        assert!(read_recording(&empty, &key).unwrap().is_empty());

        let missing = dir.path().join("missing.dsr");
        assert!(recover_recording(&missing, &key).unwrap().is_empty());
        assert_eq!(seal_recovered(&missing, &key).unwrap(), 0);
        assert!(read_recording(&missing, &key).unwrap().is_empty());

        let stranger = dir.path().join("stranger.dsr");
        fs::write(&stranger, vec![7u8; 4096]).unwrap();
        assert!(recover_recording(&stranger, &key).is_err(), "not ours: never rewritten");
        assert_eq!(fs::read(&stranger).unwrap(), vec![7u8; 4096]);
    }

    #[test]
    fn a_recording_in_progress_elsewhere_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("live.dsr");
        let key = key();
        let mut writer = SealedWriter::create(&path, &key).unwrap();
        writer.append(&frame(0.1, 1600)).unwrap();
        let held = File::open(&path).unwrap();
        held.lock().unwrap();
        let before = fs::read(&path).unwrap();
        assert!(matches!(seal_recovered(&path, &key), Err(RecordError::InUse { .. })));
        assert_eq!(fs::read(&path).unwrap(), before);
        drop(held);
        assert_eq!(seal_recovered(&path, &key).unwrap(), 1600);
    }
}
