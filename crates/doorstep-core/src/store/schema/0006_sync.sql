-- Schema 5 -> 6: the sync client's state, its outbox, and which local records have been shared.
-- Shipped: never edit; change the schema with a new upgrade file.

-- One row: this device's sync identity and where it syncs. The server fields are empty until the
-- first sync registers the device (or an enrolment code names them). The token is the device's
-- secret for the server: it lives here because this file is encrypted, and is never printed.
CREATE TABLE sync_state (
    singleton    INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    device       BLOB NOT NULL,
    server_url   TEXT,
    space        BLOB,
    token        TEXT,
    pull_cursor  INTEGER NOT NULL DEFAULT 0,
    last_success TEXT,
    hlc_wall_ms  INTEGER NOT NULL DEFAULT 0,
    hlc_counter  INTEGER NOT NULL DEFAULT 0
);

-- Sealed envelopes waiting to be pushed, in the order they were queued. The envelope is the wire
-- JSON: ciphertext and metadata only. A row leaves when the server has it.
CREATE TABLE sync_outbox (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    id        BLOB NOT NULL UNIQUE,
    kind      TEXT NOT NULL,
    envelope  TEXT NOT NULL,
    queued_at TEXT NOT NULL
);

-- Local records already carried by an envelope, sent or received: a record listed here is not
-- sealed again, so a pulled note is never echoed back.
CREATE TABLE sync_shared (
    record   BLOB PRIMARY KEY NOT NULL,
    kind     TEXT NOT NULL,
    envelope BLOB NOT NULL
) WITHOUT ROWID;
