-- Targeting versions and realignment cycles (commercial-ops self-service).
--
-- A targeting version holds the segmentation rows it changes and the whole frequency table
-- (calls per cycle per product x tier, the cycle being a month or a quarter). Published
-- versions are never edited; the one in force is materialised into `segments` and
-- `frequency_targets` on its effective date, so every reader keeps reading those tables.
--
-- A realignment is a draft of ZIP-to-territory moves and account-level overrides that goes
-- through field review (marks and escalations that ops must resolve) before it is published
-- with an effective date into `zip_alignments` / `account_alignments`; reps affected get a notice.

DROP TABLE frequency_targets;
CREATE TABLE frequency_targets (
    product_id TEXT NOT NULL REFERENCES products (id),
    tier TEXT NOT NULL CHECK (tier IN ('A', 'B', 'C')),
    cycle TEXT NOT NULL CHECK (cycle IN ('month', 'quarter')),
    calls INTEGER NOT NULL CHECK (calls >= 0),
    targeting_version_id TEXT,
    version INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, tier)
);
-- Until a targeting version is published, every product gets the earlier per-tier defaults.
INSERT INTO frequency_targets (product_id, tier, cycle, calls)
    SELECT p.id, d.tier, 'month', d.calls FROM products p
    CROSS JOIN (SELECT 'A' AS tier, 3 AS calls UNION ALL SELECT 'B', 2 UNION ALL SELECT 'C', 1) d;

CREATE TABLE targeting_versions (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    cycle TEXT NOT NULL CHECK (cycle IN ('month', 'quarter')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    effective_from TEXT,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    published_by TEXT,
    published_at TEXT,
    applied_at TEXT
);

CREATE TABLE targeting_segments (
    targeting_version_id TEXT NOT NULL REFERENCES targeting_versions (id),
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    tier TEXT NOT NULL CHECK (tier IN ('A', 'B', 'C')),
    decile INTEGER NOT NULL CHECK (decile BETWEEN 1 AND 10),
    PRIMARY KEY (targeting_version_id, hcp_id, product_id)
);

CREATE TABLE targeting_frequencies (
    targeting_version_id TEXT NOT NULL REFERENCES targeting_versions (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    tier TEXT NOT NULL CHECK (tier IN ('A', 'B', 'C')),
    calls INTEGER NOT NULL CHECK (calls >= 0),
    PRIMARY KEY (targeting_version_id, product_id, tier)
);

-- An account aligned to a territory regardless of its ZIP, effective-dated like ZIPs.
CREATE TABLE account_alignments (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    territory_id TEXT NOT NULL REFERENCES org_units (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    version INTEGER NOT NULL DEFAULT 0,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX account_alignments_account ON account_alignments (account_id, valid_from);

CREATE TABLE realignments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'review', 'published', 'cancelled')),
    effective_from TEXT,
    override_reason TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    review_opened_at TEXT,
    published_by TEXT,
    published_at TEXT
);

CREATE TABLE realignment_zips (
    realignment_id TEXT NOT NULL REFERENCES realignments (id),
    zip TEXT NOT NULL,
    territory_id TEXT NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (realignment_id, zip)
);

CREATE TABLE realignment_accounts (
    realignment_id TEXT NOT NULL REFERENCES realignments (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    territory_id TEXT NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (realignment_id, account_id)
);

-- Field review: a key relationship or an escalation raised on a draft, resolved by ops.
CREATE TABLE realignment_marks (
    id TEXT PRIMARY KEY,
    realignment_id TEXT NOT NULL REFERENCES realignments (id),
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    kind TEXT NOT NULL CHECK (kind IN ('key_relationship', 'escalation')),
    note TEXT NOT NULL,
    raised_by TEXT NOT NULL REFERENCES users (id),
    raised_at TEXT NOT NULL,
    resolution TEXT CHECK (resolution IN ('accepted', 'changed')),
    resolution_note TEXT,
    resolved_by TEXT,
    resolved_at TEXT
);
CREATE INDEX realignment_marks_realignment ON realignment_marks (realignment_id);

-- What a user is told about a published change that affects them.
CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    effective_from TEXT,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX notices_user ON notices (user_id, version);

-- Reports skip calls that were corrected (`NOT EXISTS (... WHERE x.corrects = c.id)`); without
-- this index that check scans every call for every call (found by the national benchmark).
CREATE INDEX calls_corrects ON calls (corrects) WHERE corrects IS NOT NULL;

-- National reports read every call of a period and every HCP's segments: covering indexes
-- let them do so without a table lookup per row (docs/benchmarks.md, commercial ops).
DROP INDEX calls_called_at;
CREATE INDEX calls_called_at ON calls (called_at, id, territory_id, district_id, region_id);
CREATE INDEX segments_hcp ON segments (hcp_id, product_id, tier, decile);
