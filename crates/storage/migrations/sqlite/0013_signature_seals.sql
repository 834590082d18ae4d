-- Signed records v2 (docs/samples.md, "Disbursement and signature"): each record accepted from
-- now on is sealed by the server with a key kept outside the database (`seal`, '<key id>:<hex
-- HMAC-SHA256>' over the record's content), and its drawing's digest is stored on its own so a
-- drawing copied from another record is found by an index. Records stored before this
-- migration have neither (docs/samples.md, "Seals and the anchor").
ALTER TABLE sample_records ADD COLUMN seal TEXT;
ALTER TABLE sample_records ADD COLUMN image_sha256 TEXT;
CREATE INDEX sample_records_image ON sample_records (image_sha256);

-- An exception for suspected falsification of a sample record carries the day FDA must be
-- told by (21 CFR 203.37(a): 5 working days after it is discovered).
ALTER TABLE sample_exceptions ADD COLUMN fda_notice_due TEXT;
