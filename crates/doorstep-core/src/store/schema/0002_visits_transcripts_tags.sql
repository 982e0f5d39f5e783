-- Schema 1 -> 2. Runs inside the upgrade transaction.

CREATE TABLE households (
    id   BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
ALTER TABLE people ADD COLUMN household BLOB REFERENCES households(id);

CREATE TABLE person_aliases (
    person BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    alias  TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (person, alias)
) WITHOUT ROWID;
CREATE INDEX person_aliases_alias ON person_aliases(alias);

CREATE TABLE visits (
    id               BLOB PRIMARY KEY NOT NULL,
    external_id      TEXT UNIQUE,
    subject          BLOB NOT NULL REFERENCES people(id),
    at               TEXT NOT NULL,
    place            TEXT,
    present          TEXT NOT NULL DEFAULT '[]',
    child_seen_alone INTEGER,
    consent          TEXT NOT NULL DEFAULT 'not_recorded',
    consent_by       TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX visits_subject ON visits(subject, at);

ALTER TABLE notes ADD COLUMN visit BLOB REFERENCES visits(id);
ALTER TABLE notes ADD COLUMN source TEXT NOT NULL DEFAULT 'typed';
ALTER TABLE notes ADD COLUMN status TEXT NOT NULL DEFAULT 'draft';
ALTER TABLE notes ADD COLUMN own_words TEXT NOT NULL DEFAULT '[]';
ALTER TABLE notes ADD COLUMN edited_at TEXT;
-- Notes written under schema 1 were final when written.
UPDATE notes SET edited_at = created_at, status = 'approved';

CREATE TABLE transcript_segments (
    note       BLOB NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_ms   INTEGER NOT NULL,
    end_ms     INTEGER NOT NULL,
    text       TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (note, idx)
) WITHOUT ROWID;

CREATE TABLE theme_tags (
    note       BLOB NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    theme      TEXT NOT NULL,
    confidence REAL NOT NULL,
    evidence   TEXT NOT NULL DEFAULT '[]',
    review     TEXT NOT NULL DEFAULT 'proposed',
    PRIMARY KEY (note, theme)
) WITHOUT ROWID;
CREATE INDEX theme_tags_theme ON theme_tags(theme);

CREATE TABLE ecomap_ties (
    id          BLOB PRIMARY KEY NOT NULL,
    person      BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    who         TEXT NOT NULL,
    role        TEXT NOT NULL,
    category    TEXT NOT NULL,
    quality     TEXT NOT NULL,
    support     TEXT NOT NULL,
    source_note BLOB REFERENCES notes(id) ON DELETE SET NULL,
    span_start  INTEGER,
    span_end    INTEGER
);
CREATE INDEX ecomap_ties_person ON ecomap_ties(person);
