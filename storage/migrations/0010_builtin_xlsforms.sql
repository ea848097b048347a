-- /laporan and /evaluasi run on the XLSForm engine (issue 11). Their submissions stay in report/report_version,
-- so numbering, reviews, corrections, /rekap, reminders and exports keep reading the same tables.

-- The built-in forms are xform rows too (form_id 'laporan', 'evaluasi'), their bundled workbook a version, so a
-- draft is pinned to the version it started on. They never enter the publication, reminder and digest machinery
-- of the uploaded forms: they have their own reminders.
ALTER TABLE xform ADD COLUMN builtin INTEGER NOT NULL DEFAULT 0;

-- What form_draft knew beyond the answers: the reporting week of an evaluation, and the report a draft corrects
-- or updates (Koreksi, Perbarui).
ALTER TABLE xform_draft ADD COLUMN week TEXT;
ALTER TABLE xform_draft ADD COLUMN report_id INTEGER REFERENCES report (id);

-- report_version gets the XLSForm draft and version a new version was made with. Its draft_id was NOT NULL
-- REFERENCES form_draft, so the table is rebuilt (SQLite's documented table rebuild; nothing references
-- report_version, so the foreign keys may stay on). It also gets an id of its own: the outbox messages a version
-- owes are keyed by it, as draft ids of the two draft tables would collide.
CREATE TABLE report_version_new (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES report (id),
    version INTEGER NOT NULL,
    answers TEXT NOT NULL,
    submitted_by_id INTEGER NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    -- One draft gives at most one version: a double tap or a second device cannot store it twice. A version
    -- comes from a draft of the previous release (draft_id) or from an XLSForm draft (xform_draft_id).
    draft_id INTEGER UNIQUE REFERENCES form_draft (id),
    xform_draft_id INTEGER UNIQUE REFERENCES xform_draft (id),
    xform_version_id INTEGER REFERENCES xform_version (id),
    review_status TEXT CHECK (review_status IN ('diterima', 'perlu_perbaikan')),
    review_comment TEXT,
    reviewed_by_id INTEGER,
    reviewed_by TEXT,
    reviewed_at TEXT,
    UNIQUE (report_id, version),
    CHECK ((draft_id IS NULL) <> (xform_draft_id IS NULL))
);
INSERT INTO report_version_new (report_id, version, answers, submitted_by_id, submitted_by, submitted_at, draft_id,
                                review_status, review_comment, reviewed_by_id, reviewed_by, reviewed_at)
    SELECT report_id, version, answers, submitted_by_id, submitted_by, submitted_at, draft_id,
           review_status, review_comment, reviewed_by_id, reviewed_by, reviewed_at
    FROM report_version ORDER BY submitted_at, report_id, version;
DROP TABLE report_version;
ALTER TABLE report_version_new RENAME TO report_version;

-- The messages already owed by stored versions were keyed by their form_draft id: now by the version's id. In
-- two steps, so that no row meets another's old key on the way (UNIQUE (kind, ref_id, recipient)).
UPDATE outbox SET ref_id = -ref_id WHERE kind IN ('report_note', 'report_admin', 'report_album') AND ref_id > 0;
UPDATE outbox SET ref_id = (SELECT v.id FROM report_version v WHERE v.draft_id = -outbox.ref_id)
    WHERE kind IN ('report_note', 'report_admin', 'report_album') AND ref_id < 0
      AND EXISTS (SELECT 1 FROM report_version v WHERE v.draft_id = -outbox.ref_id);
