//! The database: pool, migrations and every query the app runs.

mod admin;
mod conversations;
mod sessions;
mod users;

pub use admin::*;
pub use conversations::*;
pub use sessions::*;
pub use users::*;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

/// The database: one connection that writes and a few that read.
///
/// SQLite lets one writer in at a time; writers that meet on the lock sleep
/// and retry inside SQLite, which under load (thousands of replies starting
/// and finishing at once) costs far more than waiting in line. So every write
/// goes through the single `writes` connection, queued fairly by the pool,
/// while reads run in parallel on `reads` (WAL: readers never wait for the
/// writer).
#[derive(Debug, Clone)]
pub struct Db {
    /// The only connection that writes.
    pub writes: SqlitePool,
    /// Read-only connections.
    pub reads: SqlitePool,
}

/// Opens (creating when missing) the SQLite database and brings its schema up to date.
pub async fn connect(database_url: &str) -> Result<Db, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(database_url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // With WAL this cannot corrupt the database; a power cut may lose the
        // last commits, which a chat can afford, for far fewer disk syncs.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let writes = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await?;
    sqlx::migrate!("./migrations").run(&writes).await?;
    let reads = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options.read_only(true))
        .await?;
    Ok(Db { writes, reads })
}
