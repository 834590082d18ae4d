-- A physical count that differs from the book as of its time carries the rep's explanation
-- (21 CFR 203.31(d): discrepancies are explained). Counts recorded before are kept as they
-- are: the reconciliation report shows them without one.
ALTER TABLE inventory_counts ADD COLUMN explanation TEXT;
