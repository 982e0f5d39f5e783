-- Schema 3 -> 4: the search index. Runs inside the upgrade transaction.

-- Every note gets a small, stable integer key: FTS5 and the in-memory vector index address notes
-- by integer, and a table's implicit rowid may be renumbered by VACUUM. The note's subject and
-- date are copied here so that ranking and filtering never read the notes' text pages.
-- `tagged_by` and `embedded_by` name the tagger and embedding model that last indexed the note
-- (NULL: not yet), so a changed taxonomy or model re-indexes just the notes it affects.
CREATE TABLE note_index (
    key         INTEGER PRIMARY KEY,
    note        BLOB NOT NULL UNIQUE REFERENCES notes(id) ON DELETE CASCADE,
    subject     BLOB NOT NULL,
    date        TEXT,
    tagged_by   TEXT,
    embedded_by TEXT
);
CREATE INDEX note_index_subject ON note_index(subject, date);
CREATE INDEX note_index_pending ON note_index(tagged_by, embedded_by);

-- A theme's notes, most confident first, read from the index alone.
CREATE INDEX theme_tags_rank ON theme_tags(theme, confidence, note, review);

-- FTS5 reads note text through this view, so the text is stored once, in `notes`. `who` is one
-- token naming the note's subject ("p" and the id in hex), so a search of one person's notes is
-- an intersection of posting lists rather than a filter over every match; it takes no part in
-- ranking (the rank weighs it 0).
CREATE VIEW note_index_text AS
    SELECT i.key AS key, n.text AS text, 'p' || lower(hex(n.subject)) AS who
    FROM note_index i JOIN notes n ON n.id = i.note;

CREATE VIRTUAL TABLE notes_fts USING fts5(
    text,
    who,
    content = 'note_index_text',
    content_rowid = 'key',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO notes_fts(notes_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)');

CREATE TRIGGER notes_index_insert AFTER INSERT ON notes BEGIN
    INSERT INTO note_index(note, subject, date) VALUES (new.id, new.subject, new.date);
    INSERT INTO notes_fts(rowid, text, who)
        SELECT key, new.text, 'p' || lower(hex(new.subject)) FROM note_index WHERE note = new.id;
END;

-- The old values must reach FTS5 before the row changes: an external-content index deletes a
-- row by re-reading the tokens it indexed.
CREATE TRIGGER notes_index_before_update BEFORE UPDATE OF text, subject ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, text, who)
        SELECT 'delete', key, old.text, 'p' || lower(hex(old.subject))
        FROM note_index WHERE note = old.id;
END;
CREATE TRIGGER notes_index_after_update AFTER UPDATE OF text, subject ON notes BEGIN
    INSERT INTO notes_fts(rowid, text, who)
        SELECT key, new.text, 'p' || lower(hex(new.subject)) FROM note_index WHERE note = new.id;
END;
CREATE TRIGGER notes_index_edited AFTER UPDATE OF text ON notes BEGIN
    UPDATE note_index SET tagged_by = NULL, embedded_by = NULL WHERE note = new.id;
END;

CREATE TRIGGER notes_index_moved AFTER UPDATE OF subject, date ON notes BEGIN
    UPDATE note_index SET subject = new.subject, date = new.date WHERE note = new.id;
END;

CREATE TRIGGER notes_index_delete BEFORE DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, text, who)
        SELECT 'delete', key, old.text, 'p' || lower(hex(old.subject))
        FROM note_index WHERE note = old.id;
END;

-- A note's meaning, piece by piece: a vector for each run of a few sentences (start and end
-- are character offsets into the note), quantised to signed bytes. Pieces rather than one
-- vector per note, so "hands round her neck" finds the sentence that says it in a long note.
CREATE TABLE note_vectors (
    key    INTEGER NOT NULL REFERENCES note_index(key) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    start  INTEGER NOT NULL,
    end    INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (key, idx)
) WITHOUT ROWID;

-- Values derived from the software and models alone (the theme examples' vectors), kept so
-- they are not recomputed at every start; the key names what made them, so a change recomputes.
CREATE TABLE derived_cache (
    key   TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- Notes written before version 4.
INSERT INTO note_index(note, subject, date) SELECT id, subject, date FROM notes ORDER BY created_at, id;
INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');
