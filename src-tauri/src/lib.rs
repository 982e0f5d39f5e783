//! Doorstep's app shell: the Tauri builder with the session as managed state, and the commands
//! (one module per screen's capability, each command a few lines over doorstep-app).

mod commands;
mod paths;
mod state;

use tauri::{App, Builder, Manager, Runtime};

pub use state::Shared;

/// The app's entry point on every platform.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    if let Err(e) = run_app(Builder::default(), tauri::generate_context!()) {
        eprintln!("Doorstep could not start: {e}");
        std::process::exit(1);
    }
}

/// Builds and runs the app on any runtime, its store where the platform keeps app data.
pub fn run_app<R: Runtime>(builder: Builder<R>, context: tauri::Context<R>) -> tauri::Result<()> {
    build_app(builder, context, None)?.run(|_, _| {});
    Ok(())
}

/// The app with its state and commands, not yet running; `shared` replaces the session made
/// from the platform's directories (tests drive the app on the mock runtime this way).
pub fn build_app<R: Runtime>(
    builder: Builder<R>,
    context: tauri::Context<R>,
    shared: Option<Shared>,
) -> tauri::Result<App<R>> {
    let builder = match shared {
        Some(shared) => builder.manage(shared),
        None => builder.setup(|app| {
            let paths = paths::Paths::for_app(app.handle())?;
            app.manage(Shared::new(paths.data, paths.models));
            Ok(())
        }),
    };
    builder.invoke_handler(commands::handler()).build(context)
}

#[cfg(test)]
mod tests;
