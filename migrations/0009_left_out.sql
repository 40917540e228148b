-- A reply sent without the oldest messages of its conversation says how
-- many were sent and the bound they had to fit (JSON, worded by the page).
ALTER TABLE messages ADD COLUMN left_out TEXT;
