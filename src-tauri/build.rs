//! Declares the app's commands to Tauri, so each gets a permission and the webview may call
//! only those its capabilities grant (see capabilities/ and permissions/).

const COMMANDS: &[&str] = &[
    "app_state",
    "create_store",
    "unlock",
    "lock",
    "today",
    "people",
    "add_person",
    "start_recording",
    "pause_recording",
    "resume_recording",
    "stop_recording",
    "transcribe_recording",
    "ingest_file",
    "add_note",
    "note",
    "edit_note",
    "set_own_words",
    "review_theme",
    "approve_note",
    "segment_audio",
    "person",
    "ecomap",
    "confirm_ecomap",
    "ecomap_diff",
    "chronology",
    "themes",
    "search",
    "sync_status",
    "sync_now",
    "settings",
    "save_settings",
    "models",
    "download_model",
    "import_model",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo::error={e:#}");
    }
}
