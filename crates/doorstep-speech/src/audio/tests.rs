use std::f32::consts::TAU;
use std::io::Write;
use std::path::{Path, PathBuf};

use hound::{SampleFormat, WavSpec, WavWriter};

use super::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/audio")
}

/// A 440 Hz tone, `seconds` long, written as WAV in the given layout.
fn tone_wav(path: &Path, rate: u32, channels: u16, bits: u16, format: SampleFormat, seconds: f32) {
    let spec =
        WavSpec { channels, sample_rate: rate, bits_per_sample: bits, sample_format: format };
    let mut w = WavWriter::create(path, spec).unwrap();
    let frames = (rate as f32 * seconds) as usize;
    for i in 0..frames {
        let v = 0.5 * (TAU * 440.0 * i as f32 / rate as f32).sin();
        for _ in 0..channels {
            match (format, bits) {
                (SampleFormat::Float, _) => w.write_sample(v).unwrap(),
                (SampleFormat::Int, 8) => w.write_sample((v * 127.0) as i8).unwrap(),
                (SampleFormat::Int, 16) => w.write_sample((v * 32767.0) as i16).unwrap(),
                (SampleFormat::Int, 24) => w.write_sample((v * 8_388_607.0) as i32).unwrap(),
                (SampleFormat::Int, _) => w.write_sample((v * 2_147_483_647.0) as i32).unwrap(),
            }
        }
    }
    w.finalize().unwrap();
}

fn rms(samples: &[f32]) -> f32 {
    (samples.iter().map(|s| s * s).sum::<f32>() / samples.len().max(1) as f32).sqrt()
}

/// Upward zero crossings per second: a 440 Hz tone has 440.
fn pitch(samples: &[f32]) -> f32 {
    let ups = samples.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
    ups as f32 * SAMPLE_RATE as f32 / samples.len() as f32
}

#[test]
fn every_wav_layout_becomes_16k_mono_of_the_same_length_and_pitch() {
    let dir = tempfile::tempdir().unwrap();
    let layouts = [
        (16_000, 1, 16, SampleFormat::Int),
        (8_000, 1, 8, SampleFormat::Int),
        (44_100, 2, 16, SampleFormat::Int),
        (48_000, 2, 24, SampleFormat::Int),
        (22_050, 1, 32, SampleFormat::Int),
        (32_000, 2, 32, SampleFormat::Float),
        (11_025, 1, 32, SampleFormat::Float),
    ];
    for (rate, channels, bits, format) in layouts {
        let path = dir.path().join(format!("tone-{rate}-{channels}-{bits}-{format:?}.wav"));
        tone_wav(&path, rate, channels, bits, format, 1.5);
        let samples = load(&path).unwrap();
        let what = path.display();
        assert!(samples.len().abs_diff(24_000) <= 1, "{what}: {} samples", samples.len());
        assert!((rms(&samples) - 0.5 / 2f32.sqrt()).abs() < 0.02, "{what}: rms {}", rms(&samples));
        assert!((pitch(&samples) - 440.0).abs() < 3.0, "{what}: pitch {}", pitch(&samples));
    }
}

/// The lag within ±`max_lag` at which `a` and `b` agree best, and their correlation there.
fn best_correlation(a: &[f32], b: &[f32], max_lag: isize) -> f32 {
    let mut best = f32::MIN;
    for lag in -max_lag..=max_lag {
        let (mut dot, mut aa, mut bb) = (0.0f64, 0.0f64, 0.0f64);
        for (i, &x) in a.iter().enumerate() {
            let j = i as isize + lag;
            if j < 0 || j as usize >= b.len() {
                continue;
            }
            let y = b[j as usize];
            dot += f64::from(x * y);
            aa += f64::from(x * x);
            bb += f64::from(y * y);
        }
        best = best.max((dot / (aa.sqrt() * bb.sqrt()).max(1e-9)) as f32);
    }
    best
}

#[test]
fn compressed_formats_decode_to_the_speech_they_hold() {
    let reference = load(&fixtures().join("reference-16k.wav")).unwrap();
    assert_eq!(reference.len(), 64_000);
    for name in ["speech.flac", "speech.ogg", "speech.mp3", "speech.m4a"] {
        let samples = load(&fixtures().join(name)).unwrap();
        let ms = samples_to_ms(samples.len()) as i64;
        assert!((ms - 4000).abs() <= 60, "{name}: {ms} ms");
        let corr = best_correlation(&reference[8000..40_000], &samples[8000..40_000], 1200);
        assert!(corr > 0.8, "{name}: correlation {corr}");
    }
}

#[test]
fn streaming_gives_the_same_samples_as_loading_whole() {
    let path = fixtures().join("speech.flac");
    let whole = load(&path).unwrap();
    let mut stream = AudioStream::open(&path).unwrap();
    assert_eq!(stream.info().sample_rate, 44_100);
    assert_eq!(stream.info().channels, 2);
    let mut chunks = 0;
    let mut joined = Vec::new();
    while let Some(chunk) = stream.next_chunk().unwrap() {
        chunks += 1;
        joined.extend(chunk);
    }
    assert!(chunks > 10);
    assert_eq!(joined, whole);
}

#[test]
fn bad_files_are_named_for_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::File::create(&path).unwrap().write_all(bytes).unwrap();
        path
    };

    let empty = write("empty.wav", b"");
    assert!(matches!(load(&empty), Err(AudioError::EmptyFile { .. })));

    let text = write("notes.wav", b"Visited Margaret on Tuesday; no concerns.\n");
    let err = load(&text).unwrap_err();
    assert!(matches!(err, AudioError::Unsupported { .. }), "{err}");
    assert!(err.to_string().contains("notes.wav"));

    let missing = dir.path().join("missing.wav");
    assert!(matches!(load(&missing), Err(AudioError::Open { .. })));

    // A header with no samples after it.
    let silent = dir.path().join("no-samples.wav");
    tone_wav(&silent, 16_000, 1, 16, SampleFormat::Int, 0.0);
    assert!(matches!(load(&silent), Err(AudioError::NoSamples { .. })));

    // Cut a good file in half: the header still promises the whole.
    let whole = std::fs::read(fixtures().join("reference-16k.wav")).unwrap();
    let cut = write("cut.wav", &whole[..whole.len() / 2]);
    let err = load(&cut).unwrap_err();
    assert!(matches!(err, AudioError::Truncated { expected_ms: 4000, .. }), "{err}");

    // Scramble the body of an MP3: the decoder gives up, naming where.
    let mut mp3 = std::fs::read(fixtures().join("speech.mp3")).unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    for byte in mp3.iter_mut().skip(2000) {
        *byte = rng.u8(..);
    }
    let scrambled = write("scrambled.mp3", &mp3);
    match load(&scrambled) {
        Err(AudioError::Corrupt { .. } | AudioError::Truncated { .. }) => {}
        Ok(samples) => panic!("a scrambled MP3 decoded to {} samples", samples.len()),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

#[test]
fn absurdly_long_files_are_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.wav");
    tone_wav(&path, 8_000, 1, 16, SampleFormat::Int, 0.1);
    // Claim a data chunk of 3.9 GiB: at 8 kHz 16-bit mono that is 68 hours.
    let mut bytes = std::fs::read(&path).unwrap();
    let data = bytes.windows(4).position(|w| w == b"data").unwrap();
    bytes[data + 4..data + 8].copy_from_slice(&0xF000_0000u32.to_le_bytes());
    bytes[4..8].copy_from_slice(&0xF000_0024u32.to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let err = AudioStream::open(&path).unwrap_err();
    assert!(matches!(err, AudioError::TooLong { limit_minutes: 240, .. }), "{err}");
}
