-- Tamper evidence for the audit log: every entry carries its position in one chain, the
-- hash of the entry before it and its own hash (SHA-256 over its contents and that previous
-- hash). audit_head holds the end of the chain; appending locks it, so entries chain in
-- commit order. `pharmacrm audit verify` recomputes the chain. Entries written before this
-- migration are chained by `Store::migrate`.
ALTER TABLE audit_log ADD COLUMN position BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_position ON audit_log (position);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    position BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, position, hash) VALUES (1, 0, 'genesis');

-- Entries stay immutable once chained; only sealing an unchained legacy entry is an update.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.position IS NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
