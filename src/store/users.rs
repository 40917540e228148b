//! Account queries.

use super::Db;
use crate::model::SessionUser;
use sqlx::Row;

/// The account in a row with `id`, `username` and `is_admin`.
pub(super) fn session_user_of(row: &sqlx::sqlite::SqliteRow) -> Result<SessionUser, sqlx::Error> {
    Ok(SessionUser {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        is_admin: row.try_get("is_admin")?,
    })
}

/// An account with its password hash, for login.
#[derive(Debug, Clone)]
pub struct StoredUser {
    /// The public part.
    pub user: SessionUser,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Disabled by the admin: may not sign in.
    pub disabled: bool,
}

/// Outcome of trying to create an account.
#[derive(Debug)]
pub enum CreateUser {
    /// Created.
    Created(SessionUser),
    /// The name is in use.
    Taken,
    /// Sign-up is closed and at least one account exists.
    Closed,
    /// The invitation was used already, expired or never existed.
    InviteInvalid,
}

/// What lets someone create an account.
#[derive(Debug, Clone, Copy)]
pub enum SignupRight<'a> {
    /// Sign-up is open.
    Open,
    /// An invitation (its id), used up by the sign-up.
    Invite(&'a str),
    /// Nothing: only the very first account may be created.
    FirstOnly,
}

/// Creates an account. The first account becomes admin; after it, an
/// account needs sign-up open or an invitation, which it uses up. One
/// transaction: two sign-ups cannot both be first or use one invitation.
pub async fn create_user(
    db: &Db,
    username: &str,
    password_hash: &str,
    right: SignupRight<'_>,
    now: u64,
) -> Result<CreateUser, sqlx::Error> {
    let mut tx = db.writes.begin().await?;
    if let SignupRight::Invite(invite) = right {
        let used = sqlx::query(
            "UPDATE invites SET used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1 AND used_at IS NULL AND expires_at > ?2",
        )
        .bind(invite)
        .bind(i64::try_from(now).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
        if used.rows_affected() == 0 {
            return Ok(CreateUser::InviteInvalid);
        }
    }
    let result = sqlx::query(
        "INSERT INTO users (username, password_hash, is_admin)
         SELECT ?1, ?2, NOT EXISTS (SELECT 1 FROM users)
         WHERE ?3 OR NOT EXISTS (SELECT 1 FROM users)
         RETURNING id, username, is_admin",
    )
    .bind(username)
    .bind(password_hash)
    .bind(!matches!(right, SignupRight::FirstOnly))
    .fetch_optional(&mut *tx)
    .await;
    let user = match result {
        Ok(Some(row)) => session_user_of(&row)?,
        Ok(None) => return Ok(CreateUser::Closed),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Ok(CreateUser::Taken),
        Err(err) => return Err(err),
    };
    if let SignupRight::Invite(invite) = right {
        sqlx::query("UPDATE invites SET used_by = ?2 WHERE id = ?1")
            .bind(invite)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(CreateUser::Created(user))
}

/// Finds an account by name (case-insensitive).
pub async fn find_user_by_name(db: &Db, username: &str) -> Result<Option<StoredUser>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, username, is_admin, password_hash, disabled FROM users WHERE username = ?1",
    )
    .bind(username)
    .fetch_optional(&db.reads)
    .await?;
    row.map(|row| {
        Ok(StoredUser {
            user: session_user_of(&row)?,
            password_hash: row.try_get("password_hash")?,
            disabled: row.try_get("disabled")?,
        })
    })
    .transpose()
}

/// The password hash of account `id`, for a password change.
pub async fn password_hash_of(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?1")
        .bind(id)
        .fetch_optional(&db.reads)
        .await
}

/// Sets account `id`'s password hash and ends its sessions but `keep` (the
/// one that asked), in one transaction: no session signed in with the old
/// password outlives the change. False when there is no such account.
pub async fn set_password(
    db: &Db,
    id: i64,
    password_hash: &str,
    keep: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.writes.begin().await?;
    let changed = sqlx::query("UPDATE users SET password_hash = ?2 WHERE id = ?1")
        .bind(id)
        .bind(password_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM sessions WHERE user_id = ?1 AND id IS NOT ?2")
        .bind(id)
        .bind(keep)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(changed > 0)
}

/// Finds an account by id.
pub async fn find_user(db: &Db, id: i64) -> Result<Option<SessionUser>, sqlx::Error> {
    let row = sqlx::query("SELECT id, username, is_admin FROM users WHERE id = ?1")
        .bind(id)
        .fetch_optional(&db.reads)
        .await?;
    row.as_ref().map(session_user_of).transpose()
}

/// How many accounts exist.
pub async fn count_users(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&db.reads)
        .await
}
