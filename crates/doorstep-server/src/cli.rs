//! The `doorstep-server` command line, kept in the library so its parsing is tested; `main.rs`
//! only sets up logging and calls [`run`].

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, Parser, Subcommand};
use tokio::net::TcpListener;
use tracing_subscriber::filter::Targets;

use crate::app::{AppState, RateLimit};
use crate::serve::{serve, shutdown_signal};
use crate::store::Backend;
use crate::store::postgres::{self, PostgresBackend};
use crate::store::sqlite::{self, SqliteBackend};

const TLS_NOTE: &str = "The server speaks plain HTTP and does not terminate TLS. Listen on \
loopback or a private network and put a reverse proxy that terminates TLS in front of it \
(Caddy, nginx, a cloud load balancer); devices refuse plain-HTTP servers other than loopback.";

#[derive(Debug, Parser)]
#[command(
    name = "doorstep-server",
    version,
    about = "Doorstep's sync server: stores and relays sealed envelopes it cannot read",
    after_help = TLS_NOTE
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log levels, as `LEVEL` or `target=LEVEL,...` (logs never hold record content or tokens).
    #[arg(long, global = true, env = "DOORSTEP_SERVER_LOG", default_value = "info")]
    pub log: Targets,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the sync API until SIGINT or SIGTERM.
    #[command(after_help = TLS_NOTE)]
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (plain HTTP: see below about TLS).
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Where to keep spaces, devices and envelopes: sqlite://PATH (created if missing), or
    /// postgres://USER:PASSWORD@HOST:PORT/DATABASE (an existing database, shared by any number of
    /// servers; the connection is not encrypted, so keep it on the host or a private network).
    #[arg(long, env = "DOORSTEP_SERVER_DB", hide_env_values = true)]
    pub db: DbUrl,
    /// Requests a device may make at once after a pause (and registrations one address may).
    #[arg(long, default_value_t = RateLimit::default().burst)]
    pub burst: f64,
    /// Requests per second a device may keep up (and registrations one address may).
    #[arg(long, default_value_t = RateLimit::default().per_second)]
    pub rate: f64,
}

/// The database the server uses. A PostgreSQL configuration's `Debug` hides its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(PathBuf),
    Postgres(Box<tokio_postgres::Config>),
}

#[derive(Debug, thiserror::Error)]
pub enum DbUrlError {
    #[error("sqlite:// needs a file path, as in sqlite:///var/lib/doorstep/server.db")]
    NoPath,
    /// The driver's reason is in the text: clap shows a value's error without its sources.
    #[error("not a PostgreSQL URL: {0}")]
    Postgres(tokio_postgres::Error),
    #[error("expected sqlite://PATH or postgres://URL")]
    Unknown,
}

impl FromStr for DbUrl {
    type Err = DbUrlError;

    fn from_str(url: &str) -> Result<Self, DbUrlError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(DbUrlError::NoPath);
            }
            Ok(Self::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            url.parse().map(|config| Self::Postgres(Box::new(config))).map_err(DbUrlError::Postgres)
        } else {
            Err(DbUrlError::Unknown)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the rate limit needs --burst of at least 1 and a positive --rate")]
    BadRateLimit,
    #[error(transparent)]
    OpenSqlite(#[from] sqlite::OpenError),
    #[error(transparent)]
    OpenPostgres(#[from] postgres::OpenError),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot watch for SIGINT/SIGTERM")]
    Signal(#[source] std::io::Error),
    #[error("the server failed")]
    Serve(#[source] std::io::Error),
}

pub async fn run(command: Command) -> Result<(), StartError> {
    match command {
        Command::Serve(args) => run_serve(args).await,
    }
}

async fn run_serve(args: ServeArgs) -> Result<(), StartError> {
    let rate = RateLimit { burst: args.burst, per_second: args.rate };
    if !(rate.burst >= 1.0 && rate.per_second > 0.0 && rate.per_second.is_finite()) {
        return Err(StartError::BadRateLimit);
    }
    let shutdown = shutdown_signal().map_err(StartError::Signal)?;
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|source| StartError::Bind { addr: args.listen, source })?;
    match args.db {
        DbUrl::Sqlite(path) => {
            let backend = SqliteBackend::open(&path)?;
            let db = path.display().to_string();
            serve_on(listener, backend, &db, rate, shutdown).await
        }
        DbUrl::Postgres(config) => {
            let backend = PostgresBackend::connect(*config).await?;
            let db = backend.db().to_owned();
            serve_on(listener, backend, &db, rate, shutdown).await
        }
    }
}

async fn serve_on<B: Backend>(
    listener: TcpListener,
    backend: B,
    db: &str,
    rate: RateLimit,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    // The bound address, not the asked one: `--listen 127.0.0.1:0` picks a free port.
    let listen = listener.local_addr().map_err(StartError::Serve)?;
    tracing::info!(%listen, db, "serving");
    serve(listener, AppState::new(backend, rate), shutdown).await.map_err(StartError::Serve)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn database_urls_name_sqlite_files_or_postgres_databases() {
        assert_eq!(
            "sqlite:///var/x.db".parse::<DbUrl>().unwrap(),
            DbUrl::Sqlite("/var/x.db".into())
        );
        assert_eq!("sqlite://x.db".parse::<DbUrl>().unwrap(), DbUrl::Sqlite("x.db".into()));
        assert!(matches!("sqlite://".parse::<DbUrl>(), Err(DbUrlError::NoPath)));
        for url in [
            "postgres://u:s3cret@db.internal:6543/sync",
            "postgresql://u:s3cret@db.internal:6543/sync",
        ] {
            let DbUrl::Postgres(config) = url.parse().unwrap() else { panic!("{url}") };
            assert_eq!(config.get_dbname(), Some("sync"));
            assert_eq!(config.get_ports(), [6543]);
            assert!(!format!("{config:?}").contains("s3cret"), "Debug hides the password");
        }
        assert!(matches!("postgres://h:port/db".parse::<DbUrl>(), Err(DbUrlError::Postgres(_))));
        assert!(matches!("/var/x.db".parse::<DbUrl>(), Err(DbUrlError::Unknown)));
    }

    #[test]
    fn the_command_line_parses_and_its_help_tells_about_tls() {
        Cli::command().debug_assert();
        let cli = Cli::try_parse_from([
            "doorstep-server",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--db",
            "sqlite://s.db",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command;
        assert_eq!(args.db, DbUrl::Sqlite("s.db".into()));
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("reverse proxy"));
    }
}
