//! A fresh PostgreSQL database for one test, on the server `DOORSTEP_TEST_POSTGRES` names
//! (scripts/test.sh starts a local one and sets it), dropped when the test ends, passed or
//! failed, so reruns start clean.

use tokio_postgres::{Config, NoTls};
use uuid::Uuid;

pub const ENV: &str = "DOORSTEP_TEST_POSTGRES";

pub struct TestDatabase {
    /// Where to connect to the new database.
    pub config: Config,
    admin: Config,
    name: String,
}

impl TestDatabase {
    /// Creates the database, or says the test is skipped and returns `None` when the variable
    /// is unset. On CI (`CI` set) the variable must be set: a skipped backend would pass unseen.
    pub async fn create(test: &str) -> Option<Self> {
        let Ok(url) = std::env::var(ENV) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{ENV} is not set on CI: run the tests through scripts/test.sh"
            );
            eprintln!("skipped {test}: {ENV} is not set (scripts/test.sh sets it)");
            return None;
        };
        let admin: Config = url.parse().expect("DOORSTEP_TEST_POSTGRES is a PostgreSQL URL");
        // Unquoted names are folded to lower case: the uuid's simple form is already.
        let name = format!("doorstep_test_{}", Uuid::now_v7().simple());
        run(&admin, &format!("CREATE DATABASE {name}")).await;
        let mut config = admin.clone();
        config.dbname(&name);
        Some(Self { config, admin, name })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        // FORCE ends connections a pool may still hold.
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop cannot await, and runs inside the test's runtime: a thread with its own.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(run(&admin, &sql));
        })
        .join();
        if dropped.is_err() {
            eprintln!("could not drop the test database {}", self.name);
        }
    }
}

/// Runs `sql` on its own connection.
pub async fn run(config: &Config, sql: &str) {
    let (client, connection) = config.connect(NoTls).await.unwrap();
    let connection = tokio::spawn(connection);
    client.batch_execute(sql).await.unwrap();
    drop(client);
    connection.await.unwrap().unwrap();
}
