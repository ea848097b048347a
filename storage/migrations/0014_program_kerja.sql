-- Program kerja (issue 17): each kecamatan's plan for a year, in versions. A version is edited as a draft
-- ('draf'), submitted ('diajukan'), then decided by Dinsos ('diterima', or 'perlu_perbaikan' with a note, after
-- which it is edited and submitted again). A revision (perubahan) of an approved plan is a new version; the
-- approved one stays in force until the revision is approved, and then becomes 'diganti'.
CREATE TABLE program_plan (
    id INTEGER PRIMARY KEY,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draf', 'diajukan', 'diterima', 'perlu_perbaikan', 'diganti')),
    created_by_id INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_by_id INTEGER,
    submitted_by TEXT,
    submitted_at TEXT,
    reviewed_by_id INTEGER,
    reviewed_by TEXT,
    reviewed_at TEXT,
    review_note TEXT,
    UNIQUE (kecamatan_code, year, version)
);
-- At most one version being worked on or waiting for Dinsos per kecamatan and year, and one in force.
CREATE UNIQUE INDEX program_plan_one_open ON program_plan (kecamatan_code, year)
    WHERE status IN ('draf', 'diajukan', 'perlu_perbaikan');
CREATE UNIQUE INDEX program_plan_one_in_force ON program_plan (kecamatan_code, year) WHERE status = 'diterima';

-- One program (kegiatan) of a version. `uid` stays the same from version to version, so a laporan linked to a
-- program still counts for it after a perubahan.
CREATE TABLE program (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES program_plan (id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    position INTEGER NOT NULL,
    nama TEXT NOT NULL,
    bidang TEXT NOT NULL,
    tujuan TEXT NOT NULL,
    sasaran_ppks TEXT NOT NULL DEFAULT '[]',  -- JSON list of PPKS codes
    sasaran_lain TEXT NOT NULL DEFAULT '',
    bulan TEXT NOT NULL,  -- JSON list of months, 1-12
    lokasi TEXT NOT NULL,  -- a desa/kelurahan code of the kecamatan, or 'kecamatan'
    target_peserta INTEGER NOT NULL,
    target_penerima INTEGER NOT NULL,
    anggaran INTEGER NOT NULL,
    sumber_dana TEXT NOT NULL,
    penanggung_jawab TEXT NOT NULL,
    indikator TEXT NOT NULL,
    UNIQUE (plan_id, uid)
);
CREATE INDEX program_by_plan ON program (plan_id, position);

-- The year's deadline for submitting a plan, set by Dinsos (/programkerja tenggat 31/01/2027).
CREATE TABLE program_deadline (
    year INTEGER PRIMARY KEY,
    deadline TEXT NOT NULL,  -- YYYY-MM-DD, the last day (WIB)
    set_by_id INTEGER NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);

-- Who has shown to be a pengurus (an admin of the registered group) of which kecamatan: the private chat asks
-- Telegram again every time, this only spares asking all 40 groups.
CREATE TABLE pengurus_seen (
    user_id INTEGER NOT NULL,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    seen_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kecamatan_code)
);

-- A dashboard login or session of a pengurus is bound to one kecamatan; NULL is a Dinsos admin's.
ALTER TABLE dashboard_login ADD COLUMN kecamatan_code TEXT REFERENCES kecamatan (code);
ALTER TABLE dashboard_session ADD COLUMN kecamatan_code TEXT REFERENCES kecamatan (code);
