-- 领单: the responsible agency answers a citizen's comment on an elected project, under it, in public.
ALTER TABLE project_comments
    ADD COLUMN answer      text,
    ADD COLUMN answered_by uuid REFERENCES users (id),
    ADD COLUMN answered_at timestamptz,
    ADD CONSTRAINT project_comments_answer_whole
        CHECK ((answer IS NULL) = (answered_at IS NULL) AND (answer IS NULL) = (answered_by IS NULL));
