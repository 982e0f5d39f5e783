//! Fetching a model file over HTTP(S) on a poor connection: into `<dest>.part`, resumed with a
//! Range request, checked for size and sha1 before it is renamed into place.
//!
//! A connection that drops or stalls leaves the `.part` for the next attempt; a file whose digest
//! is wrong is deleted, never installed. Progress is a plain callback and cancellation an
//! atomic flag, so this knows nothing of the app shell.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::header::{CONTENT_RANGE, RANGE};
use reqwest::{StatusCode, Url};
use serde::Serialize;
use sha1::{Digest, Sha1};
use tokio::fs::{self, File, OpenOptions};
use tokio::io::AsyncWriteExt;

use super::digest;
use super::manifest::{ManifestError, ModelEntry};
use super::sidecar::sidecar_path;

/// How often a wait for the network looks at the cancel flag and the stall clock.
const TICK: Duration = Duration::from_millis(100);
/// Progress is reported at most this often (and once more at the end).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("cannot set up the HTTP client")]
    Client(#[source] reqwest::Error),
    #[error("cannot download {url}")]
    Http { url: String, source: reqwest::Error },
    #[error("{url} was not found on the server (HTTP 404)")]
    NotFound { url: String },
    #[error("{url}: the server answered HTTP {status}")]
    Status { url: String, status: StatusCode },
    #[error("{url}: {reason}")]
    BadResponse { url: String, reason: String },
    #[error(
        "no data from {url} for {seconds} s; the {kept} bytes received are kept in {part} and the \
         next download resumes from there"
    )]
    Stalled { url: String, seconds: u64, kept: u64, part: PathBuf },
    #[error(
        "the download from {url} was cut off after {kept} bytes; they are kept in {part} and the \
         next download resumes from there"
    )]
    Interrupted { url: String, kept: u64, part: PathBuf, source: Option<reqwest::Error> },
    #[error("the download was cancelled; the {kept} bytes received are kept in {part}")]
    Cancelled { kept: u64, part: PathBuf },
    #[error("{url} is {found} bytes, expected {expected}")]
    SizeMismatch { url: String, expected: u64, found: u64 },
    #[error("{url} is larger than {limit} bytes, more than the model can be; refused")]
    TooLarge { url: String, limit: u64 },
    #[error(
        "checksum mismatch for {dest}: expected sha1 {expected}, found {found}; the downloaded \
         file was deleted"
    )]
    ChecksumMismatch { dest: PathBuf, expected: String, found: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl DownloadError {
    /// Whether trying again may succeed, resuming from what was kept.
    pub fn is_resumable(&self) -> bool {
        matches!(self, Self::Http { .. } | Self::Stalled { .. } | Self::Interrupted { .. })
    }

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.to_owned();
        move |source| Self::Io { path, source }
    }
}

/// One file to fetch.
#[derive(Debug, Clone)]
pub struct DownloadRequest {
    pub url: Url,
    /// Where the file goes once verified; it is written to `<dest>.part` until then.
    pub dest: PathBuf,
    /// The whole file's sha1, lowercase hex.
    pub sha1: String,
    /// The exact size, when known.
    pub bytes: Option<u64>,
    /// Anything larger is refused.
    pub max_bytes: Option<u64>,
}

impl DownloadRequest {
    /// The request for a manifest model, installed as `<models_dir>/<file>`, fetched from its
    /// published URL or from `mirror`.
    pub fn for_model(
        model: &ModelEntry,
        models_dir: &Path,
        mirror: Option<&str>,
    ) -> Result<Self, ManifestError> {
        Ok(Self {
            url: model.download_url(mirror)?,
            dest: models_dir.join(&model.file),
            sha1: model.sha1.clone(),
            bytes: None,
            max_bytes: Some(model.max_bytes()),
        })
    }
}

#[derive(Debug, Clone)]
pub struct DownloadOptions {
    pub connect_timeout: Duration,
    /// Give up when no byte arrives for this long.
    pub stall_timeout: Duration,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        Self { connect_timeout: Duration::from_secs(15), stall_timeout: Duration::from_secs(30) }
    }
}

/// Bytes on disk so far, of `total` when the server has said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: u64,
    pub total: Option<u64>,
}

/// A verified file in its place.
#[derive(Debug, Clone, Serialize)]
pub struct Downloaded {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha1: String,
    /// Bytes that were already in the `.part` file and not fetched again.
    pub resumed_from: u64,
}

/// `<dest>.part`: where a download accumulates until verified.
pub fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

#[derive(Debug, Clone)]
pub struct Downloader {
    client: reqwest::Client,
    options: DownloadOptions,
}

/// What waiting on the network came to.
enum Waited<T> {
    Done(T),
    Cancelled,
    Stalled,
}

/// The digest of everything in the `.part` file, its length, and the whole file's.
struct Sink {
    hasher: Sha1,
    done: u64,
    total: Option<u64>,
}

/// Where the response body starts and how long the whole file is.
struct Plan {
    response: Option<reqwest::Response>,
    offset: u64,
    total: Option<u64>,
}

impl Downloader {
    pub fn new(options: DownloadOptions) -> Result<Self, DownloadError> {
        let client = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .user_agent(concat!("doorstep/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(DownloadError::Client)?;
        Ok(Self { client, options })
    }

    /// Fetches `request.url` to `request.dest`, resuming a `.part` left by an earlier attempt.
    /// `progress` hears how far it has got; setting `cancel` stops it, keeping the `.part`. The
    /// verified file replaces any file at `dest`, and the conversion record beside it.
    pub async fn fetch(
        &self,
        request: &DownloadRequest,
        cancel: &AtomicBool,
        mut progress: impl FnMut(Progress),
    ) -> Result<Downloaded, DownloadError> {
        let part = partial_path(&request.dest);
        if let Some(dir) = request.dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).await.map_err(DownloadError::io(dir))?;
        }
        let plan = self.connect(request, &part, cancel).await?;
        check_size(request, plan.total)?;
        let mut sink = Sink { hasher: Sha1::new(), done: 0, total: plan.total };
        if plan.offset > 0 {
            let (hasher, fed) = hash_prefix(&part, sink.hasher).await?;
            if fed != plan.offset {
                return Err(bad(
                    &request.url,
                    &format!("{} changed while resuming", part.display()),
                ));
            }
            (sink.hasher, sink.done) = (hasher, fed);
        }
        progress(Progress { done: sink.done, total: sink.total });
        if let Some(response) = plan.response {
            self.receive(request, response, &mut sink, cancel, &mut progress).await?;
        }
        let done = install(request, sink).await?;
        progress(Progress { done: done.bytes, total: Some(done.bytes) });
        Ok(Downloaded { resumed_from: plan.offset, ..done })
    }

    /// Appends the response body to the `.part` (or starts it afresh) and syncs it to disk.
    async fn receive(
        &self,
        request: &DownloadRequest,
        response: reqwest::Response,
        sink: &mut Sink,
        cancel: &AtomicBool,
        progress: &mut impl FnMut(Progress),
    ) -> Result<(), DownloadError> {
        let part = partial_path(&request.dest);
        let mut file = if sink.done > 0 {
            OpenOptions::new().append(true).open(&part).await
        } else {
            File::create(&part).await
        }
        .map_err(DownloadError::io(&part))?;
        let streamed = self.stream(request, response, &mut file, sink, cancel, progress).await;
        let synced = async {
            file.flush().await?;
            file.sync_all().await
        }
        .await
        .map_err(DownloadError::io(&part));
        drop(file);
        if let Err(e @ DownloadError::TooLarge { .. }) = streamed {
            let _ = fs::remove_file(&part).await;
            return Err(e);
        }
        streamed.and(synced)
    }

    /// Asks for the file, from where the `.part` ends if there is one, and settles how the
    /// answer continues it.
    async fn connect(
        &self,
        request: &DownloadRequest,
        part: &Path,
        cancel: &AtomicBool,
    ) -> Result<Plan, DownloadError> {
        let url = &request.url;
        // At most twice: a part the answer cannot continue is deleted, and the file asked for
        // whole.
        loop {
            let mut offset = match fs::metadata(part).await {
                Ok(m) => m.len(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
                Err(e) => return Err(DownloadError::io(part)(e)),
            };
            let limit = request.bytes.or(request.max_bytes);
            if limit.is_some_and(|limit| offset > limit) {
                fs::remove_file(part).await.map_err(DownloadError::io(part))?;
                offset = 0;
            }
            let mut get = self.client.get(url.clone());
            if offset > 0 {
                get = get.header(RANGE, format!("bytes={offset}-"));
            }
            let response = match self.wait(get.send(), cancel).await {
                Waited::Done(Ok(response)) => response,
                Waited::Done(Err(source)) => {
                    return Err(DownloadError::Http { url: url.to_string(), source });
                }
                Waited::Cancelled => {
                    return Err(DownloadError::Cancelled { kept: offset, part: part.to_owned() });
                }
                Waited::Stalled => return Err(self.stalled(url, offset, part)),
            };
            let status = response.status();
            let range = content_range(&response);
            match status {
                StatusCode::PARTIAL_CONTENT if offset > 0 => {
                    let Some(ContentRange { first: Some(first), total }) = range else {
                        return Err(bad(url, "answered 206 without a byte range"));
                    };
                    if first == offset {
                        return Ok(Plan { response: Some(response), offset, total });
                    }
                    // Some other stretch of the file: begin again.
                }
                StatusCode::OK | StatusCode::PARTIAL_CONTENT => {
                    // A server that ignores Range sends the whole file: the part is discarded.
                    let total = match range {
                        Some(ContentRange { first: Some(0), total }) => total,
                        _ => response.content_length(),
                    };
                    return Ok(Plan { response: Some(response), offset: 0, total });
                }
                StatusCode::RANGE_NOT_SATISFIABLE if offset > 0 => {
                    let total = range.and_then(|r| r.total);
                    if total == Some(offset) {
                        // The part already holds the whole file: only the check remains.
                        return Ok(Plan { response: None, offset, total });
                    }
                    // The part is longer than the file, or the server will not say: begin again.
                }
                StatusCode::NOT_FOUND => {
                    return Err(DownloadError::NotFound { url: url.to_string() });
                }
                status => return Err(DownloadError::Status { url: url.to_string(), status }),
            }
            fs::remove_file(part).await.map_err(DownloadError::io(part))?;
        }
    }

    /// Copies the response body to `file`, hashing and counting it in `sink`.
    async fn stream(
        &self,
        request: &DownloadRequest,
        response: reqwest::Response,
        file: &mut File,
        sink: &mut Sink,
        cancel: &AtomicBool,
        progress: &mut impl FnMut(Progress),
    ) -> Result<(), DownloadError> {
        let url = &request.url;
        let part = partial_path(&request.dest);
        let mut body = response.bytes_stream();
        let mut reported: Option<Instant> = None;
        loop {
            let chunk = match self.wait(body.next(), cancel).await {
                Waited::Done(None) => return Ok(()),
                Waited::Done(Some(Ok(chunk))) => chunk,
                Waited::Done(Some(Err(source))) => {
                    return Err(DownloadError::Interrupted {
                        url: url.to_string(),
                        kept: sink.done,
                        part,
                        source: Some(source),
                    });
                }
                Waited::Cancelled => {
                    return Err(DownloadError::Cancelled { kept: sink.done, part });
                }
                Waited::Stalled => return Err(self.stalled(url, sink.done, &part)),
            };
            let after = sink.done + chunk.len() as u64;
            if let Some(limit) = request.max_bytes
                && after > limit
            {
                return Err(DownloadError::TooLarge { url: url.to_string(), limit });
            }
            file.write_all(&chunk).await.map_err(DownloadError::io(&part))?;
            sink.hasher.update(&chunk);
            sink.done = after;
            if reported.is_none_or(|at| at.elapsed() >= PROGRESS_EVERY) {
                progress(Progress { done: sink.done, total: sink.total });
                reported = Some(Instant::now());
            }
        }
    }

    /// Awaits `future`, giving up when `cancel` is set or nothing happens for the stall timeout.
    async fn wait<F: Future>(&self, future: F, cancel: &AtomicBool) -> Waited<F::Output> {
        let started = Instant::now();
        let mut future = std::pin::pin!(future);
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Waited::Cancelled;
            }
            if let Ok(output) = tokio::time::timeout(TICK, &mut future).await {
                return Waited::Done(output);
            }
            if started.elapsed() >= self.options.stall_timeout {
                return Waited::Stalled;
            }
        }
    }

    fn stalled(&self, url: &Url, kept: u64, part: &Path) -> DownloadError {
        DownloadError::Stalled {
            url: url.to_string(),
            seconds: self.options.stall_timeout.as_secs_f64().ceil() as u64,
            kept,
            part: part.to_owned(),
        }
    }
}

/// Checks the finished `.part` and renames it into place; a wrong file is deleted.
async fn install(request: &DownloadRequest, sink: Sink) -> Result<Downloaded, DownloadError> {
    let part = partial_path(&request.dest);
    let url = &request.url;
    if let Some(total) = sink.total
        && sink.done < total
    {
        return Err(DownloadError::Interrupted {
            url: url.to_string(),
            kept: sink.done,
            part,
            source: None,
        });
    }
    if let Err(e) = check_size(request, Some(sink.done)) {
        let _ = fs::remove_file(&part).await;
        return Err(e);
    }
    let found = hex::encode(sink.hasher.finalize());
    if !found.eq_ignore_ascii_case(&request.sha1) {
        let _ = fs::remove_file(&part).await;
        return Err(DownloadError::ChecksumMismatch {
            dest: request.dest.clone(),
            expected: request.sha1.clone(),
            found,
        });
    }
    fs::rename(&part, &request.dest).await.map_err(DownloadError::io(&request.dest))?;
    // A conversion record described the file this one replaced.
    let record = sidecar_path(&request.dest);
    match fs::remove_file(&record).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(DownloadError::io(&record)(e));
        }
        _ => {}
    }
    Ok(Downloaded { path: request.dest.clone(), bytes: sink.done, sha1: found, resumed_from: 0 })
}

/// Refuses a file whose size (declared or received) is not the one expected, or is too large.
fn check_size(request: &DownloadRequest, size: Option<u64>) -> Result<(), DownloadError> {
    let Some(found) = size else { return Ok(()) };
    let url = request.url.to_string();
    if let Some(expected) = request.bytes
        && expected != found
    {
        return Err(DownloadError::SizeMismatch { url, expected, found });
    }
    if let Some(limit) = request.max_bytes
        && found > limit
    {
        return Err(DownloadError::TooLarge { url, limit });
    }
    Ok(())
}

fn bad(url: &Url, reason: &str) -> DownloadError {
    DownloadError::BadResponse { url: url.to_string(), reason: reason.to_owned() }
}

/// Hashes what an earlier attempt left in `part`, off the async threads.
async fn hash_prefix(part: &Path, mut hasher: Sha1) -> Result<(Sha1, u64), DownloadError> {
    let path = part.to_owned();
    let hashed = tokio::task::spawn_blocking(move || {
        digest::feed(&path, &mut hasher).map(|bytes| (hasher, bytes))
    })
    .await
    .map_err(|e| DownloadError::io(part)(std::io::Error::other(e)))?;
    hashed.map_err(DownloadError::io(part))
}

/// `Content-Range: bytes FIRST-LAST/TOTAL`, or `bytes */TOTAL` on a 416.
#[derive(Debug, PartialEq, Eq)]
struct ContentRange {
    first: Option<u64>,
    total: Option<u64>,
}

fn content_range(response: &reqwest::Response) -> Option<ContentRange> {
    parse_content_range(response.headers().get(CONTENT_RANGE)?.to_str().ok()?)
}

fn parse_content_range(value: &str) -> Option<ContentRange> {
    let (range, total) = value.trim().strip_prefix("bytes ")?.split_once('/')?;
    let total = match total {
        "*" => None,
        n => Some(n.parse().ok()?),
    };
    let first = match range {
        "*" => None,
        range => Some(range.split_once('-')?.0.parse().ok()?),
    };
    Some(ContentRange { first, total })
}

#[cfg(test)]
mod tests;
