-- Messages get ids that are never reused (AUTOINCREMENT): Regenerate and
-- edit delete the newest messages, and a reused id would let a follower
-- resume a new reply at an old reply's offsets. SQLite cannot change a key
-- in place, so the table is rebuilt. It also gains the Spanish wording of a
-- failed reply's fix and of the failover notice.
CREATE TABLE messages_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'complete',
    error TEXT,
    provider TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    reasoning TEXT NOT NULL DEFAULT '',
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    generation_ms INTEGER,
    notice TEXT,
    error_es TEXT,
    notice_es TEXT
);
INSERT INTO messages_new (id, conversation_id, role, content, status, error, provider, created_at,
    reasoning, prompt_tokens, completion_tokens, generation_ms, notice)
SELECT id, conversation_id, role, content, status, error, provider, created_at,
    reasoning, prompt_tokens, completion_tokens, generation_ms, notice
FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);

-- Per-conversation settings (NULL: the server's default).
ALTER TABLE conversations ADD COLUMN system_prompt TEXT;
ALTER TABLE conversations ADD COLUMN temperature REAL;
ALTER TABLE conversations ADD COLUMN max_tokens INTEGER;
