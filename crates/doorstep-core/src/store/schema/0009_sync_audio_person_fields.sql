-- Schema 8 -> 9: recordings travel too, after text, in pieces; every field of a person, each
-- merged on its own; and rejected ecomap nodes.
-- Shipped: never edit; change the schema with a new upgrade file.

-- Pieces of another device's recording pulled so far. Each travels in an envelope of its own, so
-- a dropped connection loses at most the piece in flight; the pieces wait here (inside the
-- encrypted database) until all have come, and are then sealed into a file under files/ like a
-- recording made here, checked against the whole recording's SHA-256, and deleted. A recording
-- sent from here is marked in sync_shared (kind 'audio') when its pieces are queued.
CREATE TABLE sync_audio_parts (
    recording   BLOB NOT NULL,
    idx         INTEGER NOT NULL,
    count       INTEGER NOT NULL,
    note        BLOB NOT NULL,
    sample_rate INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    duration_ms INTEGER,
    sha256      BLOB NOT NULL,
    envelope    BLOB NOT NULL,
    data        BLOB NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (recording, idx)
);

-- The stamp of the write each person field holds (sealed here or received), so a write from
-- another device replaces it only if later: one last-writer-wins register per field.
CREATE TABLE person_field_stamps (
    person      BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    field       TEXT NOT NULL,
    hlc_wall_ms INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    hlc_device  BLOB NOT NULL,
    record      BLOB NOT NULL,
    PRIMARY KEY (person, field)
) WITHOUT ROWID;

-- Fields edited here that no envelope carries yet.
CREATE TABLE person_fields_staged (
    person BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    field  TEXT NOT NULL,
    PRIMARY KEY (person, field)
) WITHOUT ROWID;

-- People shared before this version travelled by name only: their other fields go now.
INSERT INTO person_fields_staged(person, field)
    SELECT id, 'date_of_birth' FROM people
    WHERE date_of_birth IS NOT NULL AND id IN (SELECT record FROM sync_shared)
    UNION SELECT id, 'household' FROM people
    WHERE household IS NOT NULL AND id IN (SELECT record FROM sync_shared)
    UNION SELECT id, 'external_id' FROM people
    WHERE external_id IS NOT NULL AND id IN (SELECT record FROM sync_shared)
    UNION SELECT DISTINCT person, 'aliases' FROM person_aliases
    WHERE person IN (SELECT record FROM sync_shared);

-- Rejected ecomap nodes travel, so no device proposes them again; 0 until sealed (received ones
-- arrive as 1).
ALTER TABLE ecomap_rejections ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
