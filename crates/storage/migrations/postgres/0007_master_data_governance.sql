-- HCP master data governance: duplicate detection, stewardship and merges.
--
-- Every HCP is filed under its blocking keys (`hcp_match_keys`), so the records a new or
-- imported HCP is compared with are found by index whatever the universe's size. The
-- Fellegi-Sunter parameters estimated from the data and the stewards' thresholds live in
-- `matching_settings`. A master record is `verified`, `proposed` (by a rep, waiting for a
-- steward), `rejected`, or `merged` into a survivor; only verified and proposed records are
-- read by anyone's scope. `hcp_merges` keeps what each merge moved, so it can be undone.

ALTER TABLE hcps ADD COLUMN phone TEXT;
ALTER TABLE hcps ADD COLUMN master_status TEXT NOT NULL DEFAULT 'verified'
    CHECK (master_status IN ('verified', 'proposed', 'rejected', 'merged'));
ALTER TABLE hcps ADD COLUMN merged_into TEXT REFERENCES hcps (id);

CREATE TABLE hcp_match_keys (
    key TEXT NOT NULL,
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    PRIMARY KEY (key, hcp_id)
);
CREATE INDEX hcp_match_keys_hcp ON hcp_match_keys (hcp_id);

CREATE TABLE matching_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    parameters TEXT NOT NULL,
    link_threshold DOUBLE PRECISION NOT NULL,
    review_threshold DOUBLE PRECISION NOT NULL,
    estimated_at TEXT,
    updated_by TEXT,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE duplicate_pairs (
    id TEXT PRIMARY KEY,
    hcp_a TEXT NOT NULL REFERENCES hcps (id),
    hcp_b TEXT NOT NULL REFERENCES hcps (id),
    probability DOUBLE PRECISION NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    evidence TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('scan', 'creation', 'import')),
    status TEXT NOT NULL CHECK (status IN ('open', 'merged', 'dismissed')),
    found_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    reason TEXT,
    UNIQUE (hcp_a, hcp_b)
);
CREATE INDEX duplicate_pairs_status ON duplicate_pairs (status, probability);

CREATE TABLE hcp_merges (
    id TEXT PRIMARY KEY,
    survivor_id TEXT NOT NULL REFERENCES hcps (id),
    merged_id TEXT NOT NULL REFERENCES hcps (id),
    merged_status TEXT NOT NULL,
    pair_id TEXT REFERENCES duplicate_pairs (id),
    reason TEXT,
    moved TEXT NOT NULL,
    merged_by TEXT NOT NULL,
    merged_at TEXT NOT NULL,
    undone_by TEXT,
    undone_at TEXT,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX hcp_merges_version ON hcp_merges (version);

-- A rep's proposal: a new HCP (the record itself is in hcps as 'proposed') or a change to an
-- existing one (the fields proposed, applied when a steward approves). Reps read their own.
CREATE TABLE data_requests (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('new_hcp', 'change')),
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    changes TEXT NOT NULL,
    -- The change as "field: from -> to" lines against the record when proposed.
    described TEXT NOT NULL,
    note TEXT,
    proposed_by TEXT NOT NULL REFERENCES users (id),
    proposed_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'merged')),
    decided_by TEXT,
    decided_at TEXT,
    decision_reason TEXT,
    merged_into TEXT REFERENCES hcps (id),
    version BIGINT NOT NULL
);
CREATE INDEX data_requests_status ON data_requests (status, proposed_at);
CREATE INDEX data_requests_user ON data_requests (proposed_by, version);
