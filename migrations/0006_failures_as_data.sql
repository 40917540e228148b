-- A failed reply stores what went wrong as data (a kind and its parameters,
-- JSON), and a reply a fallback wrote stores who and why: the page words
-- them in the reader's language from the message catalogs. The sentences
-- earlier versions stored move over: a failure keeps its words as a
-- 'recorded' failure; a failover notice (always written by the same
-- English template) is read back into its parts.
ALTER TABLE messages ADD COLUMN failure TEXT;
ALTER TABLE messages ADD COLUMN failover TEXT;

UPDATE messages
SET failure = json_object('kind', 'recorded', 'en', error, 'es', error_es)
WHERE error IS NOT NULL;

WITH reasons(phrase, reason) AS (
    VALUES (' was rate-limited, so ', 'rate_limited'),
           (' was busy or loading, so ', 'busy'),
           (' did not answer in time, so ', 'timed_out'),
           (' could not be reached, so ', 'unreachable')
)
UPDATE messages
SET failover = (
    SELECT json_object(
        'chosen', substr(notice, 1, instr(notice, phrase) - 1),
        'answered', substr(notice, instr(notice, phrase) + length(phrase),
                           length(notice) - instr(notice, phrase) + 1 - length(phrase) - length(' answered.')),
        'reason', reason)
    FROM reasons
    WHERE instr(notice, phrase) > 0
    LIMIT 1
)
WHERE notice LIKE '% answered.';

ALTER TABLE messages DROP COLUMN error;
ALTER TABLE messages DROP COLUMN error_es;
ALTER TABLE messages DROP COLUMN notice;
ALTER TABLE messages DROP COLUMN notice_es;
