DROP INDEX issues_pending_extension;
