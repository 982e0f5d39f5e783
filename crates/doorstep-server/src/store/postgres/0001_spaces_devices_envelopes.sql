-- Version 1: spaces, their devices and their envelopes; the same tables as the SQLite backend's
-- version 1, in PostgreSQL's types. Never edited once shipped: a change is a new step.

-- A practitioner's (or a caseload's) space. `last_cursor` is the cursor given to the space's
-- latest envelope: a push locks the row (SELECT ... FOR UPDATE) and bumps it in its transaction,
-- so pushes to one space take turns, whichever server they reach, and cursors have no gaps.
CREATE TABLE spaces (
    id uuid PRIMARY KEY,
    created_at timestamptz NOT NULL,
    last_cursor bigint NOT NULL DEFAULT 0
);

-- A device and the SHA-256 of its bearer token (never the token). A revoked device keeps its
-- row, so its envelopes still name a known author and its id cannot be enrolled again. `seq`
-- keeps the order of enrolment (SQLite's rowid does that there).
CREATE TABLE devices (
    seq bigint GENERATED ALWAYS AS IDENTITY,
    id uuid PRIMARY KEY,
    space uuid NOT NULL REFERENCES spaces (id),
    name text NOT NULL,
    token_hash bytea NOT NULL UNIQUE,
    enrolled_at timestamptz NOT NULL,
    enrolled_by uuid REFERENCES devices (id),
    revoked_at timestamptz
);

CREATE INDEX devices_by_space ON devices (space, seq);

-- Sealed envelopes exactly as pushed. The server cannot open `wrapped_key` or `ciphertext`.
-- `hlc_counter` holds a u32, so bigint.
CREATE TABLE envelopes (
    space uuid NOT NULL REFERENCES spaces (id),
    cursor bigint NOT NULL,
    id uuid NOT NULL,
    kind text NOT NULL,
    author uuid NOT NULL,
    hlc_wall_ms bigint NOT NULL,
    hlc_counter bigint NOT NULL,
    hlc_device uuid NOT NULL,
    wrapped_key bytea NOT NULL,
    ciphertext bytea NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (space, cursor),
    UNIQUE (space, id)
);
