-- Schema 4 -> 5: the ecomap's history. Runs inside the upgrade transaction.

-- Every map the practitioner confirmed, kept for ever: the whole map as JSON, so a version reads
-- back exactly as it was confirmed. `ties` is the map's tie count, so the history is listed
-- without parsing every map. Versions count up from 1 per person.
CREATE TABLE ecomap_versions (
    person       BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL CHECK (version >= 1),
    confirmed_at TEXT NOT NULL,
    ties         INTEGER NOT NULL,
    map          TEXT NOT NULL,
    UNIQUE (person, version)
);

-- A confirmed version is a record of what was agreed on that day: it is never rewritten.
CREATE TRIGGER ecomap_versions_unchanging BEFORE UPDATE ON ecomap_versions BEGIN
    SELECT RAISE(ABORT, 'a confirmed ecomap version is never changed');
END;

-- The notes already read into a person's map, so a proposal reads only what is new. `edited_at`
-- is the note's own edit stamp when it was read, copied as stored: a note edited since then is
-- read again. `version` is the confirmed version it was first read into.
CREATE TABLE ecomap_notes_read (
    person    BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    note      BLOB NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    edited_at TEXT,
    version   INTEGER NOT NULL,
    PRIMARY KEY (person, note)
) WITHOUT ROWID;

-- Nodes the practitioner rejected, by each name the notes gave them: never proposed again.
CREATE TABLE ecomap_rejections (
    person      BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    who         TEXT NOT NULL COLLATE NOCASE,
    category    TEXT NOT NULL,
    rejected_at TEXT NOT NULL,
    PRIMARY KEY (person, who, category)
) WITHOUT ROWID;

-- `ecomap_ties` (schema 2) now holds the latest confirmed map's ties, replaced on every confirm;
-- the vocabulary prompt reads names from it, and now their other names too (a JSON list).
ALTER TABLE ecomap_ties ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';
