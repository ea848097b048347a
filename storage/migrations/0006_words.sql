-- Each form numbers its own reports (Laporan kegiatan #1, Evaluasi mingguan #1): the number people see and quote.
-- Existing reports are numbered per form in the order they were first submitted.
ALTER TABLE report ADD COLUMN number INTEGER;
UPDATE report SET number = (SELECT COUNT(*) FROM report earlier WHERE earlier.form = report.form AND earlier.id <= report.id);
CREATE UNIQUE INDEX report_number_per_form ON report (form, number);

-- How a Dinsos admin wants report copies: each one as it arrives ('each', the default when no row), or one
-- summary a day pointing to /tinjau ('daily').
CREATE TABLE admin_setting (
    admin_id INTEGER PRIMARY KEY,
    copies TEXT NOT NULL CHECK (copies IN ('each', 'daily')),
    updated_at TEXT NOT NULL
);

-- The version an admin pressed "Perlu perbaikan" on: a comment written after the group sent a newer version is
-- not applied to a version the admin has not read.
ALTER TABLE review_prompt ADD COLUMN version INTEGER;
