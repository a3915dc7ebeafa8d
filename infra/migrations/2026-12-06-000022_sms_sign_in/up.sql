-- Citizens on the phone web pages sign in with a code texted to their phone (短信验证码). A code is kept by a hash of
-- the phone and of the code, for five minutes, for five tries; one a minute per phone at most.
CREATE TABLE sms_codes (
    phone_hash bytea PRIMARY KEY,
    code_hash  bytea NOT NULL,
    sent_at    timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    attempts   integer NOT NULL DEFAULT 0
);
ALTER TABLE sessions DROP CONSTRAINT sessions_method_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_method_check CHECK (method IN ('password', 'wechat', 'sms'));
