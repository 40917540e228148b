//! Session rows: what a token names, so a session can end before its token
//! expires.

use super::Db;
use crate::model::SessionUser;

/// Stores a new session `id` of account `user_id`, ending at `expires_at`
/// (seconds since the epoch). Sessions of the account that have expired go
/// at the same time, so the table holds live sessions only.
pub async fn create_session(
    db: &Db,
    id: &str,
    user_id: i64,
    now: u64,
    expires_at: u64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.writes.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = ?1 AND expires_at <= ?2")
        .bind(user_id)
        .bind(seconds(now))
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO sessions (id, user_id, expires_at) VALUES (?1, ?2, ?3)")
        .bind(id)
        .bind(user_id)
        .bind(seconds(expires_at))
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// The account of live session `id` of account `user_id`: `None` when the
/// session ended or expired, or the account is disabled.
pub async fn session_user(
    db: &Db,
    id: &str,
    user_id: i64,
    now: u64,
) -> Result<Option<SessionUser>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.username, u.is_admin FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = ?1 AND s.user_id = ?2 AND s.expires_at > ?3 AND NOT u.disabled",
    )
    .bind(id)
    .bind(user_id)
    .bind(seconds(now))
    .fetch_optional(&db.reads)
    .await?;
    row.as_ref().map(super::users::session_user_of).transpose()
}

/// Ends session `id`; true when it was live.
pub async fn end_session(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = ?1")
        .bind(id)
        .execute(&db.writes)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends every session of account `user_id`; returns how many there were.
pub async fn end_sessions_of(db: &Db, user_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = ?1")
        .bind(user_id)
        .execute(&db.writes)
        .await?;
    Ok(done.rows_affected())
}

/// SQLite integers are signed; a time past `i64::MAX` seconds is "never".
fn seconds(epoch: u64) -> i64 {
    i64::try_from(epoch).unwrap_or(i64::MAX)
}
