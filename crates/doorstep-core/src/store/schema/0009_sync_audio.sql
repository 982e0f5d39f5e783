-- Schema 8 -> 9: recordings travel too, after text, in chunks.
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
