-- A submission of an uploaded XLSForm corrected after Dinsos asked for it (issue 18), as a laporan is: the
-- submission keeps its number and takes the new answers as its next version; the version it replaces, with the
-- decision made on it, is kept in xform_submission_version. The new version waits for its own decision.
ALTER TABLE xform_submission ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- When the current version was sent (NULL for the first: submitted_at, which stays the first sending's time so
-- that a correction does not move a submission into another reporting period).
ALTER TABLE xform_submission ADD COLUMN updated_at TEXT;

CREATE TABLE xform_submission_version (
    submission_id INTEGER NOT NULL REFERENCES xform_submission (id),
    version INTEGER NOT NULL,
    draft_id INTEGER NOT NULL UNIQUE REFERENCES xform_draft (id),
    submitted_by_id INTEGER NOT NULL,
    submitted_by TEXT NOT NULL,
    data TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    review_status TEXT,
    review_note TEXT,
    review_admin_id INTEGER,
    review_admin_name TEXT,
    reviewed_at TEXT,
    PRIMARY KEY (submission_id, version)
);

-- The submission a draft corrects (it was opened pre-filled with that submission's answers).
ALTER TABLE xform_draft ADD COLUMN submission_id INTEGER REFERENCES xform_submission (id);

-- An admin who pressed Perlu perbaikan on a copy of a submission in the chat and is being asked for the note (as
-- review_prompt does for laporan); the note applies to that version only.
CREATE TABLE xform_review_prompt (
    admin_id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES xform_submission (id),
    version INTEGER NOT NULL,
    asked_at TEXT NOT NULL
);

-- The Telegram file id of an attached media file once the bot sent it with its question (media::image, audio,
-- video): later questions send that id instead of uploading the file again.
ALTER TABLE xform_attachment ADD COLUMN file_id TEXT;
