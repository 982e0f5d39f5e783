//! The desktop entry point; phones enter through `run` in the library.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    doorstep_tauri::run();
}
