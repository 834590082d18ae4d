-- Facts are judged where and when they happened (docs/targeting-and-alignment.md):
-- an alignment row published for today takes force at the instant of publication, not at
-- midnight, so `starts_at` (and `ends_at` on the row it replaces) hold that instant when it
-- falls inside the row's first (or last) day; NULL means midnight UTC of the date.
ALTER TABLE zip_alignments ADD COLUMN starts_at TEXT;
ALTER TABLE zip_alignments ADD COLUMN ends_at TEXT;
ALTER TABLE account_alignments ADD COLUMN starts_at TEXT;
ALTER TABLE account_alignments ADD COLUMN ends_at TEXT;

-- The addresses an HCP or account had before its current one, each with the instant it
-- stopped being theirs: the address at any instant is the earliest row ending after it,
-- else the current address.
CREATE TABLE address_history (
    entity TEXT NOT NULL CHECK (entity IN ('hcp', 'account')),
    entity_id TEXT NOT NULL,
    zip TEXT NOT NULL,
    address TEXT NOT NULL,
    until TEXT NOT NULL
);
CREATE INDEX address_history_entity ON address_history (entity, entity_id, until);
