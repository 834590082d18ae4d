-- Foundation schema: organisation, users, master data, alignment and the audit log.
-- Ids are UUIDv7 text; dates are ISO-8601 text ('YYYY-MM-DD'), timestamps RFC 3339 UTC
-- text with microseconds, so the same SQL runs on SQLite and PostgreSQL.

CREATE TABLE org_units (
    id TEXT PRIMARY KEY,
    level TEXT NOT NULL CHECK (level IN ('nation', 'region', 'district', 'territory')),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id TEXT REFERENCES org_units (id)
);
CREATE INDEX org_units_parent ON org_units (parent_id);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'ops', 'marketing', 'compliance', 'admin')),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);

-- A person responsible for an org unit over a date range [valid_from, valid_to):
-- a rep for a territory, a manager for a district.
CREATE TABLE assignments (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    org_unit_id TEXT NOT NULL REFERENCES org_units (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX assignments_user ON assignments (user_id);
CREATE INDEX assignments_unit ON assignments (org_unit_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE specialties (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    built_in BOOLEAN NOT NULL
);

CREATE TABLE hcps (
    id TEXT PRIMARY KEY,
    npi TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    last_name TEXT NOT NULL,
    suffix TEXT,
    credentials TEXT NOT NULL,
    specialty_code TEXT NOT NULL REFERENCES specialties (code),
    status TEXT NOT NULL CHECK (status IN ('active', 'retired', 'deceased')),
    language TEXT NOT NULL,
    line1 TEXT NOT NULL,
    line2 TEXT,
    city TEXT NOT NULL,
    state TEXT NOT NULL,
    zip TEXT NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    preferred_call_times TEXT NOT NULL,
    dnc_reason TEXT,
    dnc_set_by TEXT,
    dnc_set_at TEXT,
    search_name TEXT NOT NULL,
    city_lc TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hcps_zip ON hcps (zip, last_name, first_name, id);
CREATE INDEX hcps_name ON hcps (last_name, first_name, id);

CREATE TABLE hcp_licences (
    id TEXT PRIMARY KEY,
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    state TEXT NOT NULL,
    number TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    UNIQUE (hcp_id, state, number)
);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    account_type TEXT NOT NULL CHECK (account_type IN ('hospital', 'clinic', 'pharmacy', 'drug_store', 'distributor', 'idn')),
    parent_id TEXT REFERENCES accounts (id),
    line1 TEXT NOT NULL,
    line2 TEXT,
    city TEXT NOT NULL,
    state TEXT NOT NULL,
    zip TEXT NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    search_name TEXT NOT NULL,
    city_lc TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX accounts_zip ON accounts (zip, search_name, id);
CREATE INDEX accounts_name ON accounts (search_name, id);
CREATE INDEX accounts_parent ON accounts (parent_id);

CREATE TABLE affiliations (
    id TEXT PRIMARY KEY,
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    role TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL,
    UNIQUE (hcp_id, account_id)
);
CREATE INDEX affiliations_account ON affiliations (account_id);

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    brand TEXT NOT NULL UNIQUE,
    therapeutic_area TEXT NOT NULL,
    lifecycle_stage TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sample_skus (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id),
    ndc TEXT NOT NULL UNIQUE,
    strength TEXT NOT NULL,
    dosage_form TEXT NOT NULL,
    dea_schedule TEXT CHECK (dea_schedule IS NULL OR dea_schedule IN ('II', 'III', 'IV', 'V'))
);

CREATE TABLE segments (
    id TEXT PRIMARY KEY,
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    tier TEXT NOT NULL CHECK (tier IN ('A', 'B', 'C')),
    decile BIGINT NOT NULL CHECK (decile BETWEEN 1 AND 10),
    set_on TEXT NOT NULL,
    UNIQUE (hcp_id, product_id)
);
CREATE INDEX segments_product_tier ON segments (product_id, tier);

-- ZIP code to territory, effective-dated: at most one row per ZIP covers a given day.
CREATE TABLE zip_alignments (
    id TEXT PRIMARY KEY,
    zip TEXT NOT NULL,
    territory_id TEXT NOT NULL REFERENCES org_units (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX zip_alignments_zip ON zip_alignments (zip, valid_from);
CREATE INDEX zip_alignments_territory ON zip_alignments (territory_id, zip);

-- Append-only: every change, who made it, and the record before and after (JSON).
CREATE TABLE audit_log (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
