-- Staff inboxes list the issues waiting for an extension decision, newest first. Few issues wait at once, so
-- without an index of their own the list walks every issue of the region (found by scripts/bench http over a
-- million issues).
CREATE INDEX issues_pending_extension ON issues (id DESC) WHERE pending_extension;
