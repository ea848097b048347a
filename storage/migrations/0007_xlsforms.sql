-- Forms Dinsos designs itself as XLSForm (issue 11). A form (its form_id from the settings sheet) has versions;
-- each version keeps the workbook exactly as uploaded, so it can be downloaded, edited in Excel and read again.
CREATE TABLE xform (
    id INTEGER PRIMARY KEY,
    form_id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    -- draft: uploaded, not yet published; published: groups may fill it in; closed: no new drafts or submissions.
    state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'closed')),
    current_version_id INTEGER,
    created_by_id INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE xform_version (
    id INTEGER PRIMARY KEY,
    xform_id INTEGER NOT NULL REFERENCES xform (id),
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    workbook BLOB NOT NULL,
    uploaded_by_id INTEGER NOT NULL,
    uploaded_at TEXT NOT NULL,
    UNIQUE (xform_id, version)
);

-- Who is asked to fill a published form, and how often: once before a deadline, or every week or month.
CREATE TABLE xform_publication (
    id INTEGER PRIMARY KEY,
    xform_id INTEGER NOT NULL REFERENCES xform (id),
    schedule TEXT NOT NULL CHECK (schedule IN ('once', 'weekly', 'monthly')),
    deadline TEXT,
    -- 1: every active kecamatan; 0: the chosen ones in xform_target.
    all_kecamatan INTEGER NOT NULL DEFAULT 1,
    published_by_id INTEGER NOT NULL,
    published_at TEXT NOT NULL
);
CREATE TABLE xform_target (
    publication_id INTEGER NOT NULL REFERENCES xform_publication (id),
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    PRIMARY KEY (publication_id, kecamatan_code)
);

-- A form being filled in, pinned to the version it started on; its whole conversation state is saved after
-- every answer. kecamatan_code is NULL for an admin's test fill (never counted or exported).
CREATE TABLE xform_draft (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES xform_version (id),
    user_id INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    kecamatan_code TEXT REFERENCES kecamatan (code),
    test INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    -- Set while the person is asked whether to throw the answers away (Batal).
    confirming_cancel INTEGER NOT NULL DEFAULT 0,
    -- expired: left longer than FORM_DRAFT_HOURS, like today's form drafts.
    status TEXT NOT NULL CHECK (status IN ('active', 'submitted', 'cancelled', 'expired')),
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX xform_draft_one_active_per_user ON xform_draft (user_id) WHERE status = 'active';

CREATE TABLE xform_submission (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES xform_version (id),
    -- One draft gives at most one submission: a double tap cannot store it twice.
    draft_id INTEGER NOT NULL UNIQUE REFERENCES xform_draft (id),
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    submitted_by_id INTEGER NOT NULL,
    submitted_by TEXT NOT NULL,
    -- {"answers": {key: ODK string}, "repeats": {repeat key: instances}}
    data TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);
CREATE INDEX xform_submission_by_version ON xform_submission (version_id, submitted_at);

-- Reminders for published forms, sent with the weekly evaluation reminders: one row per form and reminder
-- slot, written together with its messages, so a second tick or a restart never reminds twice.
CREATE TABLE xform_reminder (
    slot_key TEXT PRIMARY KEY,
    xform_id INTEGER NOT NULL REFERENCES xform (id),
    period_start TEXT NOT NULL,
    ran_at TEXT NOT NULL,
    reminded INTEGER NOT NULL
);
