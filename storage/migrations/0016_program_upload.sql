-- A filled program kerja template sent to the bot (issue 17): what it read, waiting on the preview's buttons.
-- The programs are kept as read (JSON), so a preview answered after a restart saves exactly what it showed.
-- `base_plan_id`/`base_updated_at` are the newest version of the plan when the preview was made: if the plan
-- changed since, saving would overwrite that change, so the preview is stale.
CREATE TABLE program_upload (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    year INTEGER NOT NULL,
    file_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    programs TEXT NOT NULL,  -- JSON list of programs (model.Program.as_dict)
    base_plan_id INTEGER,
    base_updated_at TEXT,
    -- pratinjau: waiting; draf/diajukan: saved (and submitted); batal: cancelled; usang: a newer file came
    status TEXT NOT NULL CHECK (status IN ('pratinjau', 'draf', 'diajukan', 'batal', 'usang')),
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX program_upload_waiting ON program_upload (user_id, kecamatan_code, year) WHERE status = 'pratinjau';
