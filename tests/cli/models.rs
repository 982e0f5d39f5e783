//! `doorstep models list|verify|download` against a mirror served on loopback by the test: never
//! the internet, and no file bigger than a few kilobytes.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use doorstep_speech::models::{Algorithm, ConversionRecord, Quantisation, digest_file};

use crate::common::Store;

/// A tiny HTTP/1.1 file server that honours `Range: bytes=N-` and logs each request as
/// "PATH RANGE".
struct Mirror {
    url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Mirror {
    fn serve(files: &[(&str, &[u8])]) -> Self {
        let files: HashMap<String, Vec<u8>> =
            files.iter().map(|(name, body)| (format!("/{name}"), body.to_vec())).collect();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let requests = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                answer(stream, &files, &requests);
            }
        });
        Self { url, log }
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn answer(mut stream: TcpStream, files: &HashMap<String, Vec<u8>>, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut from = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap() == 0 || header.trim().is_empty() {
            break;
        }
        if let Some(range) = header.to_ascii_lowercase().strip_prefix("range: bytes=") {
            from = Some(range.trim().trim_end_matches('-').parse::<usize>().unwrap());
        }
    }
    log.lock().unwrap().push(format!("{path} {}", from.map_or("-".into(), |f| f.to_string())));
    let (status, extra, body): (&str, String, &[u8]) = match (files.get(&path), from) {
        (None, _) => ("404 Not Found", String::new(), b"no such file"),
        (Some(body), None) => ("200 OK", String::new(), body),
        (Some(body), Some(from)) => (
            "206 Partial Content",
            format!("Content-Range: bytes {from}-{}/{}\r\n", body.len() - 1, body.len()),
            &body[from..],
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body));
}

fn weights() -> Vec<u8> {
    (0..40_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect()
}

/// A manifest naming one model, tiny.en, whose sha1 is that of `weights()`.
fn test_manifest(store: &Store) -> PathBuf {
    let file = store.home.path().join("weights.bin");
    fs::write(&file, weights()).unwrap();
    let sha1 = digest_file(&file, Algorithm::Sha1).unwrap().hex;
    let manifest = serde_json::json!({
        "recommend": ["tiny.en"],
        "models": [{
            "name": "tiny.en",
            "file": "ggml-tiny.en.bin",
            "url": "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-tiny.en.bin",
            "size_mib": 1,
            "sha1": sha1,
            "language": "english",
            "quantisation": "f16",
            "min_ram_mb": 273
        }]
    });
    let path = store.home.path().join("manifest.json");
    fs::write(&path, manifest.to_string()).unwrap();
    path
}

fn models_dir(store: &Store) -> PathBuf {
    store.dir().join("models")
}

fn stderr_of(store: &Store, args: &[&str]) -> String {
    let out = store.cmd().args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} should fail");
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn list_shows_the_manifest_and_the_model_for_this_much_memory() {
    let store = Store::empty();
    let big = store.json(&["models", "list", "--ram-mb", "8000"]);
    assert_eq!(big["recommended"], "base");
    let names: Vec<&str> =
        big["models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    for name in ["tiny.en", "tiny.en-q5_1", "base.en-q8_0", "small.en", "base", "base-q5_1"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let tiny = &big["models"][0];
    assert_eq!(tiny["name"], "tiny.en");
    assert_eq!(tiny["sha1"], "c78c86eb1a8faa21b369bcd33207cc90d64ae9df");
    assert_eq!(tiny["installed"], false);
    assert_eq!(big["models_dir"], models_dir(&store).to_str().unwrap());

    let small = store.json(&["models", "list", "--ram-mb", "1000"]);
    assert_eq!(small["recommended"], "tiny.en");

    let out = store.cmd().args(["models", "list", "--ram-mb", "1000"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("* recommended for this device (1000 MB of memory): tiny.en"), "{text}");
    assert!(text.lines().any(|l| l.starts_with('*') && l.contains("tiny.en ")), "{text}");
}

#[test]
fn download_from_a_mirror_resumes_verifies_and_installs() {
    let store = Store::empty();
    let manifest = test_manifest(&store);
    let manifest = manifest.to_str().unwrap();
    let mirror = Mirror::serve(&[("ggml-tiny.en.bin", &weights())]);
    let dir = models_dir(&store);
    fs::create_dir_all(&dir).unwrap();
    // An earlier attempt got this far.
    fs::write(dir.join("ggml-tiny.en.bin.part"), &weights()[..15_000]).unwrap();

    let listed = store.json(&["models", "list", "--manifest", manifest]);
    assert_eq!(listed["models"][0]["partial_bytes"], 15_000);

    let done = store.json(&[
        "models",
        "download",
        "tiny.en",
        "--manifest",
        manifest,
        "--mirror",
        &mirror.url,
    ]);
    assert_eq!(done["bytes"], 40_000);
    assert_eq!(done["resumed_from"], 15_000);
    assert_eq!(done["already_installed"], false);
    assert_eq!(mirror.requests(), ["/ggml-tiny.en.bin 15000"]);
    assert_eq!(fs::read(dir.join("ggml-tiny.en.bin")).unwrap(), weights());
    assert!(!dir.join("ggml-tiny.en.bin.part").exists());

    let checked = store.json(&["models", "verify", "tiny.en", "--manifest", manifest]);
    assert_eq!(checked["ok"], true);
    assert_eq!(checked["basis"], "published");
    assert_eq!(checked["algorithm"], "sha1");
    let listed = store.json(&["models", "list", "--manifest", manifest]);
    assert_eq!(listed["models"][0]["installed"], true);

    // Already there and verified: nothing is fetched.
    let again = store.json(&[
        "models",
        "download",
        "tiny.en",
        "--manifest",
        manifest,
        "--mirror",
        &mirror.url,
    ]);
    assert_eq!(again["already_installed"], true);
    assert_eq!(mirror.requests().len(), 1);

    // A damaged copy is fetched again and replaced.
    fs::write(dir.join("ggml-tiny.en.bin"), b"damaged").unwrap();
    let out = store
        .cmd()
        .args(["models", "download", "tiny.en", "--manifest", manifest, "--mirror", &mirror.url])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("does not match the sha1"), "{err}");
    assert!(err.contains("downloading it again"), "{err}");
    assert_eq!(fs::read(dir.join("ggml-tiny.en.bin")).unwrap(), weights());
    assert_eq!(mirror.requests().len(), 2);
}

#[test]
fn a_model_converted_under_a_published_name_is_not_downloaded_over() {
    let store = Store::empty();
    let dir = models_dir(&store);
    fs::create_dir_all(&dir).unwrap();
    let converted = dir.join("ggml-tiny.en.bin");
    fs::write(&converted, b"converted weights").unwrap();
    ConversionRecord::write_for(&converted, "ct2 /models/tiny.en".into(), Quantisation::F16)
        .unwrap();
    let mirror = Mirror::serve(&[]);
    let out = store
        .cmd()
        .args(["models", "download", "tiny.en", "--mirror", &mirror.url])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("already installed and verified as a model converted on this device"));
    assert!(mirror.requests().is_empty());
    let listed = store.json(&["models", "list"]);
    assert_eq!(listed["models"][0]["converted_locally"], true);
}

#[test]
fn a_mirror_serving_other_bytes_fails_the_published_checksum_and_leaves_nothing() {
    let store = Store::empty();
    let mirror = Mirror::serve(&[("ggml-tiny.en-q5_1.bin", b"not the model")]);
    let err = stderr_of(
        &store,
        &["models", "download", "tiny.en-q5_1", "--mirror", &mirror.url, "--retries", "0"],
    );
    assert!(err.contains("checksum mismatch"), "{err}");
    assert!(err.contains("expected sha1 3fb92ec865cbbc769f08137f22470d6b66e071b6"), "{err}");
    assert!(err.contains("the downloaded file was deleted"), "{err}");
    let dir = models_dir(&store);
    assert!(!dir.join("ggml-tiny.en-q5_1.bin").exists());
    assert!(!dir.join("ggml-tiny.en-q5_1.bin.part").exists());
}

#[test]
fn a_model_missing_from_the_mirror_or_the_manifest_is_a_clear_error() {
    let store = Store::empty();
    let mirror = Mirror::serve(&[]);
    let err = stderr_of(&store, &["models", "download", "base", "--mirror", &mirror.url]);
    assert!(
        err.contains(&format!(
            "{}ggml-base.bin was not found on the server (HTTP 404)",
            mirror.url
        )),
        "{err}"
    );
    let err = stderr_of(&store, &["models", "download", "large-v9"]);
    assert!(err.contains("no model named \"large-v9\"; known models: tiny.en, "), "{err}");
    let err = stderr_of(&store, &["models", "download", "base", "--mirror", "ftp://x/"]);
    assert!(err.contains("is not an http(s) base URL"), "{err}");
}

#[test]
fn verify_checks_published_and_converted_models_and_names_failures() {
    let store = Store::empty();
    let dir = models_dir(&store);
    fs::create_dir_all(&dir).unwrap();
    let converted = dir.join("ggml-welsh.bin");
    fs::write(&converted, b"converted weights").unwrap();
    ConversionRecord::write_for(&converted, "ct2 /models/welsh".into(), Quantisation::Q8_0)
        .unwrap();
    fs::write(dir.join("ggml-base.bin"), b"not whisper.cpp's base").unwrap();
    fs::write(dir.join("ggml-stray.bin"), b"who knows").unwrap();

    let out = store.cmd().args(["models", "verify", "ggml-welsh.bin"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("matches the sha256 recorded when it was converted (ct2 /models/welsh)"));

    let out = store.cmd().args(["models", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(text.contains("does not match the sha1 whisper.cpp publishes for base"), "{text}");
    assert!(text.contains("expected sha1 465707469ff3a37a2b9b8d8f89f2f99de7299dac"), "{text}");
    assert!(text.contains("unverifiable:"), "{text}");
    assert!(err.contains("1 of 3 model files failed verification"), "{err}");

    let err = stderr_of(&store, &["models", "verify", "base"]);
    assert!(err.contains("doorstep models download base"), "{err}");

    fs::write(&converted, b"converted weights, since changed").unwrap();
    let err = stderr_of(&store, &["models", "verify", converted.to_str().unwrap()]);
    assert!(err.contains("expected sha256"), "{err}");
    assert!(err.contains("convert it again"), "{err}");

    let err = stderr_of(&store, &["models", "verify", "small.en"]);
    assert!(err.contains("model small.en is not installed"), "{err}");
    assert!(err.contains("doorstep models download small.en"), "{err}");
}

#[test]
fn the_models_directory_can_be_chosen() {
    let store = Store::empty();
    let elsewhere = store.home.path().join("shared-models");
    let listed = store.json(&["models", "list", "--models-dir", elsewhere.to_str().unwrap()]);
    assert_eq!(listed["models_dir"], elsewhere.to_str().unwrap());
    let out = store
        .cmd()
        .env("DOORSTEP_MODELS_DIR", &elsewhere)
        .args(["--json", "models", "list"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed["models_dir"], elsewhere.to_str().unwrap());
}
