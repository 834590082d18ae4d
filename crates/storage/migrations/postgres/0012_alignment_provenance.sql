-- Which realignment cycle wrote each alignment row, so the alignment read as of any day names
-- the cycle that put a ZIP or an account where it is, and the changes still to come can be
-- listed with their cycle and its override reason. Rows aligned outside a cycle (the initial
-- alignment) have none.
ALTER TABLE zip_alignments ADD COLUMN realignment_id TEXT REFERENCES realignments (id);
ALTER TABLE account_alignments ADD COLUMN realignment_id TEXT REFERENCES realignments (id);

-- Rows published before this column existed: the published cycle that aligns the key to the
-- row's territory from the row's first day.
UPDATE zip_alignments SET realignment_id = (
    SELECT r.id FROM realignments r JOIN realignment_zips l ON l.realignment_id = r.id
    WHERE r.status = 'published' AND r.effective_from = zip_alignments.valid_from
      AND l.zip = zip_alignments.zip AND l.territory_id = zip_alignments.territory_id
    ORDER BY r.published_at DESC LIMIT 1
);
UPDATE account_alignments SET realignment_id = (
    SELECT r.id FROM realignments r JOIN realignment_accounts l ON l.realignment_id = r.id
    WHERE r.status = 'published' AND r.effective_from = account_alignments.valid_from
      AND l.account_id = account_alignments.account_id
      AND l.territory_id = account_alignments.territory_id
    ORDER BY r.published_at DESC LIMIT 1
);

-- The changes still to come are read by their first day.
CREATE INDEX zip_alignments_from ON zip_alignments (valid_from);
CREATE INDEX account_alignments_from ON account_alignments (valid_from);
