-- Weekly evaluation reminders: one row per run (a cron slot, its follow-up, or a "Kirim sekarang" press).
-- The slot key is unique, so a restart or a second tick can never run the same reminder twice.
CREATE TABLE reminder_run (
    id INTEGER PRIMARY KEY,
    slot_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('first', 'followup', 'manual')),
    week TEXT NOT NULL,
    due_at TEXT NOT NULL,
    ran_at TEXT NOT NULL,
    reminded INTEGER NOT NULL DEFAULT 0
);

-- Dates on which no reminder goes out (national holidays, cuti bersama); a reminder due then moves to the next
-- working day.
CREATE TABLE holiday (
    day TEXT PRIMARY KEY,
    reason TEXT NOT NULL DEFAULT '',
    added_by_id INTEGER NOT NULL,
    added_at TEXT NOT NULL
);

-- A kecamatan excused from the weekly evaluation for one week: not reminded, not counted as missing.
CREATE TABLE excuse (
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    week TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    added_by_id INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (kecamatan_code, week)
);

-- Dinsos review of one version of a report: 'diterima' or 'perlu_perbaikan' with a comment. Kept per version,
-- so the comment that led to a correction stays next to the version it was about.
ALTER TABLE report_version ADD COLUMN review_status TEXT CHECK (review_status IN ('diterima', 'perlu_perbaikan'));
ALTER TABLE report_version ADD COLUMN review_comment TEXT;
ALTER TABLE report_version ADD COLUMN reviewed_by_id INTEGER;
ALTER TABLE report_version ADD COLUMN reviewed_by TEXT;
ALTER TABLE report_version ADD COLUMN reviewed_at TEXT;

-- An admin who pressed "Perlu perbaikan" and is being asked for the comment.
CREATE TABLE review_prompt (
    admin_id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES report (id),
    asked_at TEXT NOT NULL
);
