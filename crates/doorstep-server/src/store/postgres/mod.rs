//! The PostgreSQL backend, for organisations that outgrow one machine: any number of stateless
//! servers (behind a load balancer) over one database. Nothing about a space lives in a server's
//! memory; what must happen one at a time (a space's cursors) is ordered by a row lock in the
//! database, so two servers behave as one.
//!
//! tokio-postgres is async already, so calls run on the runtime's threads; deadpool keeps a small
//! pool of connections, each with its prepared statements. The connection is plain TCP or a Unix
//! socket, without TLS: put the database on the same host or a private network (the data it holds
//! is ciphertext and metadata, but the password crosses that link).

mod queries;
mod schema;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{
    Client, Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime,
};
use doorstep_wire::{DeviceInfo, Envelope, PushResponse};
use tokio_postgres::config::Host;
use tokio_postgres::{Config, NoTls};
use uuid::Uuid;

pub use schema::CURRENT_VERSION;

use super::{AuthDevice, Backend, NewDevice, Page, StoreError, StoreResult};
use crate::token::TokenHash;

/// Connections one server keeps at most. Several servers share the database's own limit
/// (100 by default), so this stays modest.
const POOL_SIZE: usize = 16;
/// How long a request waits for a free connection, and for a new one to open.
const WAIT: Duration = Duration::from_secs(5);

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> Self {
        StoreError::Backend(Box::new(error))
    }
}

impl From<PoolError> for StoreError {
    fn from(error: PoolError) -> Self {
        StoreError::Backend(Box::new(error))
    }
}

/// Why the database could not be opened. `db` names it as [`describe`] does, without password.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{db}: cannot set up the connection pool")]
    Pool {
        db: String,
        #[source]
        source: deadpool_postgres::BuildError,
    },
    #[error("{db}: cannot connect")]
    Connect {
        db: String,
        #[source]
        source: PoolError,
    },
    #[error("{db}: {doing}")]
    Sql {
        db: String,
        doing: &'static str,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error(
        "{db} has schema version {found}; this server knows up to {supported}: run a newer server"
    )]
    NewerSchema { db: String, found: i32, supported: i32 },
}

/// The PostgreSQL backend; clones share the pool.
#[derive(Clone)]
pub struct PostgresBackend {
    pool: Pool,
    db: Arc<str>,
}

impl fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresBackend").field("db", &self.db).finish_non_exhaustive()
    }
}

/// The database a configuration names, for logs and errors: user, hosts, ports and database,
/// never the password.
pub fn describe(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let host = match host {
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(path) => path.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    format!(
        "postgres://{}@{}/{}",
        config.get_user().unwrap_or(""),
        hosts.join(","),
        config.get_dbname().unwrap_or("")
    )
}

impl PostgresBackend {
    /// Connects to the database `config` names and brings its schema up to date, so a server
    /// that cannot reach its database fails at start rather than on the first request.
    pub async fn connect(mut config: Config) -> Result<Self, OpenError> {
        let db = describe(&config);
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(WAIT);
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(WAIT))
            .create_timeout(Some(WAIT))
            .build()
            .map_err(|source| OpenError::Pool { db: db.clone(), source })?;
        let mut client =
            pool.get().await.map_err(|source| OpenError::Connect { db: db.clone(), source })?;
        schema::prepare(&mut client, &db).await?;
        Ok(Self { pool, db: db.into() })
    }

    /// The database, as [`describe`] names it.
    pub fn db(&self) -> &str {
        &self.db
    }

    async fn client(&self) -> StoreResult<Client> {
        Ok(self.pool.get().await?)
    }
}

impl Backend for PostgresBackend {
    async fn check(&self) -> StoreResult<()> {
        self.client().await?.simple_query("SELECT 1").await?;
        Ok(())
    }

    async fn create_space(&self, space: Uuid, first: NewDevice) -> StoreResult<()> {
        queries::create_space(&mut self.client().await?, space, &first).await
    }

    async fn enrol_device(&self, space: Uuid, by: Uuid, device: NewDevice) -> StoreResult<()> {
        queries::enrol_device(&mut self.client().await?, space, by, &device).await
    }

    async fn list_devices(&self, space: Uuid) -> StoreResult<Vec<DeviceInfo>> {
        queries::list_devices(&self.client().await?, space).await
    }

    async fn revoke_device(&self, space: Uuid, device: Uuid) -> StoreResult<()> {
        queries::revoke_device(&self.client().await?, space, device).await
    }

    async fn authenticate(&self, token: TokenHash) -> StoreResult<Option<AuthDevice>> {
        queries::authenticate(&self.client().await?, token).await
    }

    async fn push(&self, space: Uuid, envelopes: Vec<Envelope>) -> StoreResult<PushResponse> {
        queries::push(&mut self.client().await?, space, &envelopes).await
    }

    async fn pull(&self, space: Uuid, after: u64, limit: usize) -> StoreResult<Page> {
        queries::pull(&self.client().await?, space, after, limit).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_names_the_database_but_not_the_password() {
        let config: Config = "postgres://doorstep:s3cret@db.internal:6543/sync".parse().unwrap();
        let text = describe(&config);
        assert_eq!(text, "postgres://doorstep@db.internal:6543/sync");
        let config: Config =
            "host=/run/postgresql user=u password=s3cret dbname=d".parse().unwrap();
        assert_eq!(describe(&config), "postgres://u@/run/postgresql/d");
    }
}
