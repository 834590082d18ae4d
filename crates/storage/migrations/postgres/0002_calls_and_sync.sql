-- Calls and the sync protocol.
-- sync_counter hands out change versions; a writer takes the next version inside its
-- transaction, which locks the row until commit, so versions become visible in order and
-- a pull never skips a change committed late (see docs/sync.md).
CREATE TABLE sync_counter (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO sync_counter (name, value) VALUES ('changes', 0);

ALTER TABLE hcps ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX hcps_version ON hcps (version);
ALTER TABLE accounts ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX accounts_version ON accounts (version);
ALTER TABLE zip_alignments ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE assignments ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- Calls per month an HCP of a tier should receive (made versioned and per product by the
-- targeting work; one row per tier for now).
CREATE TABLE frequency_targets (
    id TEXT PRIMARY KEY,
    tier TEXT NOT NULL UNIQUE CHECK (tier IN ('A', 'B', 'C')),
    calls_per_month BIGINT NOT NULL CHECK (calls_per_month >= 0),
    version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO frequency_targets (id, tier, calls_per_month) VALUES
    ('0190a000-0000-7000-8000-00000000000a', 'A', 3),
    ('0190a000-0000-7000-8000-00000000000b', 'B', 2),
    ('0190a000-0000-7000-8000-00000000000c', 'C', 1);

-- Submitted calls: facts, never updated; a correction is a new row pointing at the original.
CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    rep_id TEXT NOT NULL REFERENCES users (id),
    call_type TEXT NOT NULL CHECK (call_type IN ('in_person', 'remote_video', 'phone', 'group')),
    account_id TEXT REFERENCES accounts (id),
    territory_id TEXT REFERENCES org_units (id),
    called_at TEXT NOT NULL,
    product_ids TEXT NOT NULL,
    outcome TEXT NOT NULL,
    next_step TEXT NOT NULL,
    next_step_date TEXT,
    notes TEXT,
    corrects TEXT REFERENCES calls (id),
    correction_reason TEXT,
    flags TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX calls_version ON calls (version);
CREATE INDEX calls_rep ON calls (rep_id, called_at);

CREATE TABLE call_attendees (
    call_id TEXT NOT NULL REFERENCES calls (id),
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    PRIMARY KEY (call_id, hcp_id)
);
CREATE INDEX call_attendees_hcp ON call_attendees (hcp_id);

-- Per device: the last mutation applied (advanced in the same transaction as its effects).
CREATE TABLE sync_clients (
    client_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    last_mutation_id TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Every mutation received and its outcome, so a replay answers the same and changes nothing.
CREATE TABLE sync_mutations (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    code TEXT,
    message TEXT,
    errors TEXT NOT NULL,
    received_at TEXT NOT NULL
);
