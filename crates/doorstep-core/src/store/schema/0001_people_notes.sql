-- Schema 0 -> 1: the first Doorstep schema (people and notes only).
-- Shipped: never edit; change the schema with a new upgrade file.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE people (
    id            BLOB PRIMARY KEY NOT NULL,
    external_id   TEXT UNIQUE,
    name          TEXT NOT NULL COLLATE NOCASE,
    date_of_birth TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX people_name ON people(name);

CREATE TABLE notes (
    id          BLOB PRIMARY KEY NOT NULL,
    external_id TEXT UNIQUE,
    subject     BLOB NOT NULL REFERENCES people(id),
    date        TEXT,
    service     TEXT,
    text        TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX notes_subject ON notes(subject, date);

