-- Schema 6 -> 7: pulled envelopes this device could not open or apply, set aside.
-- Shipped: never edit; change the schema with a new upgrade file.

-- An envelope that failed authentication, was sealed under another key, is of a kind or key
-- format this version cannot read, or names a record this store cannot take. Kept as its wire
-- JSON (ciphertext and metadata only) with the reason, so it neither blocks the pull cursor nor
-- is lost: every sync tries these again (a newer version, or a person pulled since, may open
-- or apply them), and status reports how many wait.
CREATE TABLE sync_quarantine (
    id       BLOB PRIMARY KEY NOT NULL,
    cursor   INTEGER NOT NULL,
    envelope TEXT NOT NULL,
    reason   TEXT NOT NULL,
    first_at TEXT NOT NULL,
    last_at  TEXT NOT NULL
) WITHOUT ROWID;
