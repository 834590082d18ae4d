-- A record moved between scopes by an edit of its own (an HCP's or account's ZIP, a proposed
-- HCP rejected): the next incremental pull of every device becomes a reset, as alignment
-- changes already do, so the losing device drops the record and the gaining one receives it
-- whole, with its calls.
CREATE TABLE scope_changes (
    version BIGINT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX scope_changes_version ON scope_changes (version);
