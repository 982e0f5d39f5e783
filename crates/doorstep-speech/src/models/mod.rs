//! Whisper models: which ones Doorstep knows (the compiled-in manifest), which one suits a
//! device, where they live, and getting them onto the device verified — downloaded and checked
//! against whisper.cpp's published sha1, or converted locally and checked against the record
//! written beside them.

mod device;
mod digest;
mod download;
mod inventory;
mod manifest;
mod resolve;
mod sidecar;
mod verify;

pub use self::device::total_ram_mb;
pub use self::digest::{Algorithm, FileDigest, digest_file};
pub use self::download::{
    DownloadError, DownloadOptions, DownloadRequest, Downloaded, Downloader, Progress, partial_path,
};
pub use self::inventory::{InventoryError, ModelFile, Origin, installed_path, partial_bytes, scan};
pub use self::manifest::{
    Language, Manifest, ManifestError, ModelEntry, Quantisation, RAM_HEADROOM,
};
pub use self::resolve::{ResolveError, ResolvedModel, choose_model, resolve_model};
pub use self::sidecar::{ConversionRecord, SidecarError, sidecar_path};
pub use self::verify::{Basis, Verification, VerifyError, verify_model};
pub use reqwest::Url;
