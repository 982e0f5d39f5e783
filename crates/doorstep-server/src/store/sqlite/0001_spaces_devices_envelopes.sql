-- Version 1: spaces, their devices and their envelopes. Never edited once shipped: a change is a
-- new step.

-- A practitioner's (or a caseload's) space. `last_cursor` is the cursor given to the space's
-- latest envelope: cursors are counted per space, inside the pushing transaction.
CREATE TABLE spaces (
    id BLOB PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL,
    last_cursor INTEGER NOT NULL DEFAULT 0
) STRICT;

-- A device and the SHA-256 of its bearer token (never the token). A revoked device keeps its
-- row, so its envelopes still name a known author and its id cannot be enrolled again.
CREATE TABLE devices (
    id BLOB PRIMARY KEY NOT NULL,
    space BLOB NOT NULL REFERENCES spaces (id),
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL,
    enrolled_by BLOB REFERENCES devices (id),
    revoked_at TEXT
) STRICT;

CREATE INDEX devices_by_space ON devices (space);

-- Sealed envelopes exactly as pushed. The server cannot open `wrapped_key` or `ciphertext`.
CREATE TABLE envelopes (
    space BLOB NOT NULL REFERENCES spaces (id),
    cursor INTEGER NOT NULL,
    id BLOB NOT NULL,
    kind TEXT NOT NULL,
    author BLOB NOT NULL,
    hlc_wall_ms INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    hlc_device BLOB NOT NULL,
    wrapped_key BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (space, cursor),
    UNIQUE (space, id)
) STRICT;
