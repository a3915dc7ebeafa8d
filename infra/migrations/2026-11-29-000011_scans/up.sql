-- Every QR code a citizen arrived through (signed in with its scene), kept per code: following a deputy needs a scan of
-- the deputy's card, rating a livelihood project a scan of the project's code. users.scene_code stays what it was,
-- the code the citizen's next reports go to.
CREATE TABLE scans (
    user_id    uuid NOT NULL REFERENCES users (id),
    scene_code text NOT NULL REFERENCES scenes (code),
    first_at   timestamptz NOT NULL,
    last_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, scene_code)
);

-- The one scan each citizen had recorded so far.
INSERT INTO scans (user_id, scene_code, first_at, last_at)
SELECT id, scene_code, coalesce(scene_at, updated_at), coalesce(scene_at, updated_at)
  FROM users
 WHERE scene_code IS NOT NULL;
