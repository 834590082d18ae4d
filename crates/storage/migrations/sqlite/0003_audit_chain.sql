-- Tamper evidence for the audit log: every entry carries its position in one chain, the
-- hash of the entry before it and its own hash (SHA-256 over its contents and that previous
-- hash). audit_head holds the end of the chain; appending locks it, so entries chain in
-- commit order. `pharmacrm audit verify` recomputes the chain. Entries written before this
-- migration are chained by `Store::migrate`.
ALTER TABLE audit_log ADD COLUMN position INTEGER;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_position ON audit_log (position);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, position, hash) VALUES (1, 0, 'genesis');

-- Entries stay immutable once chained; only sealing an unchained legacy entry is an update.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.position IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
