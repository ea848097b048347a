-- A form being filled in: saved after every answer, so a restart or a lost connection loses nothing.
CREATE TABLE form_draft (
    id INTEGER PRIMARY KEY,
    form TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    -- Monday (WIB) of the reporting week, for weekly forms.
    week TEXT,
    answers TEXT NOT NULL DEFAULT '{}',
    -- Index of the field being asked; equal to the number of fields means the summary is shown.
    position INTEGER NOT NULL DEFAULT 0,
    -- Set while one field is answered again from the summary: afterwards the summary comes back.
    editing INTEGER NOT NULL DEFAULT 0,
    -- Set when this draft corrects or updates an existing report (a new version of it).
    report_id INTEGER REFERENCES report (id),
    status TEXT NOT NULL CHECK (status IN ('active', 'submitted', 'cancelled', 'expired')),
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE UNIQUE INDEX form_draft_one_active_per_user ON form_draft (user_id) WHERE status = 'active';

-- A submitted report or weekly evaluation; its answers are in report_version, one row per version.
CREATE TABLE report (
    id INTEGER PRIMARY KEY,
    form TEXT NOT NULL,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    week TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    submitted_by_id INTEGER NOT NULL,
    submitted_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX report_one_evaluation_per_week ON report (kecamatan_code, week) WHERE form = 'evaluasi';
CREATE INDEX report_by_kecamatan ON report (kecamatan_code, created_at);

CREATE TABLE report_version (
    report_id INTEGER NOT NULL REFERENCES report (id),
    version INTEGER NOT NULL,
    answers TEXT NOT NULL,
    submitted_by_id INTEGER NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    -- One draft gives at most one version: a double tap or a second device cannot store it twice.
    draft_id INTEGER NOT NULL UNIQUE REFERENCES form_draft (id),
    PRIMARY KEY (report_id, version)
);
