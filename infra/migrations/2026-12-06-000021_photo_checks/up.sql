-- WeChat's asynchronous content check of citizens' photos (/wxa/media_check_async): the trace id WeChat gave when the
-- photo was sent, and its verdict once WeChat pushed it. No verdict: never sent (WeChat or its push not configured,
-- or not a citizen's photo). A risky photo is withheld from every public answer and its issue held for review.
ALTER TABLE photos
    ADD COLUMN check_trace_id text UNIQUE,
    ADD COLUMN check_verdict  text CHECK (check_verdict IN ('pending', 'pass', 'review', 'risky'));
