-- Sample decisions that depend on other rows (a rep's stock and allocations, an HCP's sample
-- history under the limits) are re-validated in the transaction that writes them: one row per
-- guarded set ('rep:<id>' for a rep's book, 'hcp:<id>' for an HCP's history), whose version
-- every writer of that set bumps under the row's lock (see storage/src/samples/guard.rs).
CREATE TABLE sample_guards (
    key TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
