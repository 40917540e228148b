-- The model picked for a conversation (NULL: the provider's default).
ALTER TABLE conversations ADD COLUMN model TEXT;
