-- Dinsos's decision on a submission of an uploaded XLSForm, made on the dashboard (issue 18): Diterima, or Perlu
-- perbaikan with a note. One decision per submission: the first one stands, as a laporan version's does.
CREATE TABLE xform_review (
    submission_id INTEGER PRIMARY KEY REFERENCES xform_submission (id),
    status TEXT NOT NULL CHECK (status IN ('diterima', 'perlu_perbaikan')),
    note TEXT,
    admin_id INTEGER NOT NULL,
    admin_name TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
