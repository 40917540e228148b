-- What the admin sets at run time (`signup`: 'open' or 'closed'; absent:
-- the ALLOW_SIGNUP default).
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- One-time invitations to sign up while sign-up is closed.
CREATE TABLE invites (
    id TEXT PRIMARY KEY NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Seconds since the epoch.
    expires_at INTEGER NOT NULL,
    used_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    used_at TEXT
);
