-- A reply answered by a fallback provider says so.
ALTER TABLE messages ADD COLUMN notice TEXT;
