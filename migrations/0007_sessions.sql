-- A session is a row the token names (its `sid` claim), so it can end at
-- once: signing out deletes it, "sign out everywhere" and a password change
-- delete the account's others. An account can be disabled by the admin: its
-- sessions end and it cannot sign in.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Seconds since the epoch, as the token's `exp`.
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
