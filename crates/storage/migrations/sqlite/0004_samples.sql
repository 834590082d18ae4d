-- Sample accountability (PDMA): lots, the per-rep inventory ledger, shipments and transfers,
-- signed disbursements and requests, limits, allocations, eligibility rules, key messages,
-- the blacklist, DEA registrations, exceptions, loss/theft reports and inventory counts.
-- Ledger, disbursement and request rows are facts: written once, audited, never updated.

ALTER TABLE products ADD COLUMN manufacturer TEXT NOT NULL DEFAULT 'Pharmacrm Labs Inc.';
ALTER TABLE sample_skus ADD COLUMN unit_value_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN key_message_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE calls ADD COLUMN disbursement_id TEXT;

CREATE TABLE hcp_dea_registrations (
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    number TEXT NOT NULL,
    state TEXT NOT NULL,
    schedules TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    PRIMARY KEY (hcp_id, number)
);

CREATE TABLE hcp_blacklist (
    hcp_id TEXT PRIMARY KEY REFERENCES hcps (id),
    reason TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);

CREATE TABLE sample_lots (
    id TEXT PRIMARY KEY,
    sku_id TEXT NOT NULL REFERENCES sample_skus (id),
    lot_number TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    UNIQUE (sku_id, lot_number)
);

CREATE TABLE sample_ledger (
    id TEXT PRIMARY KEY,
    rep_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'transfer_in', 'transfer_out', 'return', 'destruction', 'disbursement', 'loss', 'theft')),
    sku_id TEXT NOT NULL REFERENCES sample_skus (id),
    lot_id TEXT NOT NULL REFERENCES sample_lots (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    occurred_at TEXT NOT NULL,
    counterparty TEXT NOT NULL,
    reference_id TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX sample_ledger_rep ON sample_ledger (rep_id, occurred_at);
CREATE INDEX sample_ledger_lot ON sample_ledger (lot_id);
CREATE INDEX sample_ledger_reference ON sample_ledger (reference_id);

-- Shipments from headquarters and transfers between reps: in transit until the receiver
-- acknowledges the quantities that arrived.
CREATE TABLE sample_shipments (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('shipment', 'transfer')),
    from_rep_id TEXT REFERENCES users (id),
    to_rep_id TEXT NOT NULL REFERENCES users (id),
    sender TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    lines TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('in_transit', 'received')),
    received_at TEXT,
    received_lines TEXT,
    note TEXT
);
CREATE INDEX sample_shipments_to ON sample_shipments (to_rep_id, status);

-- Disbursements (record_type 'sample_disbursement', linked to a call) and requests
-- ('sample_request', shipped by headquarters), each with its signature.
CREATE TABLE sample_records (
    id TEXT PRIMARY KEY,
    record_type TEXT NOT NULL CHECK (record_type IN ('sample_disbursement', 'sample_request')),
    call_id TEXT REFERENCES calls (id),
    rep_id TEXT NOT NULL REFERENCES users (id),
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    occurred_at TEXT NOT NULL,
    state TEXT NOT NULL,
    ship_to TEXT,
    lines TEXT NOT NULL,
    signature TEXT NOT NULL,
    signature_hash TEXT NOT NULL,
    findings TEXT NOT NULL,
    corrects TEXT REFERENCES sample_records (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX sample_records_hcp ON sample_records (hcp_id);
CREATE INDEX sample_records_rep ON sample_records (rep_id, occurred_at);

-- What each HCP received or requested per product: the history limits are checked against.
CREATE TABLE hcp_samples (
    record_id TEXT NOT NULL REFERENCES sample_records (id),
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    sku_id TEXT NOT NULL REFERENCES sample_skus (id),
    lot_id TEXT REFERENCES sample_lots (id),
    given_on TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    value_cents INTEGER NOT NULL
);
CREATE INDEX hcp_samples_hcp ON hcp_samples (hcp_id, product_id);
CREATE INDEX hcp_samples_lot ON hcp_samples (lot_id);

CREATE TABLE sample_limits (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    product_id TEXT NOT NULL REFERENCES products (id),
    measure TEXT NOT NULL CHECK (measure IN ('quantity', 'value')),
    max_amount INTEGER NOT NULL,
    window_kind TEXT NOT NULL CHECK (window_kind IN ('call', 'month', 'quarter', 'year', 'rolling', 'from_first')),
    window_days INTEGER,
    ends_after_days INTEGER,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning'))
);

CREATE TABLE sample_allocations (
    id TEXT PRIMARY KEY,
    rep_id TEXT NOT NULL REFERENCES users (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    UNIQUE (rep_id, product_id, period_from)
);

CREATE TABLE credential_rules (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    credential TEXT NOT NULL,
    product_id TEXT REFERENCES products (id),
    controlled_only INTEGER NOT NULL
);

CREATE TABLE key_messages (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id),
    kind TEXT NOT NULL CHECK (kind IN ('benefit', 'risk')),
    text TEXT NOT NULL
);

-- Records the server's re-check found in breach: kept as facts, reviewed and closed.
CREATE TABLE sample_exceptions (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    record_type TEXT NOT NULL,
    rep_id TEXT NOT NULL REFERENCES users (id),
    hcp_id TEXT REFERENCES hcps (id),
    findings TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    closed_by TEXT,
    closed_at TEXT,
    comment TEXT
);
CREATE INDEX sample_exceptions_status ON sample_exceptions (status, raised_at);

CREATE TABLE loss_reports (
    id TEXT PRIMARY KEY,
    rep_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('loss', 'theft')),
    reason TEXT NOT NULL,
    police_report TEXT,
    discovered_on TEXT NOT NULL,
    lines TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    fda_notice_due TEXT NOT NULL,
    written_report_due TEXT NOT NULL,
    fda_notified_on TEXT,
    written_report_on TEXT,
    closed_at TEXT,
    closed_by TEXT,
    note TEXT
);

CREATE TABLE inventory_counts (
    id TEXT PRIMARY KEY,
    rep_id TEXT NOT NULL REFERENCES users (id),
    counted_at TEXT NOT NULL,
    lines TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX inventory_counts_rep ON inventory_counts (rep_id, counted_at);
