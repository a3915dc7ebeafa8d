-- 知识库: wording a clerk starts a reply, a refusal or a comment from, kept for a region and everything below it,
-- optionally for one agency (its handlers') and one category. Staff keep their region's; admins anyone's.
CREATE TABLE templates (
    id            uuid PRIMARY KEY,
    region_code   text NOT NULL REFERENCES regions (code),
    agency_id     uuid REFERENCES agencies (id),
    category_code text REFERENCES categories (code),
    kind          text NOT NULL CHECK (kind IN ('reply', 'decline', 'comment')),
    title         text NOT NULL,
    body          text NOT NULL,
    created_by    uuid NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- An issue's templates are read by the codes along its region's path and the command's kind.
CREATE INDEX templates_region_kind ON templates (region_code, kind);
