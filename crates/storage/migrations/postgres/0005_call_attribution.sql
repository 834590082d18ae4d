-- Calls carry the district and region of their territory on the call's date, so reports
-- by district and region stay right when territories later move between districts.
ALTER TABLE calls ADD COLUMN district_id TEXT REFERENCES org_units (id);
ALTER TABLE calls ADD COLUMN region_id TEXT REFERENCES org_units (id);
UPDATE calls SET district_id = (SELECT t.parent_id FROM org_units t WHERE t.id = calls.territory_id);
UPDATE calls SET region_id = (SELECT d.parent_id FROM org_units d WHERE d.id = calls.district_id);
CREATE INDEX calls_called_at ON calls (called_at);
