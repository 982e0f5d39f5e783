//! The commands the UI calls (see docs/app-ipc.md), grouped by what they serve. Each is a few
//! lines: take the arguments, run a doorstep-app workflow on the session, return its view.

mod caseload;
mod person;
mod record;
mod review;
mod search;
mod session;
mod settings;
mod sync;

use tauri::Runtime;
use tauri::ipc::Invoke;

pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        session::app_state,
        session::create_store,
        session::unlock,
        session::lock,
        caseload::today,
        caseload::people,
        caseload::add_person,
        record::start_recording,
        record::pause_recording,
        record::resume_recording,
        record::stop_recording,
        record::transcribe_recording,
        record::ingest_file,
        review::add_note,
        review::note,
        review::edit_note,
        review::set_own_words,
        review::review_theme,
        review::approve_note,
        review::segment_audio,
        person::person,
        person::ecomap,
        person::confirm_ecomap,
        person::ecomap_diff,
        person::chronology,
        search::themes,
        search::search,
        sync::sync_status,
        sync::sync_now,
        settings::settings,
        settings::save_settings,
        settings::models,
        settings::download_model,
        settings::import_model,
    ]
}
