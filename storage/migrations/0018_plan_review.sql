-- Program kerja on the Dinsos side (issue 17).

-- An admin who pressed "Perlu perbaikan" on a submitted plan and is being asked for the note: the next private
-- text is it, also after a restart. `submitted_at` names the submission asked about, so a note written for one
-- submission never decides the next one.
CREATE TABLE plan_review_prompt (
    admin_id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES program_plan (id),
    submitted_at TEXT NOT NULL,
    asked_at TEXT NOT NULL
);

-- A scheduled program kerja run that happened ('nudge:2027-02'), written with the messages it owes: a second
-- tick, a restart or a catch-up finds it and owes nothing again.
CREATE TABLE plan_schedule_run (
    key TEXT PRIMARY KEY,
    ran_at TEXT NOT NULL
);
