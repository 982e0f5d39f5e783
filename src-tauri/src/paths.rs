//! Where the app keeps its store and models: the platform's app-data directory, unless
//! `DOORSTEP_DATA_DIR` and `DOORSTEP_MODELS_DIR` say otherwise (tests and the demo use these).

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};

#[derive(Debug)]
pub struct Paths {
    pub data: PathBuf,
    pub models: PathBuf,
}

impl Paths {
    pub fn for_app<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Self> {
        let base = app.path().app_data_dir()?;
        let data =
            std::env::var_os("DOORSTEP_DATA_DIR").map_or_else(|| base.join("store"), PathBuf::from);
        let models = std::env::var_os("DOORSTEP_MODELS_DIR")
            .map_or_else(|| base.join("models"), PathBuf::from);
        Ok(Self { data, models })
    }
}
