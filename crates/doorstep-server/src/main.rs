//! The `doorstep-server` binary: logging to stderr, then the command line's [`cli::run`].

use std::process::ExitCode;

use clap::Parser;
use doorstep_server::cli::{self, Cli};
use tracing_subscriber::prelude::*;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(cli.log)
        .init();
    match cli::run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                message.push_str(": ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            tracing::error!("{message}");
            eprintln!("doorstep-server: {message}");
            ExitCode::FAILURE
        }
    }
}
