//! The downloader against a real HTTP server on loopback: whole files, resumed files, servers
//! that ignore ranges, cut connections, stalls, corrupt content and missing files.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CONTENT_LENGTH, CONTENT_RANGE, RANGE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream;

use super::*;

const LEN: usize = 200_000;

fn model_bytes() -> Vec<u8> {
    (0..LEN).map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8).collect()
}

fn sha1_hex(bytes: &[u8]) -> String {
    hex::encode(Sha1::digest(bytes))
}

#[derive(Clone)]
struct Server {
    body: Arc<Vec<u8>>,
    /// The Range header of every request, in order (None: no Range asked).
    ranges: Arc<Mutex<Vec<Option<String>>>>,
}

impl Server {
    fn record(&self, headers: &HeaderMap) -> Option<u64> {
        let range = headers.get(RANGE).map(|v| v.to_str().unwrap().to_owned());
        let offset = range
            .as_deref()
            .map(|r| r.strip_prefix("bytes=").unwrap().strip_suffix('-').unwrap().parse().unwrap());
        self.ranges.lock().unwrap().push(range);
        offset
    }

    /// The body from `offset`, with the headers a range-aware server sends.
    fn ranged(&self, offset: Option<u64>) -> Response {
        let len = self.body.len() as u64;
        match offset {
            None => ([(CONTENT_LENGTH, len)], self.body.to_vec()).into_response(),
            Some(from) if from >= len => {
                (StatusCode::RANGE_NOT_SATISFIABLE, [(CONTENT_RANGE, format!("bytes */{len}"))])
                    .into_response()
            }
            Some(from) => (
                StatusCode::PARTIAL_CONTENT,
                [(CONTENT_RANGE, format!("bytes {from}-{}/{len}", len - 1))],
                self.body[from as usize..].to_vec(),
            )
                .into_response(),
        }
    }

    /// Sends `first` bytes of a body declared whole, then `rest`.
    fn truncated(
        &self,
        first: usize,
        rest: stream::BoxStream<'static, std::io::Result<Bytes>>,
    ) -> Response {
        let head = stream::iter([Ok(Bytes::copy_from_slice(&self.body[..first]))]);
        let mut response = Response::new(Body::from_stream(head.chain(rest)));
        response.headers_mut().insert(CONTENT_LENGTH, self.body.len().into());
        response
    }

    fn requests(&self) -> Vec<Option<String>> {
        self.ranges.lock().unwrap().clone()
    }
}

async fn ranged(State(s): State<Server>, headers: HeaderMap) -> Response {
    let offset = s.record(&headers);
    s.ranged(offset)
}

async fn ignores_range(State(s): State<Server>, headers: HeaderMap) -> Response {
    s.record(&headers);
    s.ranged(None)
}

/// Cuts the connection halfway through a whole-file answer; answers ranges properly.
async fn cuts(State(s): State<Server>, headers: HeaderMap) -> Response {
    match s.record(&headers) {
        None => {
            // The pause lets the headers and the first half reach the client before the cut.
            let cut = stream::once(async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(std::io::Error::other("cut"))
            });
            s.truncated(LEN / 2, Box::pin(cut))
        }
        offset => s.ranged(offset),
    }
}

/// Sends a little, then nothing, forever.
async fn stalls(State(s): State<Server>, headers: HeaderMap) -> Response {
    s.record(&headers);
    s.truncated(1_000, Box::pin(stream::pending()))
}

async fn corrupt(State(s): State<Server>, headers: HeaderMap) -> Response {
    s.record(&headers);
    let mut body = s.body.to_vec();
    body[LEN / 3] ^= 0x55;
    ([(CONTENT_LENGTH, body.len() as u64)], body).into_response()
}

async fn start() -> (Server, Url) {
    let server = Server { body: Arc::new(model_bytes()), ranges: Arc::default() };
    let app = Router::new()
        .route("/ranged/model.bin", get(ranged))
        .route("/ignores-range/model.bin", get(ignores_range))
        .route("/cuts/model.bin", get(cuts))
        .route("/stalls/model.bin", get(stalls))
        .route("/corrupt/model.bin", get(corrupt))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (server, base)
}

struct Case {
    _dir: tempfile::TempDir,
    request: DownloadRequest,
    part: PathBuf,
}

fn case(base: &Url, route: &str) -> Case {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("models/ggml-test.bin");
    let request = DownloadRequest {
        url: base.join(&format!("{route}/model.bin")).unwrap(),
        dest: dest.clone(),
        sha1: sha1_hex(&model_bytes()),
        bytes: Some(LEN as u64),
        max_bytes: Some(LEN as u64 + 1024),
    };
    Case { _dir: dir, request, part: partial_path(&dest) }
}

fn downloader(stall_timeout: Duration) -> Downloader {
    Downloader::new(DownloadOptions { connect_timeout: Duration::from_secs(5), stall_timeout })
        .unwrap()
}

async fn fetch(case: &Case) -> (Result<Downloaded, DownloadError>, Vec<Progress>) {
    let mut seen = Vec::new();
    let result = downloader(Duration::from_secs(10))
        .fetch(&case.request, &AtomicBool::new(false), |p| seen.push(p))
        .await;
    (result, seen)
}

#[tokio::test]
async fn downloads_a_whole_file_verified() {
    let (server, base) = start().await;
    let case = case(&base, "ranged");
    let (result, seen) = fetch(&case).await;
    let done = result.unwrap();
    assert_eq!(done.bytes, LEN as u64);
    assert_eq!(done.resumed_from, 0);
    assert_eq!(std::fs::read(&case.request.dest).unwrap(), model_bytes());
    assert!(!case.part.exists());
    assert_eq!(seen.first(), Some(&Progress { done: 0, total: Some(LEN as u64) }));
    assert_eq!(seen.last(), Some(&Progress { done: LEN as u64, total: Some(LEN as u64) }));
    assert_eq!(server.requests(), [None]);
}

#[tokio::test]
async fn a_cut_connection_keeps_the_part_and_the_next_attempt_resumes_with_a_range() {
    let (server, base) = start().await;
    let case = case(&base, "cuts");
    let (result, _) = fetch(&case).await;
    let err = result.unwrap_err();
    assert!(matches!(err, DownloadError::Interrupted { .. }), "{err}");
    assert!(err.is_resumable());
    assert!(err.to_string().contains("next download resumes"), "{err}");
    let kept = std::fs::metadata(&case.part).unwrap().len();
    assert!(kept > 0 && kept < LEN as u64, "kept {kept}");
    assert!(!case.request.dest.exists());

    let (result, _) = fetch(&case).await;
    let done = result.unwrap();
    assert_eq!(done.resumed_from, kept);
    assert_eq!(std::fs::read(&case.request.dest).unwrap(), model_bytes());
    assert_eq!(server.requests(), [None, Some(format!("bytes={kept}-"))]);
}

#[tokio::test]
async fn a_server_that_ignores_range_means_starting_over() {
    let (server, base) = start().await;
    let case = case(&base, "ignores-range");
    std::fs::create_dir_all(case.part.parent().unwrap()).unwrap();
    // A stale part whose bytes are wrong: had they been kept, the digest would fail.
    std::fs::write(&case.part, vec![0xAA; 5_000]).unwrap();
    let (result, _) = fetch(&case).await;
    let done = result.unwrap();
    assert_eq!(done.resumed_from, 0);
    assert_eq!(std::fs::read(&case.request.dest).unwrap(), model_bytes());
    assert_eq!(server.requests(), [Some("bytes=5000-".to_owned())]);
}

#[tokio::test]
async fn a_resumed_part_is_hashed_too() {
    let (_server, base) = start().await;
    let case = case(&base, "ranged");
    std::fs::create_dir_all(case.part.parent().unwrap()).unwrap();
    let mut wrong = model_bytes()[..10_000].to_vec();
    wrong[10] ^= 1;
    std::fs::write(&case.part, wrong).unwrap();
    let (result, _) = fetch(&case).await;
    let err = result.unwrap_err();
    assert!(matches!(err, DownloadError::ChecksumMismatch { .. }), "{err}");
    assert!(!case.part.exists() && !case.request.dest.exists());
}

#[tokio::test]
async fn a_complete_part_answered_416_is_verified_and_installed() {
    let (server, base) = start().await;
    let case = case(&base, "ranged");
    std::fs::create_dir_all(case.part.parent().unwrap()).unwrap();
    std::fs::write(&case.part, model_bytes()).unwrap();
    let (result, _) = fetch(&case).await;
    assert_eq!(result.unwrap().resumed_from, LEN as u64);
    assert_eq!(std::fs::read(&case.request.dest).unwrap(), model_bytes());
    assert_eq!(server.requests(), [Some(format!("bytes={LEN}-"))]);
}

#[tokio::test]
async fn an_oversized_part_is_discarded_and_fetched_again() {
    let (server, base) = start().await;
    let case = case(&base, "ranged");
    std::fs::create_dir_all(case.part.parent().unwrap()).unwrap();
    std::fs::write(&case.part, vec![0u8; LEN + 10]).unwrap();
    let (result, _) = fetch(&case).await;
    assert_eq!(result.unwrap().resumed_from, 0);
    assert_eq!(server.requests(), [None]);
}

#[tokio::test]
async fn a_part_longer_than_the_file_answered_416_is_fetched_again() {
    let (server, base) = start().await;
    let mut case = case(&base, "ranged");
    (case.request.bytes, case.request.max_bytes) = (None, None);
    std::fs::create_dir_all(case.part.parent().unwrap()).unwrap();
    std::fs::write(&case.part, vec![0u8; LEN + 10]).unwrap();
    let (result, _) = fetch(&case).await;
    assert_eq!(result.unwrap().resumed_from, 0);
    assert_eq!(std::fs::read(&case.request.dest).unwrap(), model_bytes());
    assert_eq!(server.requests(), [Some(format!("bytes={}-", LEN + 10)), None]);
}

#[tokio::test]
async fn corrupt_content_is_a_checksum_error_and_nothing_is_left() {
    let (_server, base) = start().await;
    let case = case(&base, "corrupt");
    let (result, _) = fetch(&case).await;
    let err = result.unwrap_err();
    let DownloadError::ChecksumMismatch { expected, found, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(expected, &case.request.sha1);
    assert_ne!(found, expected);
    let message = err.to_string();
    assert!(message.contains(&format!("expected sha1 {expected}, found {found}")), "{message}");
    assert!(!case.part.exists() && !case.request.dest.exists());
    assert!(!err.is_resumable());
}

#[tokio::test]
async fn a_stall_times_out_keeping_the_part() {
    let (_server, base) = start().await;
    let case = case(&base, "stalls");
    let started = Instant::now();
    let result = downloader(Duration::from_secs(1))
        .fetch(&case.request, &AtomicBool::new(false), |_| {})
        .await;
    let err = result.unwrap_err();
    assert!(matches!(err, DownloadError::Stalled { kept: 1_000, .. }), "{err}");
    assert!(err.to_string().starts_with("no data from http://127.0.0.1:"), "{err}");
    assert!(err.to_string().contains(" for 1 s; "), "{err}");
    assert!(started.elapsed() < Duration::from_secs(8));
    assert_eq!(std::fs::metadata(&case.part).unwrap().len(), 1_000);
}

#[tokio::test]
async fn cancelling_stops_a_stalled_download_at_once_keeping_the_part() {
    let (_server, base) = start().await;
    let case = case(&base, "stalls");
    let cancel = AtomicBool::new(false);
    let started = Instant::now();
    let result = downloader(Duration::from_secs(60))
        .fetch(&case.request, &cancel, |p| {
            if p.done > 0 {
                cancel.store(true, Ordering::Relaxed);
            }
        })
        .await;
    let err = result.unwrap_err();
    assert!(matches!(err, DownloadError::Cancelled { kept: 1_000, .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(case.part.exists());
}

#[tokio::test]
async fn a_missing_file_is_a_clear_error() {
    let (_server, base) = start().await;
    let case = case(&base, "nowhere");
    let (result, _) = fetch(&case).await;
    let err = result.unwrap_err();
    assert!(matches!(err, DownloadError::NotFound { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!("{base}nowhere/model.bin was not found on the server (HTTP 404)")
    );
    assert!(!case.part.exists());
}

#[tokio::test]
async fn a_file_of_the_wrong_size_is_refused_before_it_is_fetched() {
    let (_server, base) = start().await;
    let mut case = case(&base, "ranged");
    case.request.bytes = Some(LEN as u64 - 1);
    let (result, _) = fetch(&case).await;
    let err = result.unwrap_err();
    assert!(matches!(err, DownloadError::SizeMismatch { .. }), "{err}");
    case.request.bytes = None;
    case.request.max_bytes = Some(1_000);
    let (result, _) = fetch(&case).await;
    assert!(matches!(result.unwrap_err(), DownloadError::TooLarge { limit: 1_000, .. }));
    assert!(!case.part.exists());
}

#[test]
fn content_ranges_parse() {
    let parse = parse_content_range;
    assert_eq!(parse("bytes 10-19/20"), Some(ContentRange { first: Some(10), total: Some(20) }));
    assert_eq!(parse("bytes */20"), Some(ContentRange { first: None, total: Some(20) }));
    assert_eq!(parse("bytes 0-9/*"), Some(ContentRange { first: Some(0), total: None }));
    assert_eq!(parse("items 0-9/10"), None);
    assert_eq!(parse("bytes x-9/10"), None);
}
