-- Replies are written by a server task while they stream: reasoning is kept
-- apart from the answer, and the provider's token counts are kept for the page.
ALTER TABLE messages ADD COLUMN reasoning TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN prompt_tokens INTEGER;
ALTER TABLE messages ADD COLUMN completion_tokens INTEGER;
ALTER TABLE messages ADD COLUMN generation_ms INTEGER;
