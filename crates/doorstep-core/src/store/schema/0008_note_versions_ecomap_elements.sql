-- Schema 7 -> 8: note edits and ecomaps travel, and a store may sync in a caseload's shared space.
-- Shipped: never edit; change the schema with a new upgrade file.

-- Every version of a note this store holds, sealed here or received from another device. Notes
-- are append-only per author: a version is never changed, and an edit is a new version. A
-- version's stamp is its record's hybrid logical clock (wall ms, counter, device) and then its
-- record id, the order every device agrees on; `author` is the device that sealed it. The notes
-- row shows the latest version by stamp (`shown_version`), or, while `shown_version` is NULL, a
-- change made here that no envelope carries yet (a new note, an edit, own words, an approval).
CREATE TABLE note_versions (
    id          BLOB PRIMARY KEY NOT NULL,
    note        BLOB NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    hlc_wall_ms INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    hlc_device  BLOB NOT NULL,
    author      BLOB NOT NULL,
    text        TEXT,
    own_words   TEXT,
    status      TEXT,
    stored_at   TEXT NOT NULL
);
CREATE INDEX note_versions_order ON note_versions(note, hlc_wall_ms, hlc_counter, hlc_device, id);

-- The version the notes row shows may leave its words, own words and status NULL: they are the
-- row's (most notes have one version; their text is not kept twice). Before the row changes,
-- they are copied into the version, which is otherwise never changed.
CREATE TRIGGER note_versions_unchanging BEFORE UPDATE ON note_versions
WHEN old.text IS NOT NULL OR old.own_words IS NOT NULL OR old.status IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'a note version is never changed');
END;

ALTER TABLE notes ADD COLUMN shown_version BLOB;

-- Notes shared before edits travelled, and not changed since they were written or received: the
-- envelope that carried them is their first version, with the lowest stamp (every later version
-- was made by a device that had seen it, so its clock is past it). The envelope id is the same on
-- the device that sent it and the ones that received it. Every other note (never shared, or
-- changed after it was) waits to be sealed as a new version.
INSERT INTO note_versions(id, note, hlc_wall_ms, hlc_counter, hlc_device, author, text, own_words,
                          status, stored_at)
    SELECT s.envelope, n.id, 0, 0, zeroblob(16), zeroblob(16), NULL, NULL, NULL, n.created_at
    FROM notes n JOIN sync_shared s ON s.record = n.id
    WHERE n.edited_at IS n.created_at;
UPDATE notes SET shown_version = (SELECT v.id FROM note_versions v WHERE v.note = notes.id);

CREATE TRIGGER notes_keep_shown_version BEFORE UPDATE OF text, own_words, status ON notes
WHEN old.shown_version IS NOT NULL BEGIN
    UPDATE note_versions SET text = old.text, own_words = old.own_words, status = old.status
    WHERE id = old.shown_version AND text IS NULL;
END;

-- Each element of each person's ecomap (a tie, or the list of strengths or of what matters) as
-- last written: the value (JSON) and the stamp of the write, a last-writer-wins register. A NULL
-- value with a stamp is a tombstone: the element was removed, and an older write delivered late
-- cannot bring it back. `staged` marks a change confirmed here that no envelope carries yet, with
-- its value in `staged_value` (NULL: removed); the map shows it until it is sealed, when it is
-- merged like any other write. The latest ecomap version is always the map these elements make.
CREATE TABLE ecomap_elements (
    person       BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    element      BLOB NOT NULL,
    hlc_wall_ms  INTEGER,
    hlc_counter  INTEGER,
    hlc_device   BLOB,
    record       BLOB,
    value        TEXT,
    staged       INTEGER NOT NULL DEFAULT 0 CHECK (staged IN (0, 1)),
    staged_value TEXT,
    PRIMARY KEY (person, element)
) WITHOUT ROWID;
CREATE INDEX ecomap_elements_staged ON ecomap_elements(staged) WHERE staged = 1;

-- The key of the space this store syncs in, when it joined another practitioner's caseload (the
-- space's key, handed over sealed to this account); NULL: the account's own sync key. A secret,
-- kept here because this file is encrypted, and never printed.
ALTER TABLE sync_state ADD COLUMN space_key BLOB;
