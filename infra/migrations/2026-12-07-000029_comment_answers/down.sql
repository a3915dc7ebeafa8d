ALTER TABLE project_comments
    DROP CONSTRAINT project_comments_answer_whole,
    DROP COLUMN answered_at,
    DROP COLUMN answered_by,
    DROP COLUMN answer;
