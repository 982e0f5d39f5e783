-- Schema 2 -> 3. Runs inside the upgrade transaction.

-- Audio kept as sealed files under files/. A row is written when capture starts, so a recording
-- interrupted by a crash is found and recovered on the next start.
CREATE TABLE recordings (
    id          BLOB PRIMARY KEY NOT NULL,
    file        TEXT NOT NULL UNIQUE,
    sample_rate INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    duration_ms INTEGER,
    state       TEXT NOT NULL DEFAULT 'recording',
    note        BLOB REFERENCES notes(id) ON DELETE SET NULL
);
CREATE INDEX recordings_note ON recordings(note);

-- A transcription in progress: the windows already transcribed, so a killed job resumes where
-- it stopped. A job is found again only for the same audio and the same settings.
CREATE TABLE transcription_jobs (
    id          BLOB PRIMARY KEY NOT NULL,
    audio_hash  BLOB NOT NULL,
    settings    TEXT NOT NULL,
    audio_ms    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (audio_hash, settings)
);

CREATE TABLE transcription_windows (
    job      BLOB NOT NULL REFERENCES transcription_jobs(id) ON DELETE CASCADE,
    idx      INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms   INTEGER NOT NULL,
    segments TEXT NOT NULL,
    PRIMARY KEY (job, idx)
) WITHOUT ROWID;
