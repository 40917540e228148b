//! What the admin changes: accounts, the sign-up switch, invitations.

use super::Db;
use crate::model::{AccountSummary, InviteSummary};
use sqlx::Row;

/// Every account with its number of conversations, oldest first.
pub async fn list_accounts(db: &Db) -> Result<Vec<AccountSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.username, u.is_admin, u.disabled, u.created_at,
                (SELECT COUNT(*) FROM conversations c WHERE c.user_id = u.id) AS conversations
         FROM users u ORDER BY u.id",
    )
    .fetch_all(&db.reads)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(AccountSummary {
                id: row.try_get("id")?,
                username: row.try_get("username")?,
                is_admin: row.try_get("is_admin")?,
                disabled: row.try_get("disabled")?,
                created_at: row.try_get("created_at")?,
                conversations: row.try_get("conversations")?,
            })
        })
        .collect()
}

/// Disables or enables account `id`; disabling ends its sessions in the
/// same transaction. False when there is no such account.
pub async fn set_disabled(db: &Db, id: i64, disabled: bool) -> Result<bool, sqlx::Error> {
    let mut tx = db.writes.begin().await?;
    let changed = sqlx::query("UPDATE users SET disabled = ?2 WHERE id = ?1")
        .bind(id)
        .bind(disabled)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = ?1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(changed > 0)
}

/// Makes account `id` an admin or not. False when there is no such account.
pub async fn set_admin(db: &Db, id: i64, is_admin: bool) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET is_admin = ?2 WHERE id = ?1")
        .bind(id)
        .bind(is_admin)
        .execute(&db.writes)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes account `id` with its conversations and sessions. False when
/// there is no such account.
pub async fn delete_account(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM users WHERE id = ?1")
        .bind(id)
        .execute(&db.writes)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The admin's sign-up switch: `None` until the admin sets it.
pub async fn signup_setting(db: &Db) -> Result<Option<bool>, sqlx::Error> {
    let value: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'signup'")
            .fetch_optional(&db.reads)
            .await?;
    Ok(value.map(|v| v == "open"))
}

/// Sets the sign-up switch.
pub async fn set_signup_setting(db: &Db, open: bool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('signup', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(if open { "open" } else { "closed" })
    .execute(&db.writes)
    .await?;
    Ok(())
}

/// Stores invitation `id`, usable once until `expires_at` (seconds since
/// the epoch).
pub async fn create_invite(
    db: &Db,
    id: &str,
    created_by: i64,
    expires_at: u64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO invites (id, created_by, expires_at) VALUES (?1, ?2, ?3)")
        .bind(id)
        .bind(created_by)
        .bind(i64::try_from(expires_at).unwrap_or(i64::MAX))
        .execute(&db.writes)
        .await?;
    Ok(())
}

/// Invitations neither used nor expired at `now`, newest first.
pub async fn usable_invites(db: &Db, now: u64) -> Result<Vec<InviteSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, strftime('%Y-%m-%dT%H:%M:%SZ', expires_at, 'unixepoch') AS expires
         FROM invites WHERE used_at IS NULL AND expires_at > ?1 ORDER BY created_at DESC",
    )
    .bind(i64::try_from(now).unwrap_or(i64::MAX))
    .fetch_all(&db.reads)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(InviteSummary {
                id: row.try_get("id")?,
                expires: row.try_get("expires")?,
            })
        })
        .collect()
}

/// Whether invitation `id` can still be used at `now`.
pub async fn invite_usable(db: &Db, id: &str, now: u64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM invites WHERE id = ?1 AND used_at IS NULL AND expires_at > ?2",
    )
    .bind(id)
    .bind(i64::try_from(now).unwrap_or(i64::MAX))
    .fetch_optional(&db.reads)
    .await?;
    Ok(found.is_some())
}

/// Withdraws invitation `id`. False when there is no such invitation.
pub async fn delete_invite(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM invites WHERE id = ?1 AND used_at IS NULL")
        .bind(id)
        .execute(&db.writes)
        .await?;
    Ok(done.rows_affected() > 0)
}
