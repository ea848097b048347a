-- One program of a program kerja being composed in the private chat (issue 17): the conversation's state
-- (bot/xlsform/session.State as JSON) saved after every answer, so a restart resumes at the same question.
-- `program_uid` is fixed when the draft starts (a new uid for Tambah, the program's own for Ubah): saving it
-- twice, after a crash between the save and the reply, changes the same program instead of adding a second.
CREATE TABLE program_draft (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    year INTEGER NOT NULL,
    program_uid TEXT NOT NULL,
    changing INTEGER NOT NULL DEFAULT 0,  -- 1: Ubah program (it started with the program's answers)
    state TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'saved', 'cancelled', 'expired')),
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- The Telegram update whose answer made `state` (as xform_draft.update_id, migration 0013): the same update
    -- handled again after a crash is recognised as taken and only asks the current question again.
    update_id INTEGER
);
CREATE UNIQUE INDEX program_draft_one_active ON program_draft (user_id) WHERE status = 'active';
